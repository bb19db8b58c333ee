package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The failure tests run every failure class through the real Terraform CLI,
// on a Smartling data source and on an EasyTranslate ephemeral resource (the
// OAuth answers differ, and so the two ways of serving a token are covered);
// wrong credentials run on every platform and face.
// Each checks that the diagnostic names the platform, the HTTP status, the
// API's code and message and the request id when there are any, gives a hint,
// and holds none of the configured secrets; and counts the calls the mock got.

// failureCells are the cells every failure class runs on.
var failureCells = []cell{{fixture(smartling), asDataSource}, {fixture(easyTranslate), asEphemeral}}

// lastRequestID is the request id of the last answer p's mock sent.
func lastRequestID(mock *mockapi.Server, p auth.Platform) string {
	calls := mock.Calls(p)
	if len(calls) == 0 {
		return "(no call)"
	}
	return calls[len(calls)-1].RequestID
}

// failureRun is one failure class on one cell.
type failureRun struct {
	providerArgs string          // provider-level settings such as max_retries
	args         string          // arguments of the token block
	faults       []mockapi.Fault // queued on the platform's mock
	fragments    []string        // the diagnostic must contain these
	secrets      []string        // the diagnostic must not contain these, nor any demo secret
	answered     bool            // an answer arrived: the request id must be named
	calls        int             // calls the mock must have received (-1: do not count)
	status       int             // status of every call the mock answered (0: not checked)
}

// runFailure runs f on c and checks the diagnostic and the calls.
func runFailure(t *testing.T, c cell, f failureRun) {
	t.Helper()
	mock := startMock(t, nil)
	mock.Inject(c.mock, f.faults...)
	// The error must contain every fragment (computed when it arrives, so
	// that they can name the request id the mock sent) and no secret.
	check := func(err error) error {
		fragments := append([]string{string(c.name) + " Token Request Failed"}, f.fragments...)
		if f.answered {
			fragments = append(fragments, "[request id "+lastRequestID(mock, c.mock)+"]")
		}
		return acctest.ExpectErrorWithout(fragments, append(demoSecrets(), f.secrets...)...)(err)
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   c.versionChecks(),
		ProtoV6ProviderFactories: factories(nil),
		ErrorCheck:               check,
		Steps: []resource.TestStep{{
			Config: providerConfigWith(mock, f.providerArgs) + c.test(f.args),
			Check:  mustFail,
		}},
	})
	calls := mock.Calls(c.mock)
	if n := len(calls); f.calls >= 0 && n != f.calls {
		t.Errorf("%s received %d calls, want %d", c.name, n, f.calls)
	}
	for i, call := range calls {
		if f.status != 0 && call.Status != f.status {
			t.Errorf("call %d answered %d, want %d", i, call.Status, f.status)
		}
	}
	if n := mock.PendingFaults(c.mock); n != 0 {
		t.Errorf("%d queued faults were not consumed", n)
	}
}

// hint names the attributes and environment variables a hint must mention.
func hint(fx *platformFixture, inputs ...string) []string {
	var out []string
	for _, in := range inputs {
		out = append(out, fx.block+"."+in, fx.env(in))
	}
	return out
}

func repeatFault(f mockapi.Fault, n int) []mockapi.Fault {
	out := make([]mockapi.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// TestAccTokenFailure_wrongCredentials sends one wrong credential on every
// cell: the API's answer is quoted, the hint names the inputs to check, the
// wrong value is never repeated, and a 4xx is not retried.
func TestAccTokenFailure_wrongCredentials(t *testing.T) {
	t.Parallel()
	for _, c := range grid(platformFixtures, testFaces...) {
		for _, r := range c.rejected {
			t.Run(c.subtest()+"/wrong_"+r.input, func(t *testing.T) {
				t.Parallel()
				runFailure(t, c, failureRun{
					args:      fmt.Sprintf("%s = %q", r.input, r.value),
					fragments: append([]string{fmt.Sprintf("HTTP %d %s", r.status, r.answer)}, hint(c.platformFixture, r.hint...)...),
					secrets:   []string{r.value},
					answered:  true, calls: 1, status: r.status,
				})
			})
		}
	}
}

// runOnFailureCells runs the failure class that run describes for a cell as
// the subtest <Platform>/<face> of every failure cell.
func runOnFailureCells(t *testing.T, run func(c cell) failureRun) {
	t.Parallel()
	eachCell(t, failureCells, func(t *testing.T, c cell) {
		runFailure(t, c, run(c))
	})
}

// retriesExhausted is the failure of a status the mock answers to both
// attempts of max_retries = 1: the API's answer (by platform), then what the
// diagnostic says of it.
func retriesExhausted(status int, answers map[*platform]string, c cell, says ...string) failureRun {
	return failureRun{
		providerArgs: "max_retries = 1",
		faults:       repeatFault(mockapi.Fault{Status: status}, 2),
		fragments:    append([]string{answers[c.platform], "(after 2 attempts)"}, says...),
		answered:     true, calls: 2,
	}
}

func TestAccTokenFailure_rateLimitedAfterRetries(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return retriesExhausted(429, map[*platform]string{
			smartling:     "HTTP 429 MAX_OPERATIONS_LIMIT_EXCEEDED (too.many.requests): Too many simultaneous API requests",
			easyTranslate: "HTTP 429 server_error: Too Many Requests",
		}, c, string(c.name)+" kept answering 429 Too Many Requests", "raise max_retries in the provider block (now 1)")
	})
}

func TestAccTokenFailure_serverErrorAfterRetries(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return retriesExhausted(503, map[*platform]string{
			smartling:     "HTTP 503 MAINTENANCE_MODE_ERROR (maintenance_mode): Service is under maintenance, please try later",
			easyTranslate: "HTTP 503 server_error: Service Unavailable",
		}, c, string(c.name)+" answered with a server error on every attempt")
	})
}

func TestAccTokenFailure_timeout(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return failureRun{
			providerArgs: "request_timeout = \"300ms\"\n  max_retries = 1",
			faults:       repeatFault(mockapi.Fault{Hang: true}, 2),
			fragments: append([]string{"timeout; no answer within the request timeout (after 2 attempts)",
				"No answer came within request_timeout (300ms) per attempt", "raise request_timeout"},
				hint(c.platformFixture, "base_url")...),
			calls: 2,
		}
	})
}

func TestAccTokenFailure_dnsFailure(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return failureRun{
			args: `base_url = "https://nonexistent.invalid"`,
			fragments: append([]string{"DNS failure; the host name did not resolve",
				"this machine can reach https://nonexistent.invalid/"}, hint(c.platformFixture, "base_url")...),
			calls: 0,
		}
	})
}

func TestAccTokenFailure_tlsFailure(t *testing.T) {
	var hits atomic.Int32
	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(untrusted.Close)
	t.Cleanup(func() {
		if n := hits.Load(); n != 0 {
			t.Errorf("the untrusted server received %d requests", n)
		}
	})
	runOnFailureCells(t, func(c cell) failureRun {
		return failureRun{
			providerArgs: "max_retries = 3",
			args:         fmt.Sprintf("base_url = %q", untrusted.URL),
			fragments: append([]string{"TLS failure; the TLS connection or certificate check failed", "certificate",
				"this machine can reach " + untrusted.URL}, hint(c.platformFixture, "base_url")...),
			calls: 0,
		}
	})
}

func TestAccTokenFailure_htmlBadGateway(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return failureRun{
			providerArgs: "max_retries = 0",
			faults:       []mockapi.Fault{{Status: 502, ContentType: "text/html"}},
			fragments: []string{"HTTP 502; the answer is not JSON (text/html); a proxy or gateway may have answered instead of the API",
				string(c.name) + " answered with a server error on every attempt",
				"if base_url (provider attribute " + c.block + ".base_url"},
			answered: true, calls: 1,
		}
	})
}

func TestAccTokenFailure_truncatedBody(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return failureRun{
			faults: []mockapi.Fault{{Truncate: true}},
			fragments: []string{"HTTP 200", "the answer was cut off before its end",
				"The connection broke in the middle of the answer. Run again"},
			answered: true, calls: 1,
		}
	})
}

func TestAccTokenFailure_successWithoutToken(t *testing.T) {
	runOnFailureCells(t, func(c cell) failureRun {
		return failureRun{
			faults: []mockapi.Fault{{NoToken: true}},
			fragments: []string{map[*platform]string{
				smartling:     "HTTP 200 SUCCESS; the answer reports SUCCESS but carries no access token",
				easyTranslate: "HTTP 200; the answer carries no access_token",
			}[c.platform], string(c.name) + " reported success without a token",
				"contact " + string(c.name) + " support with the request id"},
			answered: true, calls: 1,
		}
	})
}

// TestAccProvider_planTimeValidation rejects bad input before any request,
// with a message that names the attribute.
func TestAccProvider_planTimeValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		provider string // provider-level settings
		block    string // a whole token block
		raw      string // instead: the whole configuration
		want     string // regexp over the error, after (?s)
	}{
		{name: "base_url_http_not_loopback",
			block: `data "translationauth_smartling_token" "test" { base_url = "http://api.smartling.com" }`,
			want:  `Invalid Base URL.*base_url.*plain http to a host that is not loopback`},
		{name: "provider_base_url_http_not_loopback",
			raw: `provider "translationauth" {
  easytranslate = { base_url = "http://10.1.2.3:8080" }
}
data "translationauth_smartconnect_regions" "test" {}`,
			want: `Invalid Base URL.*easytranslate\.base_url.*not loopback`},
		{name: "base_url_not_absolute",
			block: `ephemeral "translationauth_smartconnect_token" "test" { base_url = "apina.smartconnect.com" }`,
			want:  `Invalid Base URL.*base_url.*not an absolute URL`},
		{name: "base_url_with_user_info",
			block: `data "translationauth_smartling_token" "test" { base_url = "https://user:pw-in-url@api.smartling.com" }`,
			want:  `Invalid Base URL.*base_url.*user information`},
		{name: "base_url_other_scheme",
			block: `data "translationauth_smartconnect_token" "test" { base_url = "ftp://apina.smartconnect.com" }`,
			want:  `Invalid Base URL.*base_url.*use https`},
		{name: "min_validity_malformed",
			block: `data "translationauth_smartling_token" "test" { min_validity = "ten minutes" }`,
			want:  `Invalid Duration.*min_validity.*not a duration`},
		{name: "min_validity_without_unit",
			block: `ephemeral "translationauth_easytranslate_token" "test" { min_validity = "60" }`,
			want:  `Invalid Duration.*min_validity.*not a duration`},
		{name: "request_timeout_malformed", provider: `request_timeout = "soon"`,
			block: `data "translationauth_smartling_token" "test" {}`,
			want:  `Invalid Duration.*request_timeout.*not a duration`},
		{name: "request_timeout_zero", provider: `request_timeout = "0s"`,
			block: `data "translationauth_smartling_token" "test" {}`,
			want:  `Invalid Duration.*request_timeout.*shorter than the minimum`},
		{name: "max_retries_above_range", provider: `max_retries = 11`,
			block: `data "translationauth_smartling_token" "test" {}`,
			want:  `max_retries.*between 0 and 10, got: 11`},
		{name: "max_retries_negative", provider: `max_retries = -1`,
			block: `data "translationauth_smartling_token" "test" {}`,
			want:  `max_retries.*between 0 and 10, got: -1`},
		{name: "region_unknown",
			block: `data "translationauth_smartconnect_token" "test" { region = "MARS" }`,
			want:  `region.*"NA".*"NA2".*"NA3".*"UK".*"EU".*"EU2".*"AU".*got: "MARS"`},
		{name: "region_wrong_case",
			block: `ephemeral "translationauth_smartconnect_token" "test" { region = "eu" }`,
			want:  `region.*"EU".*got: "eu"`},
		{name: "environment_unknown",
			block: `data "translationauth_easytranslate_token" "test" { environment = "staging" }`,
			want:  `environment.*"production".*"sandbox".*got: "staging"`},
		// Inputs that used to pass validation or fail with an unhelpful message (issue 10).
		{name: "base_url_port_out_of_range",
			block: `data "translationauth_smartling_token" "test" { base_url = "http://127.0.0.1:99999" }`,
			want:  `Invalid Base URL.*base_url.*port 99999; a port is a number from 1 to 65535`},
		{name: "base_url_trailing_space",
			block: `data "translationauth_smartling_token" "test" { base_url = "https://api.smartling.com " }`,
			want:  `Invalid Base URL.*base_url.*leading or trailing whitespace`},
		{name: "base_url_leading_space",
			block: `ephemeral "translationauth_smartconnect_token" "test" { base_url = " https://apina.smartconnect.com" }`,
			want:  `Invalid Base URL.*base_url.*leading or trailing whitespace`},
		{name: "max_retries_fraction", provider: `max_retries = 1.5`,
			block: `data "translationauth_smartling_token" "test" {}`,
			want:  `Invalid Number.*max_retries.*whole number between 0 and 10, got: 1.5`},
		{name: "request_timeout_above_maximum", provider: `request_timeout = "6m"`,
			block: `data "translationauth_smartling_token" "test" {}`,
			want:  `Invalid Duration.*request_timeout.*longer than the maximum of 5m0s`},
		{name: "min_validity_above_maximum",
			block: `data "translationauth_smartling_token" "test" { min_validity = "9000h" }`,
			want:  `Invalid Duration.*min_validity.*longer than the maximum of 8784h0m0s`},
		// The proxy face's own arguments (issue 18), on the proxy types only.
		{name: "max_concurrent_requests_negative",
			block: `ephemeral "translationauth_smartling_proxy" "test" { max_concurrent_requests = -1 }`,
			want:  `Invalid Number.*max_concurrent_requests.*whole number between 0 and 256, got: -1`},
		{name: "max_concurrent_requests_fraction",
			block: `ephemeral "translationauth_smartling_proxy" "test" { max_concurrent_requests = 2.5 }`,
			want:  `Invalid Number.*max_concurrent_requests.*got: 2.5`},
		{name: "proxy_max_retries_above_range",
			block: `ephemeral "translationauth_easytranslate_proxy" "test" { max_retries = 11 }`,
			want:  `Invalid Number.*max_retries.*between 0 and 10, got: 11`},
		{name: "proxy_request_timeout_malformed",
			block: `ephemeral "translationauth_smartconnect_proxy" "test" { request_timeout = "soon" }`,
			want:  `Invalid Duration.*request_timeout.*not a duration`},
		{name: "max_concurrent_requests_on_a_token_type",
			block: `ephemeral "translationauth_smartling_token" "test" { max_concurrent_requests = 2 }`,
			want:  `Unsupported argument.*max_concurrent_requests`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			cfg := providerConfigWith(mock, c.provider) + c.block
			if c.raw != "" {
				cfg = c.raw
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   versionsFor(cfg),
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:   cfg,
					PlanOnly: true,
					// Terraform wraps long lines: any space may be a line break.
					ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.want, " ", `\s+`)),
				}},
			})
			for _, p := range mockapi.Platforms {
				if n := len(mock.Calls(p)); n != 0 {
					t.Errorf("%s received %d calls; bad input must be rejected before any request", p, n)
				}
			}
		})
	}
}
