package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

const testUserAgent = "terraform-provider-translationauth/test"

// testClient is a Client with short backoff and the test user agent; the
// other options are as given (MaxRetries 0 means no retry).
func testClient(o ClientOptions) *Client {
	if o.RetryWaitMin == 0 {
		o.RetryWaitMin = 10 * time.Millisecond
	}
	if o.RetryWaitMax == 0 {
		o.RetryWaitMax = 50 * time.Millisecond
	}
	if o.UserAgent == "" {
		o.UserAgent = testUserAgent
	}
	return NewClient(o)
}

// platformCase runs a test against one platform's adapter with the mock's
// demo credentials.
type platformCase struct {
	name    string
	mock    Platform
	adapter func(c *Client, baseURL string) Adapter
}

var platformCases = []platformCase{
	{"Smartling", Smartling, func(c *Client, base string) Adapter {
		return NewSmartling(c, SmartlingCredentials{BaseURL: base,
			UserIdentifier: mockapi.DemoSmartlingUserIdentifier, UserSecret: mockapi.DemoSmartlingUserSecret})
	}},
	{"EasyTranslate", EasyTranslate, func(c *Client, base string) Adapter {
		return NewEasyTranslate(c, base, OAuthCredentials{
			ClientID: mockapi.DemoEasyTranslateClientID, ClientSecret: mockapi.DemoEasyTranslateClientSecret,
			Username: mockapi.DemoEasyTranslateUsername, Password: mockapi.DemoEasyTranslatePassword,
			Scope: DefaultEasyTranslateScope})
	}},
	{"SmartConnect", SmartConnect, func(c *Client, base string) Adapter {
		return NewSmartConnect(c, base, OAuthCredentials{
			ClientID: mockapi.DemoSmartConnectClientID, ClientSecret: mockapi.DemoSmartConnectClientSecret,
			Username: mockapi.DemoSmartConnectUsername, Password: mockapi.DemoSmartConnectPassword})
	}},
}

// demoSecrets are every secret of the demo accounts.
var demoSecrets = []string{
	mockapi.DemoSmartlingUserSecret,
	mockapi.DemoEasyTranslateClientSecret, mockapi.DemoEasyTranslatePassword,
	mockapi.DemoSmartConnectClientSecret, mockapi.DemoSmartConnectPassword,
}

// forEachPlatform runs f in a parallel subtest per platform, with its own mock.
func forEachPlatform(t *testing.T, f func(t *testing.T, p platformCase, m *mockapi.Server)) {
	t.Helper()
	for _, p := range platformCases {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			f(t, p, mocktest.New(t, mockapi.DefaultConfig()))
		})
	}
}

// request runs op on a: OpAuthenticate, or OpRefresh with testRefreshToken.
func request(a Adapter, op string) (*Token, error) {
	if op == OpRefresh {
		return a.Refresh(context.Background(), testRefreshToken)
	}
	return a.Authenticate(context.Background())
}

// mustError returns err as an *Error, failing the test if it is not one.
func mustError(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got a token")
	}
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("error %T is not an *auth.Error: %v", err, err)
	}
	return e
}

// lacksSecrets fails if text contains any of the secrets.
func lacksSecrets(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("the error text contains the secret %q: %s", s, text)
		}
	}
}

// containsAll fails for every fragment text lacks.
func containsAll(t *testing.T, text string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("the error text lacks %q: %s", f, text)
		}
	}
}

func TestClient_serverErrorThenSuccess(t *testing.T) {
	t.Parallel()
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		m.Inject(p.mock, mockapi.Fault{Status: 503})
		tok, err := p.adapter(testClient(ClientOptions{MaxRetries: 4}), m.BaseURL(p.mock)).Authenticate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken == "" {
			t.Error("no access token")
		}
		calls := m.Calls(p.mock)
		if len(calls) != 2 {
			t.Fatalf("%d calls, want exactly 2", len(calls))
		}
		if calls[0].Status != 503 || calls[1].Status != 200 {
			t.Errorf("statuses %d, %d; want 503, 200", calls[0].Status, calls[1].Status)
		}
		if tok.RequestID != calls[1].RequestID {
			t.Errorf("token request id %q, want the last answer's %q", tok.RequestID, calls[1].RequestID)
		}
	})
}

// gap is the time between the starts of two calls.
func gap(calls []mockapi.Call, i int) time.Duration { return calls[i+1].Start.Sub(calls[i].Start) }

func TestClient_retryAfterSeconds(t *testing.T) {
	t.Parallel()
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		m.Inject(p.mock, mockapi.Fault{Status: 429, Header: http.Header{"Retry-After": {"1"}}})
		if _, err := p.adapter(testClient(ClientOptions{MaxRetries: 2}), m.BaseURL(p.mock)).Authenticate(context.Background()); err != nil {
			t.Fatal(err)
		}
		calls := m.Calls(p.mock)
		if len(calls) != 2 {
			t.Fatalf("%d calls, want 2", len(calls))
		}
		if g := gap(calls, 0); g < 900*time.Millisecond || g >= 5*time.Second {
			t.Errorf("second attempt %v after the first; Retry-After: 1 asks for about a second", g)
		}
	})
}

func TestClient_retryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	m := mocktest.New(t, mockapi.DefaultConfig())
	// HTTP dates have whole seconds: three seconds ahead is between two and
	// three seconds away now, and still more than a second away when the
	// answer arrives on a slow machine.
	at := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	m.Inject(Smartling, mockapi.Fault{Status: 503, Header: http.Header{"Retry-After": {at}}})
	if _, err := platformCases[0].adapter(testClient(ClientOptions{MaxRetries: 1}), m.BaseURL(Smartling)).Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := m.Calls(Smartling)
	if len(calls) != 2 {
		t.Fatalf("%d calls, want 2", len(calls))
	}
	if g := gap(calls, 0); g < 900*time.Millisecond || g >= 5*time.Second {
		t.Errorf("second attempt %v after the first; Retry-After: %s asks for 2 to 3 seconds", g, at)
	}
}

func TestClient_retryAfterBeyondTheCapStops(t *testing.T) {
	t.Parallel()
	inTwoHours := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	cases := []struct {
		name       string
		status     int
		retryAfter string
		max        time.Duration // RetryAfterMax; 0 means the default (60 s)
		kind       ErrorKind
		wait       time.Duration // the Retry-After in seconds, when given so
		at         time.Time     // the Retry-After as an HTTP-date, when given so
	}{
		{"429 asks for 3600 s, default cap", 429, "3600", 0, KindRateLimited, time.Hour, time.Time{}},
		{"503 asks for 3600 s, default cap", 503, "3600", 0, KindServer, time.Hour, time.Time{}},
		{"429 asks for 3600 s, cap 200ms", 429, "3600", 200 * time.Millisecond, KindRateLimited, time.Hour, time.Time{}},
		{"503 asks for 61 s, default cap", 503, "61", 0, KindServer, 61 * time.Second, time.Time{}},
		{"429 asks for an HTTP-date two hours ahead", 429, inTwoHours.Format(http.TimeFormat), 0, KindRateLimited, 0, inTwoHours},
	}
	for _, tc := range cases {
		for _, p := range platformCases {
			t.Run(p.name+" "+tc.name, func(t *testing.T) {
				t.Parallel()
				m := mocktest.New(t, mockapi.DefaultConfig())
				for range 3 {
					m.Inject(p.mock, mockapi.Fault{Status: tc.status, Header: http.Header{"Retry-After": {tc.retryAfter}}})
				}
				c := testClient(ClientOptions{MaxRetries: 2, RetryAfterMax: tc.max})
				start := time.Now()
				_, err := p.adapter(c, m.BaseURL(p.mock)).Authenticate(context.Background())
				e := mustError(t, err)
				if el := time.Since(start); el > 2*time.Second {
					t.Errorf("took %v; a Retry-After beyond the cap must stop at once", el)
				}
				if n := len(m.Calls(p.mock)); n != 1 || e.Attempts != 1 {
					t.Errorf("%d calls, %d attempts; want 1 (no retry once the server asks for longer than RetryAfterMax)", n, e.Attempts)
				}
				if e.Kind != tc.kind || e.Status != tc.status {
					t.Errorf("kind %v status %d, want %v %d", e.Kind, e.Status, tc.kind, tc.status)
				}
				at, wait := tc.at, tc.wait
				if at.IsZero() {
					at = start.Add(wait)
				} else {
					wait = at.Sub(start) // an HTTP-date: the wait left when the request started
				}
				if d := e.RetryAfter - wait; d < -2*time.Second || d > 2*time.Second {
					t.Errorf("RetryAfter %v, want about %v", e.RetryAfter, wait)
				}
				if d := e.RetryAt.Sub(at); d < -2*time.Second || d > 2*time.Second {
					t.Errorf("RetryAt %v, want about %v", e.RetryAt, at)
				}
				// The text says when to come back, in seconds and as a time.
				containsAll(t, err.Error(), e.RetryAt.UTC().Format(time.RFC3339))
				if tc.at.IsZero() {
					containsAll(t, err.Error(), fmt.Sprintf("retry in %s s", tc.retryAfter))
				} else {
					containsAll(t, err.Error(), tc.at.Format(time.RFC3339))
				}
			})
		}
	}
}

func TestClient_notRetried(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		kind   ErrorKind
	}{
		{400, KindRejected}, {401, KindRejected}, {403, KindRejected}, {404, KindRejected}, {501, KindServer},
	}
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		a := p.adapter(testClient(ClientOptions{MaxRetries: 4}), m.BaseURL(p.mock))
		for _, tc := range cases {
			m.Reset()
			m.Inject(p.mock, mockapi.Fault{Status: tc.status})
			_, err := a.Authenticate(context.Background())
			e := mustError(t, err)
			if n := m.Count(p.mock, mockapi.OpAuthenticate); n != 1 {
				t.Errorf("HTTP %d: %d calls, want 1 (not retried)", tc.status, n)
			}
			if e.Status != tc.status || e.Kind != tc.kind || e.Attempts != 1 {
				t.Errorf("HTTP %d: got status %d, kind %v, %d attempts; want %d, %v, 1", tc.status, e.Status, e.Kind, e.Attempts, tc.status, tc.kind)
			}
		}
	})
}

func TestClient_maxRetriesRespected(t *testing.T) {
	t.Parallel()
	type want struct {
		kind          ErrorKind
		code, message string
	}
	cases := []struct {
		status int
		want   map[Platform]want
	}{
		{429, map[Platform]want{
			Smartling:     {KindRateLimited, "MAX_OPERATIONS_LIMIT_EXCEEDED", "Too many simultaneous API requests"},
			EasyTranslate: {KindRateLimited, "server_error", "Too Many Requests"},
			SmartConnect:  {KindRateLimited, "server_error", ""},
		}},
		{503, map[Platform]want{
			Smartling:     {KindServer, "MAINTENANCE_MODE_ERROR", "Service is under maintenance, please try later"},
			EasyTranslate: {KindServer, "server_error", "Service Unavailable"},
			SmartConnect:  {KindServer, "server_error", ""},
		}},
	}
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		a := p.adapter(testClient(ClientOptions{MaxRetries: 2}), m.BaseURL(p.mock))
		for _, tc := range cases {
			m.Reset()
			// One fault more than attempts: it must stay unconsumed.
			for range 4 {
				m.Inject(p.mock, mockapi.Fault{Status: tc.status})
			}
			_, err := a.Authenticate(context.Background())
			e := mustError(t, err)
			w := tc.want[p.mock]
			calls := m.Calls(p.mock)
			if len(calls) != 3 || m.PendingFaults(p.mock) != 1 {
				t.Fatalf("HTTP %d: %d calls, %d faults left; want 3 calls (MaxRetries 2) and 1 left", tc.status, len(calls), m.PendingFaults(p.mock))
			}
			if e.Attempts != 3 || e.Kind != w.kind || e.Status != tc.status || e.Code != w.code || e.Message != w.message {
				t.Errorf("HTTP %d: got %d attempts, kind %v, status %d, code %q, message %q; want 3, %v, %d, %q, %q",
					tc.status, e.Attempts, e.Kind, e.Status, e.Code, e.Message, w.kind, tc.status, w.code, w.message)
			}
			if e.RequestID != calls[2].RequestID {
				t.Errorf("request id %q, want the last answer's %q", e.RequestID, calls[2].RequestID)
			}
			containsAll(t, err.Error(), p.name, "authenticate", "HTTP "+strconv.Itoa(tc.status), w.code, w.message,
				"after 3 attempts", "request id "+calls[2].RequestID)
			// Consume the spare fault before the next case.
			_, _ = a.Authenticate(context.Background())
		}
	})
}

func TestClient_timeoutPerAttempt(t *testing.T) {
	t.Parallel()
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		m.Inject(p.mock, mockapi.Fault{Hang: true}, mockapi.Fault{Hang: true})
		c := testClient(ClientOptions{MaxRetries: 1, Timeout: 200 * time.Millisecond})
		start := time.Now()
		_, err := p.adapter(c, m.BaseURL(p.mock)).Authenticate(context.Background())
		el := time.Since(start)
		e := mustError(t, err)
		if e.Kind != KindTimeout || e.Attempts != 2 {
			t.Errorf("kind %v after %d attempts, want timeout after 2: %v", e.Kind, e.Attempts, err)
		}
		containsAll(t, err.Error(), p.name, "timeout")
		if el < 400*time.Millisecond || el > 5*time.Second {
			t.Errorf("took %v, want two attempts of 200ms", el)
		}
	})
}

func TestClient_contextCanceled(t *testing.T) {
	t.Parallel()
	faults := map[string]mockapi.Fault{
		"during an attempt": {Hang: true},
		"during a backoff":  {Status: 429, Header: http.Header{"Retry-After": {"30"}}},
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
				m.Inject(p.mock, fault)
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(100*time.Millisecond, cancel)
				c := testClient(ClientOptions{MaxRetries: 3, Timeout: 30 * time.Second})
				start := time.Now()
				_, err := p.adapter(c, m.BaseURL(p.mock)).Authenticate(ctx)
				if el := time.Since(start); el > 2*time.Second {
					t.Errorf("returned %v after the cancel, want at once", el)
				}
				if e := mustError(t, err); e.Kind != KindCanceled {
					t.Errorf("kind %v, want canceled: %v", e.Kind, err)
				}
			})
		})
	}
}

func TestClient_TLSFailureNotRetried(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	for _, p := range platformCases {
		t.Run(p.name, func(t *testing.T) {
			_, err := p.adapter(testClient(ClientOptions{MaxRetries: 3}), srv.URL).Authenticate(context.Background())
			e := mustError(t, err)
			if e.Kind != KindTLS || e.Attempts != 1 {
				t.Errorf("kind %v after %d attempts, want TLS failure after 1: %v", e.Kind, e.Attempts, err)
			}
			containsAll(t, err.Error(), p.name, "TLS")
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the untrusted server got %d requests", n)
	}
}

func TestClient_DNSFailureNotRetried(t *testing.T) {
	t.Parallel()
	for _, p := range platformCases {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.adapter(testClient(ClientOptions{MaxRetries: 3}), "https://nonexistent.invalid").Authenticate(context.Background())
			e := mustError(t, err)
			if e.Kind != KindDNS || e.Attempts != 1 {
				t.Errorf("kind %v after %d attempts, want DNS failure after 1: %v", e.Kind, e.Attempts, err)
			}
			containsAll(t, err.Error(), p.name, "DNS")
			if !strings.Contains(e.URL, "nonexistent.invalid") {
				t.Errorf("URL %q does not name the host", e.URL)
			}
		})
	}
}

func TestClient_connectionRefusedRetried(t *testing.T) {
	t.Parallel()
	base := "http://" + closedPort(t)
	for _, p := range platformCases {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.adapter(testClient(ClientOptions{MaxRetries: 2}), base).Authenticate(context.Background())
			e := mustError(t, err)
			if e.Kind != KindNetwork || e.Attempts != 3 {
				t.Errorf("kind %v after %d attempts, want network error after 3: %v", e.Kind, e.Attempts, err)
			}
			containsAll(t, err.Error(), p.name, "authenticate", "connection refused", "after 3 attempts")
		})
	}
}

func TestClient_userAgentOnEveryAttempt(t *testing.T) {
	t.Parallel()
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		m.Inject(p.mock, mockapi.Fault{Status: 502}, mockapi.Fault{Status: 500})
		a := p.adapter(testClient(ClientOptions{MaxRetries: 2}), m.BaseURL(p.mock))
		tok, err := a.Authenticate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken != "" {
			if _, err := a.Refresh(context.Background(), tok.RefreshToken); err != nil {
				t.Fatal(err)
			}
		}
		calls := m.Calls(p.mock)
		if len(calls) < 3 {
			t.Fatalf("%d calls, want at least 3", len(calls))
		}
		for i, c := range calls {
			if ua := c.Header.Get("User-Agent"); ua != testUserAgent {
				t.Errorf("call %d (%s): User-Agent %q, want %q", i, c.Op, ua, testUserAgent)
			}
		}
	})
}

// recordingLogger keeps the log lines of a client.
type recordingLogger struct {
	mu    sync.Mutex
	lines []logLine
}

type logLine struct {
	msg    string
	fields map[string]any
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, logLine{msg, fields})
}

func TestClient_logsEachAttemptWithoutSecrets(t *testing.T) {
	t.Parallel()
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		log := &recordingLogger{}
		m.Inject(p.mock, mockapi.Fault{Status: 503})
		a := p.adapter(testClient(ClientOptions{MaxRetries: 2, Logger: log}), m.BaseURL(p.mock))
		tok, err := a.Authenticate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		calls := m.Calls(p.mock)
		if len(log.lines) != len(calls) || len(calls) != 2 {
			t.Fatalf("%d log lines for %d calls, want one per attempt (2)", len(log.lines), len(calls))
		}
		for i, l := range log.lines {
			if l.msg != "token request attempt" {
				t.Errorf("line %d: message %q", i, l.msg)
			}
			want := map[string]any{"attempt": i + 1, "status": calls[i].Status, "request_id": calls[i].RequestID,
				"platform": p.name, "operation": OpAuthenticate, "method": http.MethodPost}
			for k, v := range want {
				if l.fields[k] != v {
					t.Errorf("line %d: %s = %v, want %v", i, k, l.fields[k], v)
				}
			}
			text := l.msg
			for k, v := range l.fields {
				text += fmt.Sprintf(" %s=%v", k, v)
			}
			lacksSecrets(t, text, append(demoSecrets, tok.AccessToken, tok.RefreshToken)...)
		}
	})
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	b := backoff(10 * time.Second)
	resp := func(retryAfter string) *http.Response {
		return &http.Response{Header: http.Header{"Retry-After": {retryAfter}}}
	}
	if d := b(time.Second, 30*time.Second, 0, resp("3")); d != 3*time.Second {
		t.Errorf("Retry-After 3: waited %v", d)
	}
	if d := b(time.Second, 30*time.Second, 0, resp("3600")); d != 10*time.Second {
		t.Errorf("Retry-After 3600 with a 10s cap: waited %v", d)
	}
	if d := b(time.Second, 30*time.Second, 0, resp(time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat))); d != 0 {
		t.Errorf("Retry-After in the past: waited %v", d)
	}
	// Without Retry-After: exponential, capped, half fixed and half jitter.
	for attempt, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := b(time.Second, 8*time.Second, attempt, resp("soon"))
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: waited %v, want within [%v, %v]", attempt, d, want/2, want)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("attempt %d: no jitter", attempt)
		}
	}
	if d := b(time.Second, 8*time.Second, 100, nil); d < 4*time.Second || d > 8*time.Second {
		t.Errorf("attempt 100: waited %v, want the cap", d)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"1", time.Second, true},
		{"120", 2 * time.Minute, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999", 24 * time.Hour, true},
		{"Sat, 21 Nov 2026 12:01:30 GMT", 90 * time.Second, true},   // IMF-fixdate
		{"Saturday, 21-Nov-26 12:00:05 GMT", 5 * time.Second, true}, // RFC 850
		{"Sat Nov 21 12:00:10 2026", 10 * time.Second, true},        // ANSI C asctime
		{"Sat, 21 Nov 2026 11:59:00 GMT", 0, true},                  // in the past: no wait
		{"Sat, 21 Nov 2026 12:01:30 +0000", 0, false},               // not an HTTP-date
		{"2026-11-21T12:01:30Z", 0, false},                          // RFC 3339 is not an HTTP-date
	}
	for _, c := range cases {
		got, ok := RetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want ErrorKind
	}{
		{context.Canceled, KindCanceled},
		{context.DeadlineExceeded, KindTimeout},
		{&net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, KindDNS},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, KindNetwork},
		{errors.New("connection reset by peer"), KindNetwork},
	}
	for _, c := range cases {
		if got := classify(c.err); got != c.want {
			t.Errorf("classify(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestClient_redirectsAreNeverFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, p := range platformCases {
			for _, op := range []string{OpAuthenticate, OpRefresh} {
				t.Run(fmt.Sprintf("%s %s answered %d", p.name, op, status), func(t *testing.T) {
					t.Parallel()
					var elsewhere, here atomic.Int32
					other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
					t.Cleanup(other.Close)
					// The Location holds a path and a query that must not reach the error.
					location := other.URL + "/collect/secret-path?stolen=secret-query"
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
						here.Add(1)
						w.Header().Set("Location", location)
						w.WriteHeader(status)
					}))
					t.Cleanup(srv.Close)

					a := p.adapter(testClient(ClientOptions{MaxRetries: 3}), srv.URL)
					_, err := request(a, op)
					e := mustError(t, err)
					otherHost := strings.TrimPrefix(other.URL, "http://")
					if e.Kind != KindRedirect || e.Status != status || e.Attempts != 1 {
						t.Errorf("kind %v, status %d, %d attempts; want redirect, %d, 1: %v", e.Kind, e.Status, e.Attempts, status, err)
					}
					containsAll(t, err.Error(), fmt.Sprintf("HTTP %d", status), "redirected to "+otherHost,
						"token requests never follow redirects")
					lacksSecrets(t, err.Error(), "secret-path", "secret-query", "/collect")
					if strings.Contains(err.Error(), "after ") {
						t.Errorf("a redirect was retried: %v", err)
					}
					if n := here.Load(); n != 1 {
						t.Errorf("the token endpoint got %d requests, want 1", n)
					}
					if n := elsewhere.Load(); n != 0 {
						t.Errorf("the host the redirect named got %d requests, want none", n)
					}
				})
			}
		}
	}
}
