package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
	applyOnce(t, factories(nil), providerConfig(mock)+`
resource "terraform_data" "later" {
  input = "known only at apply"
}
data "translationauth_smartling_token" "state" {
  project_id = terraform_data.later.output == "" ? "x" : "p"
}
ephemeral "translationauth_smartling_token" "test" {
  project_id = terraform_data.later.output == "" ? "x" : "p"
}
`+echoConfig("ephemeral.translationauth_smartling_token.test"),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("project_id"), knownvalue.StringExact("p")),
		statecheck.CompareValuePairs(
			"data.translationauth_smartling_token.state", tfjsonpath.New("access_token"),
			"echo.test", tfjsonpath.New("data").AtMapKey("access_token"),
			compare.ValuesDiffer()),
	)
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
	applyOnce(t, factories(nil), providerConfig(mock)+`
data "translationauth_smartling_token" "test" {
  account_id = ""
  project_id = ""
}
ephemeral "translationauth_smartling_token" "test" {
  account_id = ""
  project_id = ""
}
`+echoConfig("ephemeral.translationauth_smartling_token.test"),
		statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New("account_id"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New("project_id"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("account_id"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("project_id"), knownvalue.StringExact("")),
	)
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
