package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The hardening tests: what a hostile new user broke (issue 10), each through
// the real Terraform CLI against internal/mockapi.

// TestAccHardening_ephemeralTokenNeverSharedWithDataSource reads a data source
// and an ephemeral resource with the same credentials, both at apply (they
// depend on a resource created then): the ephemeral token is not the one the
// data source wrote to state.
func TestAccHardening_ephemeralTokenNeverSharedWithDataSource(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
resource "terraform_data" "later" {
  input = "known only at apply"
}
data "translationauth_smartling_token" "state" {
  project_id = terraform_data.later.output == "" ? "x" : "p"
}
ephemeral "translationauth_smartling_token" "test" {
  project_id = terraform_data.later.output == "" ? "x" : "p"
}
` + echoConfig("ephemeral.translationauth_smartling_token.test"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("project_id"), knownvalue.StringExact("p")),
				statecheck.CompareValuePairs(
					"data.translationauth_smartling_token.state", tfjsonpath.New("access_token"),
					"echo.test", tfjsonpath.New("data").AtMapKey("access_token"),
					compare.ValuesDiffer()),
			},
		}},
	})
	// One authenticate for the state scope and one for the ephemeral scope,
	// however many times Terraform opened the ephemeral resource.
	if n := mock.Count(auth.Smartling, mockapi.OpAuthenticate); n != 2 {
		t.Errorf("Smartling received %d authenticate calls, want 2 (one per scope)", n)
	}
}

// TestAccHardening_emptyPassThroughValues sets account_id and project_id to
// empty strings, as the copyable smartling-token module can: the results
// keep the configured values, for the data source and the ephemeral resource.
func TestAccHardening_emptyPassThroughValues(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
data "translationauth_smartling_token" "test" {
  account_id = ""
  project_id = ""
}
ephemeral "translationauth_smartling_token" "test" {
  account_id = ""
  project_id = ""
}
` + echoConfig("ephemeral.translationauth_smartling_token.test"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New("account_id"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New("project_id"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("account_id"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("project_id"), knownvalue.StringExact("")),
			},
		}},
	})
}

// TestAccHardening_repeatedReads reads one Smartling data source many times
// (count) and counts the calls: a rejected credential set is asked once, and
// a min_validity longer than the 8-minute token lifetime reuses the freshest
// token instead of authenticating for every read.
func TestAccHardening_repeatedReads(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                string
		block               string
		wantErr             *regexp.Regexp
		checks              []statecheck.StateCheck
		authents, refreshes int
	}{
		{name: "rejected_credentials_asked_once",
			block: `
data "translationauth_smartling_token" "test" {
  count       = 20
  user_secret = "wrong-secret"
}
`,
			wantErr:  regexp.MustCompile(`HTTP 401 AUTHENTICATION_ERROR`),
			authents: 1, refreshes: 0},
		{name: "min_validity_longer_than_token_lifetime",
			block: `
data "translationauth_smartling_token" "test" {
  count        = 10
  min_validity = "15m"
}
`,
			checks: []statecheck.StateCheck{statecheck.CompareValuePairs(
				"data.translationauth_smartling_token.test[0]", tfjsonpath.New("access_token"),
				"data.translationauth_smartling_token.test[9]", tfjsonpath.New("access_token"),
				compare.ValuesSame())},
			authents: 1, refreshes: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:            providerConfig(mock) + c.block,
					ExpectError:       c.wantErr,
					ConfigStateChecks: c.checks,
				}},
			})
			authents, refreshes := mock.Count(auth.Smartling, mockapi.OpAuthenticate), mock.Count(auth.Smartling, mockapi.OpRefresh)
			if authents != c.authents || refreshes != c.refreshes {
				t.Errorf("Smartling received %d authenticate and %d refresh calls, want %d and %d",
					authents, refreshes, c.authents, c.refreshes)
			}
		})
	}
}

// TestAccHardening_baseURLEnvOverridesConfiguredSelector sets region and
// environment in the configuration and the *_BASE_URL variables in the
// environment: the requests go to the base URLs, and the results still report
// the region and environment.
func TestAccHardening_baseURLEnvOverridesConfiguredSelector(t *testing.T) {
	mock := startMock(t, nil)
	clearEnv(t)
	t.Setenv("EASYTRANSLATE_BASE_URL", mock.BaseURL(auth.EasyTranslate))
	t.Setenv("SMARTCONNECT_BASE_URL", mock.BaseURL(auth.SmartConnect))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "translationauth" {
  easytranslate = {
    client_id     = %[1]q
    client_secret = %[2]q
    username      = %[3]q
    password      = %[4]q
    environment   = "sandbox"
  }
  smartconnect = {
    client_id     = %[5]q
    client_secret = %[6]q
    username      = %[7]q
    password      = %[8]q
  }
}
data "translationauth_easytranslate_token" "test" {}
data "translationauth_smartconnect_token" "test" {
  region = "EU"
}
`, mockapi.DemoEasyTranslateClientID, mockapi.DemoEasyTranslateClientSecret, mockapi.DemoEasyTranslateUsername,
				mockapi.DemoEasyTranslatePassword, mockapi.DemoSmartConnectClientID, mockapi.DemoSmartConnectClientSecret,
				mockapi.DemoSmartConnectUsername, mockapi.DemoSmartConnectPassword),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.translationauth_easytranslate_token.test", tfjsonpath.New("environment"), knownvalue.StringExact("sandbox")),
				statecheck.ExpectKnownValue("data.translationauth_easytranslate_token.test", tfjsonpath.New("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.EasyTranslate))),
				statecheck.ExpectKnownValue("data.translationauth_smartconnect_token.test", tfjsonpath.New("region"), knownvalue.StringExact("EU")),
				statecheck.ExpectKnownValue("data.translationauth_smartconnect_token.test", tfjsonpath.New("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.SmartConnect))),
			},
		}},
	})
	for _, p := range []auth.Platform{auth.EasyTranslate, auth.SmartConnect} {
		if n := mock.Count(p, mockapi.OpAuthenticate); n != 1 {
			t.Errorf("%s received %d authenticate calls, want 1", p, n)
		}
	}
}

// TestAccHardening_diagnostics checks the hints of failures that used to be
// blamed on the wrong attribute or lacked what the user needed.
func TestAccHardening_diagnostics(t *testing.T) {
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
