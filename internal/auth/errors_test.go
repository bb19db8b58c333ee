package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// Secrets the failure table configures besides the demo ones.
const (
	wrongSecret      = "wrong-secret-Zq8vK2"
	testRefreshToken = "RT-refresh-token-Hn4Lp7Xw"
)

// wrongCredentials returns p's adapter with a wrong secret or password.
func wrongCredentials(p platformCase, c *Client, base string) Adapter {
	switch p.mock {
	case Smartling:
		return NewSmartling(c, SmartlingCredentials{BaseURL: base,
			UserIdentifier: mockapi.DemoSmartlingUserIdentifier, UserSecret: wrongSecret})
	case EasyTranslate:
		return NewEasyTranslate(c, base, OAuthCredentials{
			ClientID: mockapi.DemoEasyTranslateClientID, ClientSecret: mockapi.DemoEasyTranslateClientSecret,
			Username: mockapi.DemoEasyTranslateUsername, Password: wrongSecret, Scope: DefaultEasyTranslateScope})
	default:
		return NewSmartConnect(c, base, OAuthCredentials{
			ClientID: mockapi.DemoSmartConnectClientID, ClientSecret: mockapi.DemoSmartConnectClientSecret,
			Username: mockapi.DemoSmartConnectUsername, Password: wrongSecret})
	}
}

// echoBody is an error body in p's format that repeats every secret the
// adapter sent, as a careless API might.
func echoBody(p Platform, op string) string {
	all := map[Platform]string{
		Smartling:     mockapi.DemoSmartlingUserSecret,
		EasyTranslate: mockapi.DemoEasyTranslateClientSecret + " " + mockapi.DemoEasyTranslatePassword,
		SmartConnect:  mockapi.DemoSmartConnectClientSecret + " " + mockapi.DemoSmartConnectPassword,
	}[p]
	if op == OpRefresh {
		all += " " + testRefreshToken
	}
	if p == Smartling {
		return fmt.Sprintf(`{"response":{"code":"VALIDATION_ERROR %[1]s","errors":[{"key":"bad %[1]s","message":"rejected: %[1]s"}]}}`, all)
	}
	return fmt.Sprintf(`{"error":"invalid_grant %[1]s","error_description":"rejected: %[1]s","message":"rejected: %[1]s"}`, all)
}

// byPlatform picks a value per platform.
type byPlatform[T any] map[Platform]T

func TestAdapters_errorTextsNameTheFailureAndHoldNoSecret(t *testing.T) {
	t.Parallel()
	tlsServer := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsServer.Close)
	refused := "http://" + closedPort(t)

	type failure struct {
		name     string
		op       string // OpAuthenticate (default) or OpRefresh
		opts     ClientOptions
		base     string // instead of the mock's
		faults   []mockapi.Fault
		wrong    bool // use a wrong secret or password
		kind     ErrorKind
		status   byPlatform[int] // 0: no answer arrived
		contains byPlatform[[]string]
	}
	all := func(v ...string) byPlatform[[]string] {
		return byPlatform[[]string]{Smartling: v, EasyTranslate: v, SmartConnect: v}
	}
	same := func(n int) byPlatform[int] {
		return byPlatform[int]{Smartling: n, EasyTranslate: n, SmartConnect: n}
	}
	repeat := func(f mockapi.Fault, n int) []mockapi.Fault {
		out := make([]mockapi.Fault, n)
		for i := range out {
			out[i] = f
		}
		return out
	}
	failures := []failure{
		{name: "wrong credentials", wrong: true, kind: KindRejected,
			status: byPlatform[int]{Smartling: 401, EasyTranslate: 400, SmartConnect: 400},
			contains: byPlatform[[]string]{
				Smartling:     {"AUTHENTICATION_ERROR", "(invalid_credentials)", "Invalid user identifier or user secret"},
				EasyTranslate: {"invalid_grant", "The user credentials were incorrect."},
				SmartConnect:  {"invalid_grant", "The user name or password is incorrect."},
			}},
		{name: "rate limited after all retries", opts: ClientOptions{MaxRetries: 1},
			faults: repeat(mockapi.Fault{Status: 429}, 2), kind: KindRateLimited, status: same(429),
			contains: byPlatform[[]string]{
				Smartling:     {"MAX_OPERATIONS_LIMIT_EXCEEDED", "too.many.requests", "after 2 attempts"},
				EasyTranslate: {"server_error", "Too Many Requests", "after 2 attempts"},
				SmartConnect:  {"server_error", "after 2 attempts"},
			}},
		{name: "server error after all retries", opts: ClientOptions{MaxRetries: 1},
			faults: repeat(mockapi.Fault{Status: 503}, 2), kind: KindServer, status: same(503),
			contains: byPlatform[[]string]{
				Smartling:     {"MAINTENANCE_MODE_ERROR", "Service is under maintenance", "after 2 attempts"},
				EasyTranslate: {"server_error", "Service Unavailable", "after 2 attempts"},
				SmartConnect:  {"server_error", "after 2 attempts"},
			}},
		{name: "general server error", faults: []mockapi.Fault{{Status: 500}}, kind: KindServer, status: same(500),
			contains: byPlatform[[]string]{
				Smartling:     {"GENERAL_ERROR", "Unexpected server error"},
				EasyTranslate: {"server_error", "Internal Server Error"},
				SmartConnect:  {"server_error"},
			}},
		{name: "timeout", opts: ClientOptions{Timeout: 150 * time.Millisecond},
			faults: []mockapi.Fault{{Hang: true}}, kind: KindTimeout, contains: all("timeout")},
		{name: "DNS failure", base: "https://nonexistent.invalid", opts: ClientOptions{MaxRetries: 2},
			kind: KindDNS, contains: all("DNS failure", "did not resolve")},
		{name: "TLS failure", base: tlsServer.URL, opts: ClientOptions{MaxRetries: 2},
			kind: KindTLS, contains: all("TLS failure", "certificate")},
		{name: "connection refused", base: refused, opts: ClientOptions{MaxRetries: 1},
			kind: KindNetwork, contains: all("network error", "connection refused", "after 2 attempts")},
		{name: "HTML 502", faults: []mockapi.Fault{{Status: 502, ContentType: "text/html"}},
			kind: KindServer, status: same(502), contains: all("not JSON", "text/html")},
		{name: "HTML 200", faults: []mockapi.Fault{{Status: 200, ContentType: "text/html", Body: mockapi.HTMLBody}},
			kind: KindBadResponse, status: same(200), contains: all("not")},
		{name: "truncated body", faults: []mockapi.Fault{{Truncate: true}},
			kind: KindBadResponse, status: same(200), contains: all("cut off")},
		{name: "success without token", faults: []mockapi.Fault{{NoToken: true}},
			kind: KindNoToken, status: same(200), contains: all("carries no access")},
		{name: "error that echoes the secrets", faults: []mockapi.Fault{{Status: 400, Body: "echo"}},
			kind: KindRejected, status: same(400), contains: all("[REDACTED]", "rejected")},
		{name: "refresh token rejected", op: OpRefresh, kind: KindRejected,
			status: byPlatform[int]{Smartling: 401, EasyTranslate: 401, SmartConnect: 400},
			contains: byPlatform[[]string]{
				Smartling:     {"refresh", "AUTHENTICATION_ERROR", "Invalid or expired refresh token"},
				EasyTranslate: {"refresh", "invalid_request", "The refresh token is invalid."},
				SmartConnect:  {"refresh", "invalid_grant"},
			}},
		{name: "refresh error that echoes the refresh token", op: OpRefresh,
			faults: []mockapi.Fault{{Status: 401, Body: "echo"}}, kind: KindRejected, status: same(401),
			contains: all("refresh", "[REDACTED]")},
	}
	secrets := append([]string{wrongSecret, testRefreshToken}, demoSecrets...)

	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
				for _, fault := range f.faults {
					if fault.Body == "echo" {
						fault.Body = echoBody(p.mock, f.op)
					}
					m.Inject(p.mock, fault)
				}
				base := m.BaseURL(p.mock)
				if f.base != "" {
					base = f.base
				}
				c := testClient(f.opts)
				a := p.adapter(c, base)
				if f.wrong {
					a = wrongCredentials(p, c, base)
				}
				var err error
				op := OpAuthenticate
				if f.op == OpRefresh {
					op = OpRefresh
					_, err = a.Refresh(context.Background(), testRefreshToken)
				} else {
					_, err = a.Authenticate(context.Background())
				}
				e := mustError(t, err)
				text := err.Error()
				lacksSecrets(t, text, secrets...)
				if e.Kind != f.kind {
					t.Errorf("kind %v, want %v: %s", e.Kind, f.kind, text)
				}
				if e.Platform != Platform(p.name) || e.Operation != op {
					t.Errorf("platform %q operation %q, want %q %q", e.Platform, e.Operation, p.name, op)
				}
				containsAll(t, text, p.name+" "+op+" request failed")
				containsAll(t, text, f.contains[p.mock]...)
				if want := f.status[p.mock]; e.Status != want {
					t.Errorf("status %d, want %d: %s", e.Status, want, text)
				} else if want != 0 {
					containsAll(t, text, "HTTP "+strconv.Itoa(want))
				}
				// Every answer carries a request id: the error names the last one.
				if calls := m.Calls(p.mock); f.status[p.mock] != 0 && len(calls) > 0 {
					id := calls[len(calls)-1].RequestID
					if e.RequestID != id {
						t.Errorf("request id %q, want %q", e.RequestID, id)
					}
					containsAll(t, text, "[request id "+id+"]")
				}
			})
		})
	}
}

func TestError_textParts(t *testing.T) {
	t.Parallel()
	e := &Error{Platform: Smartling, Operation: OpAuthenticate, Kind: KindRateLimited, Status: 429,
		Code: "MAX_OPERATIONS_LIMIT_EXCEEDED", Key: "too.many.requests", Message: "Too many simultaneous API requests",
		RequestID: "rid-1", Attempts: 5}
	want := "Smartling authenticate request failed: HTTP 429 MAX_OPERATIONS_LIMIT_EXCEEDED (too.many.requests): " +
		"Too many simultaneous API requests (after 5 attempts) [request id rid-1]"
	if got := e.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	e = &Error{Platform: EasyTranslate, Operation: OpRefresh, Kind: KindTimeout, Detail: "no answer within the request timeout", Attempts: 1}
	want = "EasyTranslate refresh request failed: timeout; no answer within the request timeout"
	if got := e.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
