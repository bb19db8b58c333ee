package provider

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// easyTranslate is the EasyTranslate platform: an OAuth2 password grant with
// client credentials, tokens of about a year.
var easyTranslate = &platform{
	name:  auth.EasyTranslate,
	block: "easytranslate",
	about: "EasyTranslate API client, user and environment.",
	tokenAbout: "Obtains an EasyTranslate API access token with the OAuth2 password grant, and its refresh token. " +
		"EasyTranslate tokens live about a year; they are reused within the provider process while they have " +
		"`min_validity` left.",
	inputs: slices.Concat(
		passwordGrantInputs("EASYTRANSLATE_", passwordGrantAbout{
			clientID:     "EasyTranslate API client ID (Settings > Account > API).",
			clientSecret: "EasyTranslate API client secret.",
			username:     "E-mail address of the EasyTranslate account.",
			password:     "Password of the EasyTranslate account.",
		}),
		[]input{{name: attrScope, def: auth.DefaultEasyTranslateScope,
			description: "OAuth2 scope requested on the password and refresh grants. It has no environment variable."},
			{name: attrEnvironment, env: "EASYTRANSLATE_ENVIRONMENT", def: auth.DefaultEasyTranslateEnvironment, result: true,
				validators: stringValidators(stringvalidator.OneOf(auth.EasyTranslateHosts.Names()...)),
				description: "EasyTranslate environment: `production` or `sandbox` (sandbox access is granted by " +
					"EasyTranslate support). Selects the API root unless a `base_url` is set."},
			{name: attrBaseURL, env: "EASYTRANSLATE_BASE_URL",
				validators: stringValidators(validators.BaseURL()),
				description: "EasyTranslate API root; `/oauth/token` is appended, keeping any path prefix. Must be " +
					"`https://` (plain `http://` only for loopback hosts). A `base_url` set at any level (argument, provider " +
					"block or environment variable) overrides the host that `environment` would choose; `environment` is " +
					"still reported."},
		}),
	required:    passwordGrantRequired,
	defaultHint: passwordGrantDefaultHint,
	hints:       withHints(passwordGrantHints, map[string][]string{"invalid_scope": {attrScope}}),
	connect: func(c *auth.Client, s settings, r *record, diags *diag.Diagnostics) connection {
		root, ok := apiRoot(s, attrEnvironment, auth.EasyTranslateHosts, diags)
		if !ok {
			return connection{}
		}
		r.setString(attrEnvironment, s[attrEnvironment].value)
		return connection{apiRoot: root, adapter: auth.NewEasyTranslate(c, root, oauthCredentials(s))}
	},
	functions: []func() function.Function{NewEasyTranslateEndpointsFunction},
}

// NewEasyTranslateEndpointsFunction returns provider::translationauth::easytranslate_endpoints.
func NewEasyTranslateEndpointsFunction() function.Function {
	return &endpointsFunction[auth.EasyTranslateEndpoints]{
		name:    "easytranslate_endpoints",
		summary: "Endpoints of an EasyTranslate environment",
		description: "Returns the token endpoint and API root of an EasyTranslate environment, as an object " +
			"`{ environment, token_url, api_base_url }`. Needs no credentials. An unknown environment is an error " +
			"that lists the valid ones.",
		param:      attrEnvironment,
		paramAbout: "Environment",
		table:      auth.EasyTranslateHosts,
		attrTypes:  easyTranslateEndpointTypes,
		values:     easyTranslateEndpointValues,
	}
}
