package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

// testRetryWait keeps retry backoff short in tests; Retry-After still rules.
const testRetryWait = 20 * time.Millisecond

// factories returns the provider under test (one token cache for the whole
// test, as in one provider process) and the echo provider, which surfaces
// ephemeral values into state for assertions.
func factories(clock auth.Clock) map[string]func() (tfprotov6.ProviderServer, error) {
	return versionFactories("test", clock)
}

// versionFactories is factories with the provider at version.
func versionFactories(version string, clock auth.Clock) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"translationauth": providerserver.NewProtocol6WithError(newFactory(version, clock, testRetryWait)()),
		"echo":            echoprovider.NewProviderServer(),
	}
}

// sharedFactories is factories whose provider instances share one cache.
func sharedFactories(clock auth.Clock) map[string]func() (tfprotov6.ProviderServer, error) {
	f := newFactory("test", clock, testRetryWait)
	return map[string]func() (tfprotov6.ProviderServer, error){
		"translationauth": func() (tfprotov6.ProviderServer, error) { return providerserver.NewProtocol6WithError(f())() },
		"echo":            echoprovider.NewProviderServer(),
	}
}

// applyOnce applies config in one step with the providers of factories and
// checks the state. A configuration with an ephemeral block runs only on the
// CLIs that have ephemeral resources (versionsFor: Terraform 1.10, OpenTofu 1.11).
func applyOnce(t *testing.T, factories map[string]func() (tfprotov6.ProviderServer, error), config string, checks ...statecheck.StateCheck) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   versionsFor(config),
		ProtoV6ProviderFactories: factories,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
}

// startMock starts the mock APIs with the demo accounts, changed by edit.
// wantTokenCalls fails t unless the mock received exactly authenticates
// token requests that present credentials (Smartling authenticate, an OAuth2
// password grant) and refreshes refresh requests from p.
func wantTokenCalls(t *testing.T, mock *mockapi.Server, p auth.Platform, authenticates, refreshes int) {
	t.Helper()
	a, r := mock.Count(p, mockapi.OpAuthenticate), mock.Count(p, mockapi.OpRefresh)
	if a != authenticates || r != refreshes {
		t.Errorf("%s received %d authenticate and %d refresh calls, want %d and %d", p, a, r, authenticates, refreshes)
	}
}

func startMock(t *testing.T, edit func(*mockapi.Config)) *mockapi.Server {
	t.Helper()
	cfg := mockapi.DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	return mocktest.New(t, cfg)
}

// echoConfig surfaces an ephemeral resource's values through the echo provider.
func echoConfig(ephemeralAddr string) string {
	return fmt.Sprintf(`
provider "echo" {
  data = %s
}
resource "echo" "test" {}
`, ephemeralAddr)
}

// mustFail is a step check that fails when a step meant to fail succeeded.
func mustFail(*terraform.State) error {
	return fmt.Errorf("expected the step to fail, and it succeeded")
}

// clearEnv unsets every environment variable the provider reads, so that the
// machine's environment cannot change a test. Tests that call it cannot run
// in parallel.
func clearEnv(t *testing.T) {
	for _, p := range platforms {
		for _, in := range p.inputs {
			if in.env != "" {
				t.Setenv(in.env, "")
			}
		}
	}
}
