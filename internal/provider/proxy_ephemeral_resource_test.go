package provider

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// proxyFactories serves the provider under test beside the test-only
// downstream provider, configured from a proxy's url, and the echo provider.
func proxyFactories(d *downstream) map[string]func() (tfprotov6.ProviderServer, error) {
	f := factories(nil)
	f["downstream"] = d.server()
	return f
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

// TestAccProxyEphemeralResource_smartling opens
// ephemeral.translationauth_smartling_proxy with the demo account in the
// provider block, surfaces it through the echo provider, and configures the
// test-only downstream provider from its url, whose resource calls the mock's
// whoami through it: every result, written out, and the call.
// Like every configuration with an ephemeral block, applyOnce skips it
// below Terraform 1.10 (tfversion.SkipBelow) and OpenTofu 1.11.
func TestAccProxyEphemeralResource_smartling(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	d := &downstream{}
	api := tfjsonpath.New("data")
	applyOnce(t, proxyFactories(d), fmt.Sprintf(`
provider "translationauth" {
  smartling = {
    user_identifier = %q
    user_secret     = %q
    base_url        = %q
  }
}

ephemeral "translationauth_smartling_proxy" "api" {
  project_id   = "proj-1"
  min_validity = "2m"
}

provider "echo" {
  data = ephemeral.translationauth_smartling_proxy.api
}

resource "echo" "test" {}
`, mockapi.DemoSmartlingUserIdentifier, mockapi.DemoSmartlingUserSecret, mock.BaseURL(auth.Smartling))+
		whoamiCalls("ephemeral.translationauth_smartling_proxy.api", "whoami", 1, "0s"),
		// The arguments, as the configuration sets them.
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("user_identifier"), knownvalue.Null()),
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("user_secret"), knownvalue.Null()),
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("base_url"), knownvalue.Null()),
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("account_id"), knownvalue.Null()),
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("project_id"), knownvalue.StringExact("proj-1")),
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("min_validity"), knownvalue.StringExact("2m")),
		// The proxy: a loopback address with a 128-bit prefix, in front of the API root.
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("url"),
			knownvalue.StringRegexp(regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+/[0-9a-f]{32}$`))),
		statecheck.ExpectKnownValue("echo.test", api.AtMapKey("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.Smartling))),
		// The downstream's call through it.
		statecheck.ExpectKnownValue("downstream_calls.whoami", tfjsonpath.New("succeeded"), knownvalue.Int64Exact(1)),
	)
	if n := mock.Count(auth.Smartling, mockapi.OpWhoami); n != 1 {
		t.Errorf("the mock answered %d whoami calls, want 1 (through the proxy)", n)
	}
	if n := len(d.configured()); n == 0 {
		t.Error("the downstream provider was never configured with the proxy's url")
	}
}

// TestAccProxy_longApplyOutlivesTokens runs, for each platform, a downstream
// provider configured from the proxy's url that calls the mock's protected
// API 8 times over about 7 seconds while tokens live 2: every call succeeds,
// the mock shows the tokens were renewed, and after the run no proxy port
// accepts a connection.
func TestAccProxy_longApplyOutlivesTokens(t *testing.T) {
	t.Parallel()
	eachCell(t, grid(platformFixtures, asProxy), func(t *testing.T, c cell) {
		mock := startMock(t, shortLived(2*time.Second))
		d := &downstream{}
		mp := c.mock
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   ephemeralVersions,
			ProtoV6ProviderFactories: proxyFactories(d),
			Steps: []resource.TestStep{{
				Config: providerConfig(mock) + fmt.Sprintf(`
ephemeral %q "api" {
  min_validity = "1s"
}
`, c.typeName(proxyFace)) + whoamiCalls("ephemeral."+c.typeName(proxyFace)+".api", "long", 8, "900ms"),
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
