package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

func TestAccSmartlingTokenDataSource_results(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	addr := "data.translationauth_smartling_token.test"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(fixedClock(testNow)),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
data "translationauth_smartling_token" "test" {
  account_id = "acct-1"
  project_id = "proj-1"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("token_type"), knownvalue.StringExact("Bearer")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("access_token"), acctest.MinLength(500)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("authorization_header"), acctest.StringPrefix("Bearer ey")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("refresh_token"), acctest.MinLength(500)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(480)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_at"), knownvalue.StringExact("2026-11-21T12:08:00Z")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("refresh_expires_in"), knownvalue.Int64Exact(3660)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("refresh_expires_at"), knownvalue.StringExact("2026-11-21T13:01:00Z")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("api_base_url"), knownvalue.StringExact(mock.BaseURL(mockapi.Smartling))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.StringExact("acct-1")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact("proj-1")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("min_validity"), knownvalue.Null()),
				statecheck.CompareValuePairs(addr, tfjsonpath.New("authorization_header"), addr, tfjsonpath.New("access_token"), bearerOf{}),
			},
		}},
	})
	// Every read of the test shared one token: the cache reused it.
	if n := mock.Count(mockapi.Smartling, mockapi.OpAuthenticate); n != 1 {
		t.Errorf("authenticate calls = %d, want 1", n)
	}
}

func TestAccSmartlingTokenDataSource_manyReadsOneRequest(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
data "translationauth_smartling_token" "many" {
  count = 25
}
ephemeral "translationauth_smartling_token" "many" {
  count = 25
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.translationauth_smartling_token.many[24]", tfjsonpath.New("token_type"), knownvalue.StringExact("Bearer")),
			},
		}},
	})
	if n := mock.Count(mockapi.Smartling, mockapi.OpAuthenticate); n != 1 {
		t.Errorf("authenticate calls = %d for 50 reads over the whole test, want 1", n)
	}
	if n := mock.Count(mockapi.Smartling, mockapi.OpRefresh); n != 0 {
		t.Errorf("refresh calls = %d, want 0", n)
	}
}

func TestAccSmartlingTokenDataSource_wrongSecret(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	const secret = "this-secret-is-wrong"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		ErrorCheck: acctest.ExpectErrorWithout([]string{
			"Smartling Token Request Failed", "HTTP 401", "AUTHENTICATION_ERROR", "request id",
			"user_secret", "SMARTLING_USER_SECRET",
		}, secret),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + fmt.Sprintf(`
data "translationauth_smartling_token" "test" {
  user_secret = %q
}`, secret),
			Check: mustFail,
		}},
	})
	if n := mock.Count(mockapi.Smartling, mockapi.OpAuthenticate); n != 1 {
		t.Errorf("authenticate calls = %d, want 1 (a 401 is not retried)", n)
	}
}

func TestAccSmartlingTokenDataSource_refreshRejectedAuthenticatesAgain(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	// The first request authenticates normally; the refresh that follows is
	// answered 401, as past Smartling's session cap.
	mock.Inject(mockapi.Smartling, mockapi.Fault{}, mockapi.Fault{Status: 401})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
data "translationauth_smartling_token" "first" {}
data "translationauth_smartling_token" "second" {
  # Needs more than the first token has left: the provider refreshes.
  min_validity = "480s"
  depends_on   = [data.translationauth_smartling_token.first]
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.translationauth_smartling_token.second", tfjsonpath.New("expires_in"), knownvalue.Int64Exact(480)),
			},
		}},
	})
	calls := mock.Calls(mockapi.Smartling)
	if len(calls) < 3 {
		t.Fatalf("got %d calls, want at least 3", len(calls))
	}
	want := []struct {
		op     string
		status int
	}{{mockapi.OpAuthenticate, 200}, {mockapi.OpRefresh, 401}, {mockapi.OpAuthenticate, 200}}
	for i, w := range want {
		if calls[i].Op != w.op || calls[i].Status != w.status {
			t.Errorf("call %d = %s %d, want %s %d", i, calls[i].Op, calls[i].Status, w.op, w.status)
		}
	}
}

func TestAccSmartlingTokenDataSource_precedence(t *testing.T) {
	clearEnv(t)
	mock := startMock(t, func(c *mockapi.Config) {
		c.Smartling.Users = map[string]string{"env-user": "env-secret", "block-user": "block-secret", "arg-user": "arg-secret"}
	})
	fx := fixture(smartling)
	for input, v := range map[string]string{
		"base_url": mock.BaseURL(fx.mock), "user_identifier": "env-user", "user_secret": "env-secret",
		"account_id": "env-account", "project_id": "env-project",
	} {
		t.Setenv(fx.env(input), v)
	}
	addr := "data.translationauth_smartling_token.test"
	identity := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			calls := mock.Calls(mockapi.Smartling)
			if got := calls[len(calls)-1].Form.Get("userIdentifier"); got != want {
				return fmt.Errorf("authenticated as %q, want %q", got, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		IsUnitTest:               true,
		ProtoV6ProviderFactories: sharedFactories(nil),
		Steps: []resource.TestStep{
			{
				// Environment only.
				Config: `data "translationauth_smartling_token" "test" {}`,
				Check:  identity("env-user"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.StringExact("env-account")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact("env-project")),
				},
			},
			{
				// The provider block wins over the environment.
				Config: `
provider "translationauth" {
  smartling = {
    user_identifier = "block-user"
    user_secret     = "block-secret"
    project_id      = "block-project"
  }
}
data "translationauth_smartling_token" "test" {}`,
				Check: identity("block-user"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.StringExact("env-account")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact("block-project")),
				},
			},
			{
				// The data source's arguments win over both.
				Config: `
provider "translationauth" {
  smartling = {
    user_identifier = "block-user"
    user_secret     = "block-secret"
  }
}
data "translationauth_smartling_token" "test" {
  user_identifier = "arg-user"
  user_secret     = "arg-secret"
  account_id      = "arg-account"
}`,
				Check: identity("arg-user"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.StringExact("arg-account")),
				},
			},
			{
				// A wrong secret in the provider block is not rescued by a
				// right one in the environment: precedence, not fallback.
				Config: `
provider "translationauth" {
  smartling = {
    user_identifier = "env-user"
    user_secret     = "wrong-secret"
  }
}
data "translationauth_smartling_token" "test" {}`,
				ExpectError: regexp.MustCompile(`HTTP 401 AUTHENTICATION_ERROR`),
			},
		},
	})
}

func TestAccSmartlingTokenDataSource_missingCredentials(t *testing.T) {
	clearEnv(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: `data "translationauth_smartling_token" "test" {
  user_identifier = "someone"
}`,
			ExpectError: regexp.MustCompile(`(?s)Missing Smartling user_secret.*smartling\.user_secret.*SMARTLING_USER_SECRET`),
		}},
	})
}

// TestAccSmartlingTokenDataSource_unknownProviderValue: a data source is read
// during plan, so a provider secret unknown until apply is an error that names
// the attribute and points at the ephemeral resource, and no request is sent.
func TestAccSmartlingTokenDataSource_unknownProviderValue(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      unknownSecretConfig(mock) + `data "translationauth_smartling_token" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unknown Smartling user_secret.*smartling\.user_secret.*ephemeral\s+resource`),
		}},
	})
	if n := len(mock.Calls(mockapi.Smartling)); n != 0 {
		t.Errorf("%d token requests were sent with an unknown secret, want none", n)
	}
}
