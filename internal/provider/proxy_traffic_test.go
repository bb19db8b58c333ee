package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// burstAPI is an API that limits concurrent operations as Smartling does: it
// answers 429 MAX_OPERATIONS_LIMIT_EXCEEDED to a request beyond limit in
// flight, and to every third request besides (a burst elsewhere in the
// account), and 200 after a short while otherwise.
type burstAPI struct {
	limit                 int32
	inFlight, peak, total atomic.Int32
	limited, served       atomic.Int32
}

func (a *burstAPI) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	n := a.inFlight.Add(1)
	defer a.inFlight.Add(-1)
	for p := a.peak.Load(); n > p && !a.peak.CompareAndSwap(p, n); p = a.peak.Load() {
	}
	w.Header().Set("Content-Type", "application/json")
	if n > a.limit || a.total.Add(1)%3 == 0 {
		a.limited.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"response":{"code":"MAX_OPERATIONS_LIMIT_EXCEEDED","errors":[]}}`)
		return
	}
	time.Sleep(10 * time.Millisecond)
	a.served.Add(1)
	_, _ = io.WriteString(w, `{"response":{"code":"SUCCESS","data":{}}}`)
}

// TestAccProxy_rateLimitedAPI has a downstream consumer call, 6 resources at
// once and 5 calls each, through a Smartling proxy whose API answers 429 to
// bursts: with max_concurrent_requests = 2 every call succeeds, the 429s
// retried in the proxy, and the API never has more than 2 requests at once.
func TestAccProxy_rateLimitedAPI(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	var fx *platformFixture
	for _, f := range platformFixtures {
		if f.mock == auth.Smartling {
			fx = f
		}
	}
	tokenAPI, err := url.Parse(mock.BaseURL(auth.Smartling))
	if err != nil {
		t.Fatal(err)
	}
	tokens := httputil.NewSingleHostReverseProxy(tokenAPI)
	api := &burstAPI{limit: 2}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/auth-api/") {
			tokens.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	const resources, calls = 6, 5
	checks := make([]statecheck.StateCheck, resources)
	for i := range checks {
		checks[i] = statecheck.ExpectKnownValue(fmt.Sprintf("downstream_calls.burst[%d]", i),
			tfjsonpath.New("succeeded"), knownvalue.Int64Exact(calls))
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: proxyFactories(&downstream{}),
		Steps: []resource.TestStep{{
			Config: "provider \"translationauth\" {\n" + fx.attribute(fx.demo(front.URL)) + "}\n" + fmt.Sprintf(`
ephemeral "translationauth_smartling_proxy" "api" {
  max_concurrent_requests = 2
  max_retries             = 10
}
provider "downstream" {
  base_url = ephemeral.translationauth_smartling_proxy.api.url
}
resource "downstream_calls" "burst" {
  count    = %d
  path     = "/jobs-api/v3/projects/p/jobs"
  calls    = %d
  interval = "0s"
}
`, resources, calls),
			ConfigStateChecks: checks,
		}},
	})
	if peak := api.peak.Load(); peak > 2 {
		t.Errorf("the API had %d requests at once, want at most max_concurrent_requests = 2", peak)
	}
	if n := api.served.Load(); n != resources*calls {
		t.Errorf("the API served %d calls, want %d", n, resources*calls)
	}
	if api.limited.Load() == 0 {
		t.Error("the API answered no 429: nothing was retried")
	}
}

// A proxy's max_retries and request_timeout default to the provider block's
// (the client's options); max_concurrent_requests to no limit; set ones win.
func TestReadProxyTraffic(t *testing.T) {
	t.Parallel()
	opts := auth.ClientOptions{MaxRetries: 7, Timeout: 45 * time.Second, RetryWaitMin: time.Millisecond}
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	cases := []struct {
		name    string
		config  map[string]tftypes.Value
		want    proxyTraffic
		pending string
	}{
		{"none set: the provider's", nil,
			proxyTraffic{maxConcurrent: 0, maxRetries: 7, retryWaitMin: time.Millisecond, requestTimeout: 45 * time.Second}, ""},
		{"all set", map[string]tftypes.Value{attrMaxConcurrentRequests: num(3), attrMaxRetries: num(0),
			attrRequestTimeout: tftypes.NewValue(tftypes.String, "2s")},
			proxyTraffic{maxConcurrent: 3, maxRetries: 0, retryWaitMin: time.Millisecond, requestTimeout: 2 * time.Second}, ""},
		{"unknown: pending", map[string]tftypes.Value{attrMaxConcurrentRequests: tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)},
			proxyTraffic{}, attrMaxConcurrentRequests},
		{"all unknown: the first, every time", map[string]tftypes.Value{
			attrMaxConcurrentRequests: tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
			attrMaxRetries:            tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
			attrRequestTimeout:        tftypes.NewValue(tftypes.String, tftypes.UnknownValue)},
			proxyTraffic{}, attrMaxConcurrentRequests},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			got, pending := readProxyTraffic(&record{config: tc.config}, opts, &diags)
			if diags.HasError() || pending != tc.pending || (pending == "" && got != tc.want) {
				t.Errorf("got %+v, pending %q, %v; want %+v, pending %q", got, pending, diags, tc.want, tc.pending)
			}
		})
	}
}

// TestReadProxyTraffic_badRequestTimeout: a request_timeout that the
// validator could not see (it was unknown at validate time) is still checked
// when the proxy opens, with the error at the attribute.
func TestReadProxyTraffic_badRequestTimeout(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"soon", "0s", "6m"} {
		t.Run(v, func(t *testing.T) {
			var diags diag.Diagnostics
			readProxyTraffic(&record{config: map[string]tftypes.Value{attrRequestTimeout: tftypes.NewValue(tftypes.String, v)}},
				auth.ClientOptions{}, &diags)
			if len(diags) != 1 || diags[0].Summary() != "Invalid Duration" {
				t.Fatalf("request_timeout %q: diagnostics %v, want one Invalid Duration", v, diags)
			}
			if d, ok := diags[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root(attrRequestTimeout)) {
				t.Errorf("request_timeout %q: the diagnostic is not at the attribute request_timeout: %v", v, diags[0])
			}
		})
	}
}
