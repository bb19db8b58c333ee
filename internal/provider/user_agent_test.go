package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// uaVersion is the provider version of the User-Agent tests: not the "test"
// of the other tests, so that a hard-coded version cannot pass.
const uaVersion = "0.1.0-uatest"

// TestAccUserAgent checks, through the real CLI, that every token request
// of every platform's type names the provider and its version in User-Agent.
func TestAccUserAgent(t *testing.T) {
	t.Parallel()
	for _, f := range tokenFaces {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			cfg := providerConfig(mock)
			var tokenTypes []string
			var checks []statecheck.StateCheck
			for _, c := range grid(platformFixtures, f) {
				cfg += c.declare("t", "")
				if f.keyword == "data" {
					checks = append(checks, statecheck.ExpectKnownValue(c.ref("t"), tfjsonpath.New("token_type"), knownvalue.StringExact("Bearer")))
				}
				tokenTypes = append(tokenTypes, c.ref("t")+".token_type")
			}
			if f.keyword == "ephemeral" {
				cfg += echoConfig("[" + strings.Join(tokenTypes, ", ") + "]")
				bearers := make([]knownvalue.Check, len(tokenTypes))
				for i := range bearers {
					bearers[i] = knownvalue.StringExact("Bearer")
				}
				checks = append(checks, statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.ListExact(bearers)))
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   f.versionChecks(),
				ProtoV6ProviderFactories: versionFactories(uaVersion, nil),
				Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
			})
			checkUserAgents(t, mock)
		})
	}
}

// checkUserAgents checks that every platform got at least one token request
// and that each one's User-Agent starts with the product
// terraform-provider-translationauth/<version> (comments or further products
// may follow it, as RFC 9110 allows).
func checkUserAgents(t *testing.T, mock *mockapi.Server) {
	t.Helper()
	want := fmt.Sprintf("terraform-provider-translationauth/%s", uaVersion)
	for _, p := range mockapi.Platforms {
		n := 0
		for _, c := range mock.Calls(p) {
			if c.Op == mockapi.OpWhoami {
				continue
			}
			n++
			ua := c.Header.Get("User-Agent")
			if product, _, _ := strings.Cut(ua, " "); product != want {
				t.Errorf("%s %s request sent User-Agent %q, want it to start with %q", p, c.Op, ua, want)
			}
		}
		if n == 0 {
			t.Errorf("no token request reached the %s mock", p)
		}
	}
}
