package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The open flow every face shares: where each setting comes from
// (argument, provider block, environment, default), and what a read does when
// a credential is missing or not known yet.

// TestAccOpen_precedence resolves each setting from the argument, the provider
// block, then the environment, per attribute.
func TestAccOpen_precedence(t *testing.T) {
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

// TestAccOpen_missingCredentials names the missing input, its provider
// attribute and its environment variable.
func TestAccOpen_missingCredentials(t *testing.T) {
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

// TestAccOpen_unknownProviderValue plans with a provider secret that is
// unknown until apply, through each face. A data source is read during plan,
// so there it is an error that names the attribute and points at the
// ephemeral resource. The ephemeral faces plan with unknown results, open no
// proxy and send no request; the apply gets the token, or starts a proxy that
// serves the downstream provider. OpenTofu (1.12) refuses unknown results from
// an ephemeral resource, so there their plan fails with its own message. No
// request ever goes out with the secret unknown.
func TestAccOpen_unknownProviderValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		face     string
		config   string // after the provider block
		versions []tfversion.TerraformVersionCheck
		wantErr  *regexp.Regexp        // the plan fails with it
		check    statecheck.StateCheck // or the apply passes it
		op       string                // the call that shows the apply went through
	}{
		{face: "data source", config: `
data "translationauth_smartling_token" "test" {}`,
			wantErr: regexp.MustCompile(`(?s)Unknown Smartling user_secret.*smartling\.user_secret.*ephemeral\s+resource`)},
		{face: "token", config: `
ephemeral "translationauth_smartling_token" "test" {}` + echoConfig("ephemeral.translationauth_smartling_token.test.token_type"),
			versions: ephemeralVersions,
			check:    statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.StringExact("Bearer")),
			op:       mockapi.OpAuthenticate},
		{face: "proxy", config: `
ephemeral "translationauth_smartling_proxy" "api" {}` + whoamiCalls("ephemeral.translationauth_smartling_proxy.api", "one", 1, "0s"),
			versions: ephemeralVersions,
			check:    statecheck.ExpectKnownValue("downstream_calls.one", tfjsonpath.New("succeeded"), knownvalue.Int64Exact(1)),
			op:       mockapi.OpWhoami},
	}
	openTofu := os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
	for _, c := range cases {
		t.Run(c.face, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			step := resource.TestStep{Config: unknownSecretConfig(mock) + c.config, ExpectError: c.wantErr}
			switch {
			case c.wantErr != nil:
			case openTofu:
				step.ExpectError = regexp.MustCompile(`not\s+wholly\s+known`)
			default:
				step.ConfigStateChecks = []statecheck.StateCheck{c.check}
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   c.versions,
				ProtoV6ProviderFactories: proxyFactories(&downstream{}),
				Steps:                    []resource.TestStep{step},
			})
			calls := mock.Calls(auth.Smartling)
			if step.ExpectError != nil {
				if len(calls) != 0 {
					t.Errorf("%d requests were sent with an unknown secret, want none", len(calls))
				}
				return
			}
			for _, call := range calls {
				if call.Op != mockapi.OpWhoami && (call.Status != http.StatusOK || call.Form.Get("userSecret") != mockapi.DemoSmartlingUserSecret) {
					t.Errorf("a token request went out with an unknown or wrong secret: HTTP %d", call.Status)
				}
			}
			if n := mock.Count(auth.Smartling, c.op); n != 1 {
				t.Errorf("the mock answered %d %s calls once the secret was known, want 1", n, c.op)
			}
		})
	}
}

// unknownSecretConfig takes the provider's user secret from a value Terraform
// learns only during apply.
func unknownSecretConfig(mock *mockapi.Server) string {
	fx := fixture(smartling)
	hcl := fx.demo(mock.BaseURL(fx.mock))
	hcl["user_secret"] = "terraform_data.secret.output"
	return fmt.Sprintf("\nresource \"terraform_data\" \"secret\" {\n  input = %q\n}\n", fx.creds["user_secret"]) +
		"provider \"translationauth\" {\n" + fx.attribute(hcl) + "}\n"
}

// TestAccOpen_baseURLEnvOverridesConfiguredSelector sets region and
// environment in the configuration and the *_BASE_URL variables in the
// environment: the requests go to the base URLs, and the results still report
// the region and environment.
func TestAccOpen_baseURLEnvOverridesConfiguredSelector(t *testing.T) {
	mock := startMock(t, nil)
	clearEnv(t)
	t.Setenv("EASYTRANSLATE_BASE_URL", mock.BaseURL(auth.EasyTranslate))
	t.Setenv("SMARTCONNECT_BASE_URL", mock.BaseURL(auth.SmartConnect))
	applyOnce(t, factories(nil), fmt.Sprintf(`
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
		statecheck.ExpectKnownValue("data.translationauth_easytranslate_token.test", tfjsonpath.New("environment"), knownvalue.StringExact("sandbox")),
		statecheck.ExpectKnownValue("data.translationauth_easytranslate_token.test", tfjsonpath.New("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.EasyTranslate))),
		statecheck.ExpectKnownValue("data.translationauth_smartconnect_token.test", tfjsonpath.New("region"), knownvalue.StringExact("EU")),
		statecheck.ExpectKnownValue("data.translationauth_smartconnect_token.test", tfjsonpath.New("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.SmartConnect))),
	)
	for _, p := range []auth.Platform{auth.EasyTranslate, auth.SmartConnect} {
		if n := mock.Count(p, mockapi.OpAuthenticate); n != 1 {
			t.Errorf("%s received %d authenticate calls, want 1", p, n)
		}
	}
}
