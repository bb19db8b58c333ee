package provider

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// smartConnect is the SmartConnect platform: an OAuth2 password grant at a
// regional token endpoint.
var smartConnect = &platform{
	name:  auth.SmartConnect,
	block: "smartconnect",
	about: "SmartConnect REST application registration, user and region.",
	tokenAbout: "Obtains a SmartConnect REST API access token from the token endpoint of a region with the OAuth2 " +
		"password grant. SmartConnect may answer without a lifetime or a refresh token: `expires_in`, `expires_at` " +
		"and `refresh_token` are then null, and the token is assumed to live 1799 seconds (as SmartConnect's own " +
		"client assumes), so it is reused within the provider process for at most that long.",
	inputs: slices.Concat([]input{
		{name: attrRegion, env: "SMARTCONNECT_REGION", def: auth.DefaultSmartConnectRegion, result: true,
			validators: stringValidators(stringvalidator.OneOf(auth.SmartConnectHosts.Names()...)),
			description: "SmartConnect region code, one of " + codeList(auth.SmartConnectHosts.Names()) +
				". Selects the API root unless a `base_url` is set."},
	}, passwordGrantInputs("SMARTCONNECT_", passwordGrantAbout{
		clientID:     "Client ID of a SmartConnect REST application registration (System > API Settings).",
		clientSecret: "Client secret of the REST application registration.",
		username:     "E-mail address of the SmartConnect user.",
		password:     "Password of the SmartConnect user.",
	}), []input{
		{name: attrBaseURL, env: "SMARTCONNECT_BASE_URL",
			validators: stringValidators(validators.BaseURL()),
			description: "SmartConnect API root; `/token` is appended, keeping any path prefix. Must be `https://` " +
				"(plain `http://` only for loopback hosts). A `base_url` set at any level (argument, provider block or " +
				"environment variable) overrides the host that `region` would choose; `region` is still reported."},
	}),
	outputs: []output{
		{name: attrTokenURL, faces: tokenFace, description: "The token endpoint the token came from."},
		{name: attrSwaggerURL, faces: tokenFace | proxyFace, description: "The Swagger UI of the region's API."},
	},
	required:    passwordGrantRequired,
	defaultHint: passwordGrantDefaultHint,
	hints:       passwordGrantHints,
	connect: func(c *auth.Client, s settings, r *record, diags *diag.Diagnostics) connection {
		root, ok := apiRoot(s, attrRegion, auth.SmartConnectHosts, diags)
		if !ok {
			return connection{}
		}
		e := auth.SmartConnectHosts.Below(s[attrRegion].value, root)
		r.setString(attrRegion, e.Region)
		r.setString(attrTokenURL, e.TokenURL)
		r.setString(attrSwaggerURL, e.SwaggerURL)
		return connection{apiRoot: e.APIBaseURL, adapter: auth.NewSmartConnect(c, e.APIBaseURL, oauthCredentials(s))}
	},
	dataSources: []func() datasource.DataSource{NewSmartConnectRegionsDataSource},
	functions:   []func() function.Function{NewSmartConnectEndpointsFunction},
}

// NewSmartConnectEndpointsFunction returns provider::translationauth::smartconnect_endpoints.
func NewSmartConnectEndpointsFunction() function.Function {
	return &endpointsFunction[auth.SmartConnectEndpoints]{
		name:    "smartconnect_endpoints",
		summary: "Endpoints of a SmartConnect region",
		description: "Returns the token endpoint, API root and Swagger UI of a SmartConnect region, as an object " +
			"`{ region, token_url, api_base_url, swagger_url }`. Needs no credentials. An unknown region is an " +
			"error that lists the valid codes.\n\n" + regionTable(),
		param:      attrRegion,
		paramAbout: "Region code",
		table:      auth.SmartConnectHosts,
		attrTypes:  smartConnectEndpointTypes,
		values:     smartConnectEndpointValues,
	}
}
