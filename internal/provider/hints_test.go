package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The hints of the diagnostics (hints.go): what to check, and where each value
// in use came from.

// TestAccHints_diagnostics checks the hints of failures that used to be
// blamed on the wrong attribute or lacked what the user needed.
func TestAccHints_diagnostics(t *testing.T) {
	// A 200 answer without a token and without a request id.
	noToken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(noToken.Close)
	mock := startMock(t, nil)
	clearEnv(t)
	t.Setenv("SMARTLING_USER_SECRET", "another-identitys-secret")
	cases := []struct {
		name  string
		block string
		want  []string // in the error, in this order
		not   []string // never in the error
	}{
		{name: "404_points_at_base_url",
			block: fmt.Sprintf(`data "translationauth_smartling_token" "test" {
  user_identifier = %q
  user_secret     = %q
  base_url        = %q
}`, mockapi.DemoSmartlingUserIdentifier, mockapi.DemoSmartlingUserSecret, mock.URL+"/wrong-prefix"),
			want: []string{"HTTP 404", "No token endpoint answered at " + mock.URL + "/wrong-prefix/auth-api/v2/authenticate",
				"Check base_url", "path prefix"},
			not: []string{"Check user_identifier"}},
		{name: "401_names_where_each_credential_came_from",
			block: fmt.Sprintf(`data "translationauth_smartling_token" "test" {
  user_identifier = %q
  base_url        = %q
}`, mockapi.DemoSmartlingUserIdentifier, mock.BaseURL(auth.Smartling)),
			want: []string{"HTTP 401",
				"user_identifier (provider attribute smartling.user_identifier, environment variable SMARTLING_USER_IDENTIFIER; this value came from the argument user_identifier of this block)",
				"user_secret (provider attribute smartling.user_secret, environment variable SMARTLING_USER_SECRET; this value came from the environment variable SMARTLING_USER_SECRET)"}},
		{name: "401_names_whitespace_in_a_credential",
			block: fmt.Sprintf(`data "translationauth_smartling_token" "test" {
  user_identifier = "%s\n"
  user_secret     = %q
  base_url        = %q
}`, mockapi.DemoSmartlingUserIdentifier, mockapi.DemoSmartlingUserSecret, mock.BaseURL(auth.Smartling)),
			want: []string{"HTTP 401", "this value came from the argument user_identifier of this block, and it contains a line break"}},
		{name: "no_token_without_request_id",
			block: fmt.Sprintf(`data "translationauth_easytranslate_token" "test" {
  client_id     = "c"
  client_secret = "s"
  username      = "u"
  password      = "p"
  base_url      = %q
}`, noToken.URL),
			want: []string{"EasyTranslate reported success without a token", "contact EasyTranslate support."},
			not:  []string{"request id"}},
		{name: "empty_credential_says_where_it_is_empty",
			block: `data "translationauth_smartling_token" "test" {
  user_identifier = ""
}`,
			want: []string{"Missing Smartling user_identifier", "the argument user_identifier of this block sets it to an empty string"},
			not:  []string{"Set it on this block"}},
		{name: "missing_credential_names_every_place",
			block: `data "translationauth_easytranslate_token" "test" {}`,
			want: []string{"Missing EasyTranslate client_id", "A token for EasyTranslate needs \"client_id\"",
				"easytranslate.client_id", "EASYTRANSLATE_CLIENT_ID"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				ErrorCheck: func(err error) error {
					if e := acctest.ExpectErrorWithout(c.want, mockapi.DemoSmartlingUserSecret, "another-identitys-secret")(err); e != nil {
						return e
					}
					folded := strings.Join(strings.Fields(err.Error()), " ")
					for _, not := range c.not {
						if strings.Contains(folded, not) {
							return fmt.Errorf("the error contains %q: %s", not, folded)
						}
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: `provider "translationauth" {}` + "\n" + c.block,
					Check:  mustFail,
				}},
			})
		})
	}
}
