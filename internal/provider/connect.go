package provider

import (
	"fmt"
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
