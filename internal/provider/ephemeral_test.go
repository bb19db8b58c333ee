package provider

import (
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// What the two ephemeral faces (token and proxy) share (ephemeral.go): how
// they open when a provider value is not known yet.

// TestAccEphemeral_unknownProviderValue plans with a provider secret that is
// unknown until apply, through each ephemeral face: the plan gets unknown
// results, opens no proxy and sends no request; the apply gets the token, or
// starts a proxy that serves the downstream provider. OpenTofu (1.12) refuses
// unknown results from an ephemeral resource, so there the plan fails with
// its own message, and still no request goes out.
func TestAccEphemeral_unknownProviderValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		face   string
		config string // after the provider block
		check  statecheck.StateCheck
		op     string // the call that shows the apply went through
	}{
		{face: "token", config: `
ephemeral "translationauth_smartling_token" "test" {}` + echoConfig("ephemeral.translationauth_smartling_token.test.token_type"),
			check: statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.StringExact("Bearer")),
			op:    mockapi.OpAuthenticate},
		{face: "proxy", config: `
ephemeral "translationauth_smartling_proxy" "api" {}` + whoamiCalls("ephemeral.translationauth_smartling_proxy.api", "one", 1, "0s"),
			check: statecheck.ExpectKnownValue("downstream_calls.one", tfjsonpath.New("succeeded"), knownvalue.Int64Exact(1)),
			op:    mockapi.OpWhoami},
	}
	openTofu := os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
	for _, c := range cases {
		t.Run(c.face, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			step := resource.TestStep{
				Config:            unknownSecretConfig(mock) + c.config,
				ConfigStateChecks: []statecheck.StateCheck{c.check},
			}
			if openTofu {
				step.ConfigStateChecks = nil
				step.ExpectError = regexp.MustCompile(`not\s+wholly\s+known`)
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   ephemeralVersions,
				ProtoV6ProviderFactories: proxyFactories(&downstream{}),
				Steps:                    []resource.TestStep{step},
			})
			calls := mock.Calls(auth.Smartling)
			if openTofu {
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
