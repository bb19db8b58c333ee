package provider

import (
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// proxyFactories serves the provider under test beside the test-only
// downstream provider, configured from a proxy's url, and the echo provider.
func proxyFactories(d *downstream) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"translationauth": providerserver.NewProtocol6WithError(newFactory("test", nil, testRetryWait)()),
		"downstream":      d.server(),
		"echo":            echoprovider.NewProviderServer(),
	}
}

// shortLived makes every platform's mock issue tokens that live ttl.
func shortLived(ttl time.Duration) func(*mockapi.Config) {
	return func(c *mockapi.Config) {
		c.Smartling.AccessTTL = ttl
		for _, fx := range oauthFixtures {
			fx.oauth(c).AccessTTL = ttl
		}
	}
}

// TestAccProxy_longApplyOutlivesTokens runs, for each platform, a downstream
// provider configured from the proxy's url that calls the mock's protected
// API 8 times over about 7 seconds while tokens live 2: every call succeeds,
// the mock shows the tokens were renewed, and after the run no proxy port
// accepts a connection.
func TestAccProxy_longApplyOutlivesTokens(t *testing.T) {
	t.Parallel()
	for _, c := range grid(platformFixtures, asProxy) {
		t.Run(c.subtest(), func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, shortLived(2*time.Second))
			d := &downstream{}
			mp := c.mock
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   ephemeralVersions,
				ProtoV6ProviderFactories: proxyFactories(d),
				Steps: []resource.TestStep{{
					Config: providerConfig(mock) + fmt.Sprintf(`
ephemeral %[1]q "api" {
  min_validity = "1s"
}
provider "downstream" {
  base_url = ephemeral.%[1]s.api.url
}
resource "downstream_calls" "long" {
  path     = "/whoami"
  calls    = 8
  interval = "900ms"
}
`, c.typeName(proxyFace)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("downstream_calls.long", tfjsonpath.New("succeeded"), knownvalue.Int64Exact(8)),
					},
				}},
			})
			if n := mock.Count(mp, mockapi.OpWhoami); n != 8 {
				t.Errorf("the mock answered %d whoami calls, want 8", n)
			}
			// The first token served about 2 s of the 7: later calls needed
			// new ones, by refresh or by authenticating again.
			if n := mock.Count(mp, mockapi.OpAuthenticate) + mock.Count(mp, mockapi.OpRefresh); n < 3 {
				t.Errorf("the mock issued %d tokens over a 7-second apply of 2-second tokens, want at least 3", n)
			}
			urls := d.configured()
			if len(urls) == 0 {
				t.Fatal("the downstream provider was never configured with a proxy url")
			}
			seen := map[string]bool{}
			for _, raw := range urls {
				u, err := url.Parse(raw)
				if err != nil || u.Hostname() != "127.0.0.1" || u.Scheme != "http" {
					t.Errorf("proxy url %q is not http://127.0.0.1:<port>/<prefix>", raw)
					continue
				}
				seen[raw] = true
				if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
					c.Close()
					t.Errorf("a proxy port still accepts connections after the run")
				}
			}
			// Plan and apply each open their own proxy.
			if len(seen) < 2 {
				t.Errorf("the run opened %d distinct proxies, want one for plan and one for apply at least", len(seen))
			}
		})
	}
}
