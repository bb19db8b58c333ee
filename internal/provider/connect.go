package provider

import (
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// connection is what a platform's connect yields for a read: the adapter that
// gets its tokens, and the API root that its faces report as api_base_url and
// that its proxy forwards to.
type connection struct {
	adapter auth.Adapter
	apiRoot string
}

// apiRoot returns the API root of a platform whose root is chosen by the
// input alt (a region or environment) in the table hosts. The value is checked
// here too, since an environment variable bypasses the schema validators. A
// base_url set at any level overrides the host that alt would choose, as
// AWS_ENDPOINT_URL does for a region; alt is still checked and reported.
func apiRoot[E any](s settings, alt string, hosts auth.HostTable[E], diags *diag.Diagnostics) (string, bool) {
	v := s[alt]
	root, err := hosts.Root(v.value)
	if err != nil {
		diags.AddAttributeError(path.Root(alt), fmt.Sprintf("Invalid %s", alt),
			fmt.Sprintf("The %s is %q; valid values are %s.", v.source, v.value, strings.Join(hosts.Names(), ", ")))
		return "", false
	}
	if s[attrBaseURL].value != "" {
		return baseURL(s, diags)
	}
	return root, true
}

// passwordGrantAbout describes an OAuth2 password grant's four credentials
// in a platform's own words (where to find each in its console).
type passwordGrantAbout struct {
	clientID, clientSecret, username, password string
}

// passwordGrantInputs declares the four credentials of an OAuth2 password
// grant, each with its environment variable envPrefix + CLIENT_ID and so on;
// the secrets are sensitive.
func passwordGrantInputs(envPrefix string, about passwordGrantAbout) []input {
	return []input{
		{name: attrClientID, env: envPrefix + "CLIENT_ID", description: about.clientID},
		{name: attrClientSecret, env: envPrefix + "CLIENT_SECRET", sensitive: true, description: about.clientSecret},
		{name: attrUsername, env: envPrefix + "USERNAME", description: about.username},
		{name: attrPassword, env: envPrefix + "PASSWORD", sensitive: true, description: about.password},
	}
}

// What every OAuth2 password-grant platform requires and hints at: all four
// credentials; the user's by default, the client's for invalid_client.
var (
	passwordGrantRequired    = []string{attrClientID, attrClientSecret, attrUsername, attrPassword}
	passwordGrantDefaultHint = []string{attrUsername, attrPassword}
	passwordGrantHints       = map[string][]string{"invalid_client": {attrClientID, attrClientSecret}}
)

// withHints returns the hints of base with those of more added.
func withHints(base, more map[string][]string) map[string][]string {
	out := maps.Clone(base)
	maps.Copy(out, more)
	return out
}

// oauthCredentials are the settings of an OAuth2 password grant: client_id,
// client_secret, username, password and, if the platform has the input, scope.
func oauthCredentials(s settings) auth.OAuthCredentials {
	return auth.OAuthCredentials{
		ClientID:     s[attrClientID].value,
		ClientSecret: s[attrClientSecret].value,
		Username:     s[attrUsername].value,
		Password:     s[attrPassword].value,
		Scope:        s[attrScope].value,
	}
}

// baseURL validates the base_url setting and returns it without a trailing slash.
func baseURL(s settings, diags *diag.Diagnostics) (string, bool) {
	v := s[attrBaseURL]
	if err := auth.ValidateBaseURL(v.value); err != nil {
		diags.AddAttributeError(path.Root(attrBaseURL), "Invalid Base URL",
			fmt.Sprintf("The %s is invalid: %s.", v.source, err))
		return "", false
	}
	return auth.TrimBaseURL(v.value), true
}
