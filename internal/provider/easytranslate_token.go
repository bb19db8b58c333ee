package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

var easyTranslateInputs = platformInputs{
	platform: auth.EasyTranslate,
	block:    "easytranslate",
	inputs: []input{
		{name: "client_id", env: "EASYTRANSLATE_CLIENT_ID",
			description: "EasyTranslate API client ID (Settings > Account > API)."},
		{name: "client_secret", env: "EASYTRANSLATE_CLIENT_SECRET", sensitive: true,
			description: "EasyTranslate API client secret."},
		{name: "username", env: "EASYTRANSLATE_USERNAME",
			description: "E-mail address of the EasyTranslate account."},
		{name: "password", env: "EASYTRANSLATE_PASSWORD", sensitive: true,
			description: "Password of the EasyTranslate account."},
		{name: "scope", def: auth.DefaultEasyTranslateScope,
			description: "OAuth2 scope requested on the password and refresh grants. It has no environment variable."},
		{name: "environment", env: "EASYTRANSLATE_ENVIRONMENT", def: auth.DefaultEasyTranslateEnvironment, result: true,
			validators: stringValidators(stringvalidator.OneOf(auth.EasyTranslateEnvironments()...)),
			description: "EasyTranslate environment: `production` or `sandbox` (sandbox access is granted by " +
				"EasyTranslate support). Selects the API root unless `base_url` is set."},
		{name: "base_url", env: "EASYTRANSLATE_BASE_URL",
			validators: stringValidators(validators.BaseURL()),
			description: "EasyTranslate API root, overriding `environment`; `/oauth/token` is appended, keeping any " +
				"path prefix. Must be `https://` (plain `http://` only for loopback hosts). It overrides an `environment` set " +
				"at the same level; an `environment` set at a more specific level (argument, then provider block, then " +
				"environment variable) wins over it."},
	},
}

// easyTranslateTokenModel is the model of translationauth_easytranslate_token.
type easyTranslateTokenModel struct {
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	Username     types.String `tfsdk:"username"`
	Password     types.String `tfsdk:"password"`
	Scope        types.String `tfsdk:"scope"`
	Environment  types.String `tfsdk:"environment"`
	BaseURL      types.String `tfsdk:"base_url"`
	tokenResultModel
}

var easyTranslateToken = &tokenKind[easyTranslateTokenModel]{
	platformInputs: easyTranslateInputs,
	typeName:       "easytranslate_token",
	description: "Obtains an EasyTranslate API access token " +
		"with the OAuth2 password grant, and its refresh token. EasyTranslate tokens live about a year; they are " +
		"reused within the provider process while they have `min_validity` left.",
	defaultHint: []string{"username", "password"},
	hints: map[string][]string{
		"invalid_client": {"client_id", "client_secret"},
		"invalid_scope":  {"scope"},
	},
	common: func(m *easyTranslateTokenModel) *tokenResultModel { return &m.tokenResultModel },
	request: func(c *auth.Client, s settings, m *easyTranslateTokenModel, diags *diag.Diagnostics) auth.Adapter {
		easyTranslateInputs.require(s, diags, "client_id", "client_secret", "username", "password")
		root, ok := easyTranslateInputs.apiRoot(s, "environment", auth.EasyTranslateEnvironments(), func(env string) string {
			e, _ := auth.EasyTranslateEnvironment(env)
			return e.APIBaseURL
		}, diags)
		if !ok {
			return nil
		}
		m.Environment = types.StringValue(s["environment"].value)
		m.APIBaseURL = types.StringValue(root)
		return auth.NewEasyTranslate(c, root, auth.OAuthCredentials{
			ClientID:     s["client_id"].value,
			ClientSecret: s["client_secret"].value,
			Username:     s["username"].value,
			Password:     s["password"].value,
			Scope:        s["scope"].value,
		})
	},
}
