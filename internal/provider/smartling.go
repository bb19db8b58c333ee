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
		{name: attrUserIdentifier, env: "SMARTLING_USER_IDENTIFIER",
			description: "User identifier of a Smartling API token (Account Settings > API)."},
		{name: attrUserSecret, env: "SMARTLING_USER_SECRET", sensitive: true,
			description: "User secret of the Smartling API token."},
		{name: attrAccountID, env: "SMARTLING_ACCOUNT_ID", result: true,
			description: "Smartling account UID. Not sent to authentication: passed through to the results for " +
				"API paths such as `/accounts-api/v2/accounts/{accountUid}`."},
		{name: attrProjectID, env: "SMARTLING_PROJECT_ID", result: true,
			description: "Smartling project ID. Not sent to authentication: passed through to the results for " +
				"API paths such as `/projects-api/v2/projects/{projectId}`."},
		{name: attrBaseURL, env: "SMARTLING_BASE_URL", def: auth.SmartlingDefaultBaseURL,
			validators: stringValidators(validators.BaseURL()),
			description: "Smartling API root; `/auth-api/v2/authenticate` is appended, keeping any path prefix. " +
				"Must be `https://` (plain `http://` only for loopback hosts)."},
	},
	outputs: []output{
		{name: attrRefreshExpiresIn, integer: true, faces: tokenFace, description: "Seconds of validity of the refresh token at issue time; null if the API reported none."},
		{name: attrRefreshExpiresAt, faces: tokenFace, description: "When the refresh token expires, as an RFC 3339 UTC time; null if unknown."},
	},
	required:    []string{attrUserIdentifier, attrUserSecret},
	defaultHint: []string{attrUserIdentifier, attrUserSecret},
	connect: func(c *auth.Client, s settings, r *record, diags *diag.Diagnostics) connection {
		root, ok := baseURL(s, diags)
		if !ok {
			return connection{}
		}
		r.setOptional(attrAccountID, s[attrAccountID].value)
		r.setOptional(attrProjectID, s[attrProjectID].value)
		return connection{apiRoot: root, adapter: auth.NewSmartling(c, auth.SmartlingCredentials{
			BaseURL:        root,
			UserIdentifier: s[attrUserIdentifier].value,
			UserSecret:     s[attrUserSecret].value,
		})}
	},
	tokenResults: func(t *auth.Token, r *record) {
		r.setSeconds(attrRefreshExpiresIn, t.RefreshExpiresIn)
		r.setTime(attrRefreshExpiresAt, t.RefreshExpiresAt())
	},
}
