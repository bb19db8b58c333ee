package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// smartling is the Smartling platform: API tokens of a user identifier and
// secret, exchanged at auth-api v2 for access tokens of about 8 minutes.
var smartling = &platform{
	name:  auth.Smartling,
	block: "smartling",
	about: "Smartling API token credentials and API root.",
	tokenAbout: "Authenticates to the Smartling API with an API token's user identifier and secret, and returns an " +
		"access token (valid about 8 minutes) with its refresh token. Tokens are reused within the provider process " +
		"while they have `min_validity` left, and refreshed while the refresh token lives.",
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
	outputs: []output{
		{name: "refresh_expires_in", integer: true, faces: tokenFace, description: "Seconds of validity of the refresh token at issue time; null if the API reported none."},
		{name: "refresh_expires_at", faces: tokenFace, description: "When the refresh token expires, as an RFC 3339 UTC time; null if unknown."},
	},
	required:    []string{"user_identifier", "user_secret"},
	defaultHint: []string{"user_identifier", "user_secret"},
	connect: func(c *auth.Client, s settings, r *record, diags *diag.Diagnostics) connection {
		root, ok := baseURL(s, diags)
		if !ok {
			return connection{}
		}
		r.setOptional("account_id", s["account_id"].value)
		r.setOptional("project_id", s["project_id"].value)
		return connection{apiRoot: root, adapter: auth.NewSmartling(c, auth.SmartlingCredentials{
			BaseURL:        root,
			UserIdentifier: s["user_identifier"].value,
			UserSecret:     s["user_secret"].value,
		})}
	},
	tokenResults: func(t *auth.Token, r *record) {
		r.setSeconds("refresh_expires_in", t.RefreshExpiresIn)
		r.setTime("refresh_expires_at", t.RefreshExpiresAt())
	},
}
