package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// TestAccTokenDataSource_smartling reads translationauth_smartling_token
// with the demo account in the provider block at testNow: every result it
// returns, written out (TestAccToken_results runs the same on every platform
// and face).
func TestAccTokenDataSource_smartling(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	const addr = "data.translationauth_smartling_token.test"
	applyOnce(t, factories(clocktest.At(testNow).Now), fmt.Sprintf(`
provider "translationauth" {
  smartling = {
    user_identifier = %q
    user_secret     = %q
    base_url        = %q
  }
}

data "translationauth_smartling_token" "test" {
  project_id   = "proj-1"
  min_validity = "2m"
}
`, mockapi.DemoSmartlingUserIdentifier, mockapi.DemoSmartlingUserSecret, mock.BaseURL(auth.Smartling)),
		// The arguments, as the configuration sets them.
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_identifier"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_secret"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("base_url"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact("proj-1")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("min_validity"), knownvalue.StringExact("2m")),
		// The token the mock issued at testNow.
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("access_token"), acctest.MinLength(500)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("token_type"), knownvalue.StringExact("Bearer")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("authorization_header"), acctest.StringPrefix("Bearer ey")),
		statecheck.CompareValuePairs(addr, tfjsonpath.New("authorization_header"), addr, tfjsonpath.New("access_token"), bearerOf{}),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(480)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2026-11-21T12:08:00Z")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("refresh_token"), acctest.MinLength(500)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("refresh_expires_in"), knownvalue.Int64Exact(3660)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("refresh_expires_at"), knownvalue.StringExact("2026-11-21T13:01:00Z")),
		// Where the token is for.
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.Smartling))),
	)
	wantTokenCalls(t, mock, auth.Smartling, 1, 0)
}

// TestAccTokenDataSource_manyReadsOneRequest reads 25 data sources and 25
// ephemeral resources of one credential set.
func TestAccTokenDataSource_manyReadsOneRequest(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	applyOnce(t, factories(nil), providerConfig(mock)+`
data "translationauth_smartling_token" "many" {
  count = 25
}
ephemeral "translationauth_smartling_token" "many" {
  count = 25
}`,
		statecheck.ExpectKnownValue("data.translationauth_smartling_token.many[24]", tfjsonpath.New("token_type"), knownvalue.StringExact("Bearer")),
	)
	// For 50 reads, one token for the data sources and one for the ephemeral
	// resources: the two never share a token, since a data source's goes to
	// state.
	wantTokenCalls(t, mock, auth.Smartling, 2, 0)
}

// TestAccTokenDataSource_repeatedReads reads one Smartling data source many times
// (count) and counts the calls: a rejected credential set is asked once, and
// a min_validity longer than the 8-minute token lifetime reuses the freshest
// token instead of authenticating for every read.
func TestAccTokenDataSource_repeatedReads(t *testing.T) {
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
			wantTokenCalls(t, mock, auth.Smartling, c.authents, c.refreshes)
		})
	}
}
