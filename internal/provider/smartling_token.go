package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

var smartlingInputs = platformInputs{
	platform: auth.Smartling,
	block:    "smartling",
	inputs: []input{
		{name: "user_identifier", env: "SMARTLING_USER_IDENTIFIER",
			description: "User identifier of a Smartling API token (Account Settings > API)."},
		{name: "user_secret", env: "SMARTLING_USER_SECRET", sensitive: true,
			description: "User secret of the Smartling API token."},
		{name: "account_id", env: "SMARTLING_ACCOUNT_ID", result: true,
			description: "Smartling account UID. Not sent to authentication: passed through to the results for " +
				"API paths such as `/accounts-api/v2/accounts/{accountUid}`."},
		{name: "project_id", env: "SMARTLING_PROJECT_ID", result: true,
			description: "Smartling project ID. Not sent to authentication: passed through to the results for " +
				"API paths such as `/projects-api/v2/projects/{projectId}`."},
		{name: "base_url", env: "SMARTLING_BASE_URL", def: auth.SmartlingDefaultBaseURL,
			validators: stringValidators(validators.BaseURL()),
			description: "Smartling API root; `/auth-api/v2/authenticate` is appended, keeping any path prefix. " +
				"Must be `https://` (plain `http://` only for loopback hosts)."},
	},
}

// smartlingTokenModel is the model of translationauth_smartling_token.
type smartlingTokenModel struct {
	UserIdentifier   types.String `tfsdk:"user_identifier"`
	UserSecret       types.String `tfsdk:"user_secret"`
	AccountID        types.String `tfsdk:"account_id"`
	ProjectID        types.String `tfsdk:"project_id"`
	BaseURL          types.String `tfsdk:"base_url"`
	RefreshExpiresIn types.Int64  `tfsdk:"refresh_expires_in"`
	RefreshExpiresAt types.String `tfsdk:"refresh_expires_at"`
	tokenResultModel
}

var smartlingToken = &tokenKind[smartlingTokenModel]{
	platformInputs: smartlingInputs,
	typeName:       "smartling_token",
	description: "Authenticates to the Smartling API with an " +
		"API token's user identifier and secret, and returns an access token (valid about 8 minutes) with its " +
		"refresh token. Tokens are reused within the provider process while they have `min_validity` left, and " +
		"refreshed while the refresh token lives.",
	outputs: []output{
		{name: "refresh_expires_in", integer: true, description: "Seconds of validity of the refresh token at issue time; null if the API reported none."},
		{name: "refresh_expires_at", description: "When the refresh token expires, as an RFC 3339 UTC time; null if unknown."},
	},
	defaultHint: []string{"user_identifier", "user_secret"},
	common:      func(m *smartlingTokenModel) *tokenResultModel { return &m.tokenResultModel },
	request: func(c *auth.Client, s settings, m *smartlingTokenModel, diags *diag.Diagnostics) auth.Adapter {
		smartlingInputs.require(s, diags, "user_identifier", "user_secret")
		root, ok := smartlingInputs.baseURL(s, diags)
		if !ok || diags.HasError() {
			return nil
		}
		m.AccountID, m.ProjectID = optional(s["account_id"].value), optional(s["project_id"].value)
		m.APIBaseURL = types.StringValue(root)
		return auth.NewSmartling(c, auth.SmartlingCredentials{
			BaseURL:        root,
			UserIdentifier: s["user_identifier"].value,
			UserSecret:     s["user_secret"].value,
		})
	},
	token: func(m *smartlingTokenModel, t *auth.Token) {
		m.RefreshExpiresIn, m.RefreshExpiresAt = seconds(t.RefreshExpiresIn), timestamp(t.RefreshExpiresAt())
	},
}
