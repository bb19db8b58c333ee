package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

var smartConnectInputs = platformInputs{
	platform: auth.SmartConnect,
	block:    "smartconnect",
	inputs: []input{
		{name: "region", env: "SMARTCONNECT_REGION", def: auth.DefaultSmartConnectRegion, result: true,
			validators: stringValidators(stringvalidator.OneOf(auth.SmartConnectRegions()...)),
			description: "SmartConnect region code, one of " + codeList(auth.SmartConnectRegions()) +
				". Selects the API root unless `base_url` is set."},
		{name: "client_id", env: "SMARTCONNECT_CLIENT_ID",
			description: "Client ID of a SmartConnect REST application registration (System > API Settings)."},
		{name: "client_secret", env: "SMARTCONNECT_CLIENT_SECRET", sensitive: true,
			description: "Client secret of the REST application registration."},
		{name: "username", env: "SMARTCONNECT_USERNAME",
			description: "E-mail address of the SmartConnect user."},
		{name: "password", env: "SMARTCONNECT_PASSWORD", sensitive: true,
			description: "Password of the SmartConnect user."},
		{name: "base_url", env: "SMARTCONNECT_BASE_URL",
			validators: stringValidators(validators.BaseURL()),
			description: "SmartConnect API root, overriding `region`; `/token` is appended, keeping any path prefix. " +
				"Must be `https://` (plain `http://` only for loopback hosts). It overrides a `region` set at the same level; " +
				"a `region` set at a more specific level (argument, then provider block, then environment variable) wins over it."},
	},
}

// smartConnectTokenModel is the model of translationauth_smartconnect_token.
type smartConnectTokenModel struct {
	Region       types.String `tfsdk:"region"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	Username     types.String `tfsdk:"username"`
	Password     types.String `tfsdk:"password"`
	BaseURL      types.String `tfsdk:"base_url"`
	TokenURL     types.String `tfsdk:"token_url"`
	SwaggerURL   types.String `tfsdk:"swagger_url"`
	tokenResultModel
}

var smartConnectToken = &tokenKind[smartConnectTokenModel]{
	platformInputs: smartConnectInputs,
	typeName:       "smartconnect_token",
	description: "Obtains a SmartConnect REST API access token from the token endpoint of a region with the OAuth2 " +
		"password grant. SmartConnect may answer without a lifetime or a refresh token: `expires_in`, `expires_at` " +
		"and `refresh_token` are then null, and the token is reused for the life of the provider process.",
	outputs: []output{
		{name: "token_url", description: "The token endpoint the token came from."},
		{name: "swagger_url", description: "The Swagger UI of the region's API."},
	},
	defaultHint: []string{"username", "password"},
	hints: map[string][]string{
		"invalid_client": {"client_id", "client_secret"},
	},
	common: func(m *smartConnectTokenModel) *tokenResultModel { return &m.tokenResultModel },
	request: func(c *auth.Client, s settings, m *smartConnectTokenModel, diags *diag.Diagnostics) auth.Adapter {
		smartConnectInputs.require(s, diags, "client_id", "client_secret", "username", "password")
		root, ok := smartConnectInputs.apiRoot(s, "region", auth.SmartConnectRegions(), func(region string) string {
			e, _ := auth.SmartConnectRegion(region)
			return e.APIBaseURL
		}, diags)
		if !ok {
			return nil
		}
		e := auth.SmartConnectEndpointsFor(s["region"].value, root)
		m.Region = types.StringValue(e.Region)
		m.APIBaseURL, m.TokenURL, m.SwaggerURL = types.StringValue(e.APIBaseURL), types.StringValue(e.TokenURL), types.StringValue(e.SwaggerURL)
		return auth.NewSmartConnect(c, e.APIBaseURL, auth.OAuthCredentials{
			ClientID:     s["client_id"].value,
			ClientSecret: s["client_secret"].value,
			Username:     s["username"].value,
			Password:     s["password"].value,
		})
	},
}
