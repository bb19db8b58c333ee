package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// uaVersion is the provider version of the User-Agent tests: not the "test"
// of the other tests, so that a hard-coded version cannot pass.
const uaVersion = "0.1.0-uatest"

// uaFactories are factories whose provider has version uaVersion.
func uaFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"translationauth": providerserver.NewProtocol6WithError(newFactory(uaVersion, nil, testRetryWait)()),
		"echo":            echoprovider.NewProviderServer(),
	}
}

// TestAccUserAgent_dataSources checks, through the real CLI, that every token
// request the data sources make names the provider and its version in
// User-Agent.
func TestAccUserAgent_dataSources(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: uaFactories(),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
data "translationauth_smartling_token" "t" {}
data "translationauth_easytranslate_token" "t" {}
data "translationauth_smartconnect_token" "t" {}`,
		}},
	})
	checkUserAgents(t, mock)
}

// TestAccUserAgent_ephemeralResources is TestAccUserAgent_dataSources for the
// ephemeral resources.
func TestAccUserAgent_ephemeralResources(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: uaFactories(),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
ephemeral "translationauth_smartling_token" "t" {}
ephemeral "translationauth_easytranslate_token" "t" {}
ephemeral "translationauth_smartconnect_token" "t" {}
` + echoConfig(`[
    ephemeral.translationauth_smartling_token.t.token_type,
    ephemeral.translationauth_easytranslate_token.t.token_type,
    ephemeral.translationauth_smartconnect_token.t.token_type,
  ]`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("Bearer"), knownvalue.StringExact("Bearer"), knownvalue.StringExact("Bearer"),
				})),
			},
		}},
	})
	checkUserAgents(t, mock)
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
