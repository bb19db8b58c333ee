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

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

func TestAccSmartlingTokenDataSource_manyReadsOneRequest(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions, // it reads ephemeral resources too
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
	// One token for the data sources and one for the ephemeral resources: the
	// two never share a token, since a data source's goes to state.
	if n := mock.Count(auth.Smartling, mockapi.OpAuthenticate); n != 2 {
		t.Errorf("authenticate calls = %d for 50 reads over the whole test, want 2 (one per cache scope)", n)
	}
	if n := mock.Count(auth.Smartling, mockapi.OpRefresh); n != 0 {
		t.Errorf("refresh calls = %d, want 0", n)
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
	// Each step: a configuration, whom the token request must authenticate,
	// and the pass-through results it must report.
	steps := []struct {
		why    string
		config string
		user   string
		want   map[string]string // result: value
	}{
		{why: "environment only", config: `data "translationauth_smartling_token" "test" {}`,
			user: "env-user", want: map[string]string{"account_id": "env-account", "project_id": "env-project"}},
		{why: "the provider block wins over the environment", config: `
provider "translationauth" {
  smartling = {
    user_identifier = "block-user"
    user_secret     = "block-secret"
    project_id      = "block-project"
  }
}
data "translationauth_smartling_token" "test" {}`,
			user: "block-user", want: map[string]string{"account_id": "env-account", "project_id": "block-project"}},
		{why: "the data source's arguments win over both", config: `
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
			user: "arg-user", want: map[string]string{"account_id": "arg-account"}},
	}
	var testSteps []resource.TestStep
	for _, s := range steps {
		var checks []statecheck.StateCheck
		for result, want := range s.want {
			checks = append(checks, statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New(result), knownvalue.StringExact(want)))
		}
		testSteps = append(testSteps, resource.TestStep{
			Config: s.config,
			Check: func(*terraform.State) error {
				calls := mock.Calls(auth.Smartling)
				if got := calls[len(calls)-1].Form.Get("userIdentifier"); got != s.user {
					return fmt.Errorf("%s: authenticated as %q, want %q", s.why, got, s.user)
				}
				return nil
			},
			ConfigStateChecks: checks,
		})
	}
	resource.Test(t, resource.TestCase{
		IsUnitTest:               true,
		ProtoV6ProviderFactories: sharedFactories(nil),
		Steps: append(testSteps, resource.TestStep{
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
		}),
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
	if n := len(mock.Calls(auth.Smartling)); n != 0 {
		t.Errorf("%d token requests were sent with an unknown secret, want none", n)
	}
}
