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
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The failure tests run every failure class through the real Terraform CLI,
// on a Smartling data source and on an EasyTranslate ephemeral resource (the
// OAuth answers differ, and so the two ways of serving a token are covered).
// Each checks that the diagnostic names the platform, the HTTP status, the
// API's code and message and the request id when there are any, gives a hint,
// and holds none of the configured secrets; and counts the calls the mock got.

// failurePlatform is a token type a failure test requests.
type failurePlatform struct {
	name     string // display name, as in diagnostics
	mock     mockapi.Platform
	block    string // provider block and env prefix
	typeName string
	// ephemeral: request the token with the ephemeral resource, else the data source.
	ephemeral bool
}

var (
	failureSmartling     = failurePlatform{"Smartling", mockapi.Smartling, "smartling", "translationauth_smartling_token", false}
	failureEasyTranslate = failurePlatform{"EasyTranslate", mockapi.EasyTranslate, "easytranslate", "translationauth_easytranslate_token", true}
	failurePlatforms     = []failurePlatform{failureSmartling, failureEasyTranslate}
)

// failureSecrets are every secret failureConfig configures.
var failureSecrets = []string{
	mockapi.DemoSmartlingUserSecret,
	mockapi.DemoEasyTranslateClientSecret, mockapi.DemoEasyTranslatePassword,
	mockapi.DemoSmartConnectClientSecret, mockapi.DemoSmartConnectPassword,
}

// failureConfig is a provider block with every platform's demo credentials
// pointing at the mock, the provider-level settings given, and the token
// block of p with args.
func failureConfig(mock *mockapi.Server, p failurePlatform, providerArgs, args string) string {
	cfg := providerConfigWith(mock, providerArgs)
	if p.ephemeral {
		return cfg + fmt.Sprintf("ephemeral %q \"test\" {\n  %s\n}\n", p.typeName, args) +
			echoConfig("ephemeral."+p.typeName+".test.token_type")
	}
	return cfg + fmt.Sprintf("data %q \"test\" {\n  %s\n}\n", p.typeName, args)
}

// failureCheck is an ErrorCheck: the error must contain every fragment
// (computed when the error arrives, so that they can name the request id the
// mock sent) and none of the secrets.
func failureCheck(fragments func() []string, secrets ...string) func(error) error {
	return func(err error) error {
		return acctest.ExpectErrorWithout(fragments(), secrets...)(err)
	}
}

// lastRequestID is the request id of the last answer p's mock sent.
func lastRequestID(mock *mockapi.Server, p mockapi.Platform) string {
	calls := mock.Calls(p)
	if len(calls) == 0 {
		return "(no call)"
	}
	return calls[len(calls)-1].RequestID
}

// failureRun is one failure class on one platform.
type failureRun struct {
	providerArgs string          // provider-level settings such as max_retries
	args         string          // arguments of the token block
	faults       []mockapi.Fault // queued on the platform's mock
	fragments    []string        // the diagnostic must contain these
	answered     bool            // an answer arrived: the request id must be named
	calls        int             // calls the mock must have received (-1: do not count)
}

// runFailure runs f on p and checks the diagnostic and the calls.
func runFailure(t *testing.T, p failurePlatform, f failureRun) {
	t.Helper()
	mock := startMock(t, nil)
	mock.Inject(p.mock, f.faults...)
	fragments := func() []string {
		out := append([]string{p.name + " Token Request Failed"}, f.fragments...)
		if f.answered {
			out = append(out, "[request id "+lastRequestID(mock, p.mock)+"]")
		}
		return out
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		ErrorCheck:               failureCheck(fragments, failureSecrets...),
		Steps: []resource.TestStep{{
			Config: failureConfig(mock, p, f.providerArgs, f.args),
			Check:  mustFail,
		}},
	})
	if f.calls >= 0 {
		if n := len(mock.Calls(p.mock)); n != f.calls {
			t.Errorf("%s received %d calls, want %d", p.name, n, f.calls)
		}
	}
	if n := mock.PendingFaults(p.mock); n != 0 {
		t.Errorf("%d queued faults were not consumed", n)
	}
}

// hint names the attributes and environment variables a hint must mention.
func hint(p failurePlatform, inputs ...string) []string {
	var out []string
	for _, in := range inputs {
		out = append(out, p.block+"."+in, strings.ToUpper(p.block)+"_"+strings.ToUpper(in))
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

func TestAccTokenFailure_wrongCredentials(t *testing.T) {
	t.Parallel()
	t.Run("Smartling", func(t *testing.T) {
		t.Parallel()
		p := failureSmartling
		runFailure(t, p, failureRun{
			args: `user_secret = "wrong-user-secret-1x"`,
			fragments: append([]string{"HTTP 401 AUTHENTICATION_ERROR (invalid_credentials): Invalid user identifier or user secret"},
				hint(p, "user_identifier", "user_secret")...),
			answered: true, calls: 1,
		})
	})
	t.Run("EasyTranslate", func(t *testing.T) {
		t.Parallel()
		p := failureEasyTranslate
		runFailure(t, p, failureRun{
			args: `password = "wrong-password-2y"`,
			fragments: append([]string{"HTTP 400 invalid_grant: The user credentials were incorrect."},
				hint(p, "username", "password")...),
			answered: true, calls: 1,
		})
	})
}

func TestAccTokenFailure_rateLimitedAfterRetries(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			detail := map[string]string{
				"Smartling":     "HTTP 429 MAX_OPERATIONS_LIMIT_EXCEEDED (too.many.requests): Too many simultaneous API requests",
				"EasyTranslate": "HTTP 429 server_error: Too Many Requests",
			}[p.name]
			runFailure(t, p, failureRun{
				providerArgs: "max_retries = 1",
				faults:       repeatFault(mockapi.Fault{Status: 429}, 2),
				fragments: []string{detail, "(after 2 attempts)",
					p.name + " kept answering 429 Too Many Requests", "raise max_retries in the provider block (now 1)"},
				answered: true, calls: 2,
			})
		})
	}
}

func TestAccTokenFailure_serverErrorAfterRetries(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			detail := map[string]string{
				"Smartling":     "HTTP 503 MAINTENANCE_MODE_ERROR (maintenance_mode): Service is under maintenance, please try later",
				"EasyTranslate": "HTTP 503 server_error: Service Unavailable",
			}[p.name]
			runFailure(t, p, failureRun{
				providerArgs: "max_retries = 1",
				faults:       repeatFault(mockapi.Fault{Status: 503}, 2),
				fragments:    []string{detail, "(after 2 attempts)", p.name + " answered with a server error on every attempt"},
				answered:     true, calls: 2,
			})
		})
	}
}

func TestAccTokenFailure_timeout(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			runFailure(t, p, failureRun{
				providerArgs: "request_timeout = \"300ms\"\n  max_retries = 1",
				faults:       repeatFault(mockapi.Fault{Hang: true}, 2),
				fragments: append([]string{"timeout; no answer within the request timeout (after 2 attempts)",
					"No answer came within request_timeout (300ms) per attempt", "raise request_timeout"},
					hint(p, "base_url")...),
				calls: 2,
			})
		})
	}
}

func TestAccTokenFailure_dnsFailure(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			runFailure(t, p, failureRun{
				args: `base_url = "https://nonexistent.invalid"`,
				fragments: append([]string{"DNS failure; the host name did not resolve",
					"this machine can reach https://nonexistent.invalid/"}, hint(p, "base_url")...),
				calls: 0,
			})
		})
	}
}

func TestAccTokenFailure_tlsFailure(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(untrusted.Close)
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			runFailure(t, p, failureRun{
				providerArgs: "max_retries = 3",
				args:         fmt.Sprintf("base_url = %q", untrusted.URL),
				fragments: append([]string{"TLS failure; the TLS connection or certificate check failed", "certificate",
					"this machine can reach " + untrusted.URL}, hint(p, "base_url")...),
				calls: 0,
			})
		})
	}
	t.Cleanup(func() {
		if n := hits.Load(); n != 0 {
			t.Errorf("the untrusted server received %d requests", n)
		}
	})
}

func TestAccTokenFailure_htmlBadGateway(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			runFailure(t, p, failureRun{
				providerArgs: "max_retries = 0",
				faults:       []mockapi.Fault{{Status: 502, ContentType: "text/html"}},
				fragments: []string{"HTTP 502; the answer is not JSON (text/html); a proxy or gateway may have answered instead of the API",
					p.name + " answered with a server error on every attempt",
					"if base_url (provider attribute " + p.block + ".base_url"},
				answered: true, calls: 1,
			})
		})
	}
}

func TestAccTokenFailure_truncatedBody(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			runFailure(t, p, failureRun{
				faults: []mockapi.Fault{{Truncate: true}},
				fragments: []string{"HTTP 200", "the answer was cut off before its end",
					"The connection broke in the middle of the answer. Run again"},
				answered: true, calls: 1,
			})
		})
	}
}

func TestAccTokenFailure_successWithoutToken(t *testing.T) {
	t.Parallel()
	for _, p := range failurePlatforms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			detail := map[string]string{
				"Smartling":     "HTTP 200 SUCCESS; the answer reports SUCCESS but carries no access token",
				"EasyTranslate": "HTTP 200; the answer carries no access_token",
			}[p.name]
			runFailure(t, p, failureRun{
				faults: []mockapi.Fault{{NoToken: true}},
				fragments: []string{detail, p.name + " reported success without a token",
					"contact " + p.name + " support with the request id"},
				answered: true, calls: 1,
			})
		})
	}
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			cfg := failureConfig(mock, failureSmartling, c.provider, "") // c.block replaces its token block
			cfg = cfg[:strings.LastIndex(cfg, "data ")] + c.block + "\n"
			if c.raw != "" {
				cfg = c.raw
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   ephemeralVersions,
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
