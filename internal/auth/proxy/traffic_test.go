package proxy_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
)

// reply is one answer of a scripted upstream.
type reply struct {
	status int
	header map[string]string
}

// scripted answers the n-th request with replies[n], and 200 "ok" past the
// end; every answer carries X-Attempt: n+1 and a body naming it.
func scripted(replies ...reply) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("X-Attempt", fmt.Sprint(i+1))
		if i >= len(replies) {
			_, _ = io.WriteString(w, "ok")
			return
		}
		for k, v := range replies[i].header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(replies[i].status)
		_, _ = fmt.Fprintf(w, "answer %d", i+1)
	}
}

// Rate limits and passing failures are retried as the platforms ask: 429 and
// 423 for any method, 502/503/504 for idempotent ones, after Retry-After (up
// to a minute) or a jittered backoff, and only with a body that can be sent
// again; the last answer passes through unchanged.
func TestRetries(t *testing.T) {
	t.Parallel()
	httpDate := clocktest.Start.Add(5 * time.Second).Format(http.TimeFormat)
	cases := []struct {
		name          string
		method        string
		size          int64 // body bytes; -1 none
		unknownLength bool
		maxRetries    int
		replies       []reply
		wantStatus    int
		wantAttempt   string // X-Attempt of the answer the client got
		wantWaits     []time.Duration
		jitter        bool // wantWaits are upper bounds, each at least half of itself
	}{
		{name: "429 then 200 with Retry-After: 1: waited a second", method: "GET", size: -1, maxRetries: 3,
			replies:    []reply{{429, map[string]string{"Retry-After": "1"}}},
			wantStatus: 200, wantAttempt: "2", wantWaits: []time.Duration{time.Second}},
		{name: "423 without Retry-After: jittered backoff", method: "GET", size: -1, maxRetries: 3,
			replies:    []reply{{423, nil}, {423, nil}},
			wantStatus: 200, wantAttempt: "3", wantWaits: []time.Duration{time.Second, 2 * time.Second}, jitter: true},
		{name: "POST 429: replayed intact", method: "POST", size: 5000, maxRetries: 3,
			replies:    []reply{{429, map[string]string{"Retry-After": "2"}}},
			wantStatus: 200, wantAttempt: "2", wantWaits: []time.Duration{2 * time.Second}},
		{name: "POST 503: not retried", method: "POST", size: 10, maxRetries: 3,
			replies:    []reply{{503, map[string]string{"Retry-After": "1"}}},
			wantStatus: 503, wantAttempt: "1"},
		{name: "PATCH 502: not retried", method: "PATCH", size: 10, maxRetries: 3,
			replies:    []reply{{502, nil}},
			wantStatus: 502, wantAttempt: "1"},
		{name: "PUT 503: retried", method: "PUT", size: 10, maxRetries: 3,
			replies:    []reply{{503, map[string]string{"Retry-After": "0"}}},
			wantStatus: 200, wantAttempt: "2", wantWaits: []time.Duration{0}},
		{name: "DELETE 504: retried", method: "DELETE", size: -1, maxRetries: 3,
			replies:    []reply{{504, map[string]string{"Retry-After": "1"}}},
			wantStatus: 200, wantAttempt: "2", wantWaits: []time.Duration{time.Second}},
		{name: "GET 500: not retried", method: "GET", size: -1, maxRetries: 3,
			replies:    []reply{{500, nil}},
			wantStatus: 500, wantAttempt: "1"},
		{name: "Retry-After: 3600: not waited for, passed through", method: "GET", size: -1, maxRetries: 3,
			replies:    []reply{{429, map[string]string{"Retry-After": "3600"}}},
			wantStatus: 429, wantAttempt: "1"},
		{name: "Retry-After as an HTTP date: waited until then", method: "GET", size: -1, maxRetries: 3,
			replies:    []reply{{429, map[string]string{"Retry-After": httpDate}}},
			wantStatus: 200, wantAttempt: "2", wantWaits: []time.Duration{5 * time.Second}},
		{name: "retries spent: the last answer unchanged", method: "GET", size: -1, maxRetries: 2,
			replies:    []reply{{429, map[string]string{"Retry-After": "1"}}, {429, map[string]string{"Retry-After": "1"}}, {429, map[string]string{"Retry-After": "1", "X-Last": "yes"}}},
			wantStatus: 429, wantAttempt: "3", wantWaits: []time.Duration{time.Second, time.Second}},
		{name: "MaxRetries 0: no retry", method: "GET", size: -1, maxRetries: 0,
			replies:    []reply{{429, map[string]string{"Retry-After": "1"}}},
			wantStatus: 429, wantAttempt: "1"},
		{name: "body of unknown length: not retried", method: "POST", size: 100, unknownLength: true, maxRetries: 3,
			replies:    []reply{{429, map[string]string{"Retry-After": "1"}}},
			wantStatus: 429, wantAttempt: "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := newUpstream(t, scripted(tc.replies...))
			clock := clocktest.New()
			p := start(t, proxy.WithClock(proxy.Config{Upstream: up.URL, Tokens: newTokens(), MaxRetries: tc.maxRetries}, clock))
			a := do(t, client(t), patternRequest(t, tc.method, p.URL()+"/api/x", tc.size, tc.unknownLength))
			if a.status != tc.wantStatus || a.header.Get("X-Attempt") != tc.wantAttempt {
				t.Errorf("got %d from attempt %s, want %d from attempt %s", a.status, a.header.Get("X-Attempt"), tc.wantStatus, tc.wantAttempt)
			}
			if n := len(tc.replies); a.status != 200 && a.body != "answer "+tc.wantAttempt {
				t.Errorf("body %q, want the upstream's last answer (of %d scripted)", a.body, n)
			}
			if last := tc.replies[len(tc.replies)-1]; a.header.Get("X-Last") != last.header["X-Last"] && a.status != 200 {
				t.Errorf("X-Last = %q: not the last answer's headers", a.header.Get("X-Last"))
			}
			reqs := up.requests()
			if want := tc.wantAttempt; fmt.Sprint(len(reqs)) != want {
				t.Errorf("upstream received %d requests, want %s", len(reqs), want)
			}
			for i, r := range reqs {
				if size := max(tc.size, 0); r.bodyLen != size || r.bodySHA != patternSHA(size) {
					t.Errorf("attempt %d: upstream got %d body bytes, want %d intact", i+1, r.bodyLen, size)
				}
				if r.method != tc.method || r.header.Get("Authorization") != "Bearer tok-1-secret" {
					t.Errorf("attempt %d: %s with %q", i+1, r.method, r.header.Get("Authorization"))
				}
			}
			waits := clock.Waits()
			if !tc.jitter && !slices.Equal(waits, tc.wantWaits) {
				t.Errorf("waits %v, want %v", waits, tc.wantWaits)
			}
			if tc.jitter {
				if len(waits) != len(tc.wantWaits) {
					t.Fatalf("waits %v, want %d", waits, len(tc.wantWaits))
				}
				for i, w := range waits {
					if w < tc.wantWaits[i]/2 || w > tc.wantWaits[i] {
						t.Errorf("wait %d = %s, want between %s and %s", i+1, w, tc.wantWaits[i]/2, tc.wantWaits[i])
					}
				}
			}
		})
	}
}

// inFlight is an upstream handler that counts requests in flight, keeps
// the highest count, and answers after a short while.
type inFlight struct {
	now, peak atomic.Int32
	hold      time.Duration
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	n := f.now.Add(1)
	defer f.now.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	time.Sleep(f.hold)
	_, _ = io.WriteString(w, "ok")
}

// With MaxConcurrent, no more requests than that are upstream at once under
// 64 concurrent clients, and every one is answered.
func TestMaxConcurrent(t *testing.T) {
	t.Parallel()
	const limit, clients, each = 4, 64, 3
	f := &inFlight{hold: 5 * time.Millisecond}
	up := newUpstream(t, f.ServeHTTP)
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: newTokens(), MaxConcurrent: limit})
	if n := getAll(client(t), p.URL()+"/api/x", clients, each, 200); n != 0 {
		t.Errorf("%d requests failed", n)
	}
	if peak := f.peak.Load(); peak > limit {
		t.Errorf("%d requests upstream at once, want at most %d", peak, limit)
	}
	if n := up.count(); n != clients*each {
		t.Errorf("upstream received %d requests, want %d", n, clients*each)
	}
}

// A request waiting for a place ends when its client goes away, and never
// reaches the upstream; the place it waited for goes to the next request.
func TestWaitingRequestCancelled(t *testing.T) {
	t.Parallel()
	up, arrived, _, release := holdUpstream(t)
	logger := &captureLogger{}
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: newTokens(), MaxConcurrent: 1, Logger: logger})
	c := client(t)
	first := getAsync(c, p.URL()+"/api/first")
	within(t, arrived, 5*time.Second, "the first request reaching the upstream")

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+"/api/second", nil)
	if err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		resp, err := c.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		second <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !slices.ContainsFunc(logger.all(), func(l logLine) bool { return strings.Contains(l.msg, "waits") }) {
		if time.Now().After(deadline) {
			t.Fatal("the second request did not wait")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := within(t, second, 5*time.Second, "the cancelled request ending"); err == nil {
		t.Error("the cancelled request got an answer")
	}
	// Its handler logs once it has given up its place in the queue.
	deadline = time.Now().Add(5 * time.Second)
	for !slices.ContainsFunc(logger.all(), func(l logLine) bool { return l.fields["error"] == "canceled" }) {
		if time.Now().After(deadline) {
			t.Fatal("the cancelled request's handler did not end")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if r := within(t, first, 5*time.Second, "the first answer"); r.status != 200 {
		t.Errorf("first request: %d %q %v", r.status, r.body, r.err)
	}
	third := getAsync(c, p.URL()+"/api/third")
	within(t, arrived, 5*time.Second, "the third request reaching the upstream")
	if r := within(t, third, 5*time.Second, "the third answer"); r.status != 200 {
		t.Errorf("third request: %d %q %v", r.status, r.body, r.err)
	}
	select {
	case <-arrived:
		t.Error("the cancelled request reached the upstream")
	default:
	}
}

// cacheSource is a TokenSource that behaves as the provider's cache: it
// fetches a token when it has none (counting fetches, one at a time), and
// Invalidate drops the token only if it is the current one.
type cacheSource struct {
	mu      sync.Mutex
	cur     string
	fetches int
}

func (s *cacheSource) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == "" {
		time.Sleep(time.Millisecond) // a token request takes a while
		s.fetches++
		s.cur = fmt.Sprintf("tok-%d-secret", s.fetches)
	}
	return s.cur, nil
}

func (s *cacheSource) Invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok == s.cur {
		s.cur = ""
	}
}

func (s *cacheSource) fetched() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

// An API that answers 401 to a path (a permission problem) costs at most two
// token requests for a storm of 100 concurrent requests there, and none for
// the requests after it, even when the same token works elsewhere.
func TestAuthStorm(t *testing.T) {
	t.Parallel()
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/allowed") {
			_, _ = io.WriteString(w, "ok")
			return
		}
		onlyToken("")(w, r)
	})
	src := &cacheSource{}
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: src})
	c := client(t)
	if n := getAll(c, p.URL()+"/api/x", 100, 1, 401); n != 0 {
		t.Errorf("%d requests did not get the upstream's 401", n)
	}
	if n := src.fetched(); n > 2 {
		t.Errorf("100 requests answered 401 cost %d token requests, want at most 2", n)
	}
	before := src.fetched()
	if a := get(t, c, p.URL()+"/api/allowed"); a.status != 200 {
		t.Fatalf("the token does not work elsewhere: %d", a.status)
	}
	for i := range 10 {
		if a := get(t, c, p.URL()+"/api/y"); a.status != 401 {
			t.Fatalf("later request %d: %d", i, a.status)
		}
	}
	if n := src.fetched() - before; n != 0 {
		t.Errorf("10 later 401s to the same token cost %d token requests, want none", n)
	}
}

// A Location under the upstream's root points at the same place under the
// proxy, absolute or root-relative as it came; any other is untouched.
func TestLocationRewritten(t *testing.T) {
	t.Parallel()
	var upURL string
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		loc := r.URL.Query().Get("loc")
		w.Header().Set("Location", strings.ReplaceAll(loc, "UP", upURL))
		w.WriteHeader(http.StatusCreated)
	})
	upURL = up.URL
	p := start(t, proxy.Config{Upstream: up.URL + "/base", Tokens: newTokens()})
	P := "/" + prefixOf(t, p)
	c := client(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cases := []struct{ name, loc, want string }{
		{"absolute under the root", "UP/base/v2/jobs/7?x=1#f", p.URL() + "/v2/jobs/7?x=1#f"},
		{"absolute, the root itself", "UP/base", p.URL()},
		{"absolute, the root with a slash", "UP/base/", p.URL() + "/"},
		{"root-relative under the root", "/base/v2/jobs/7?x=1", P + "/v2/jobs/7?x=1"},
		{"absolute, same host outside the root", "UP/other/x", up.URL + "/other/x"},
		{"absolute, a longer segment than the root", "UP/basement", up.URL + "/basement"},
		{"root-relative outside the root", "/other/x", "/other/x"},
		{"another host", "https://elsewhere.example/base/x", "https://elsewhere.example/base/x"},
		{"relative", "jobs/7", "jobs/7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := get(t, c, p.URL()+"/api/x?loc="+url.QueryEscape(tc.loc))
			if a.status != 201 || a.header.Get("Location") != tc.want {
				t.Errorf("%d Location %q, want %q", a.status, a.header.Get("Location"), tc.want)
			}
		})
	}
}

// An upstream that sends no headers within RequestTimeout gets a 504 of the
// proxy's own, naming no secret; a body that streams for longer is not cut.
func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 200 * time.Millisecond
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/hang") {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		for i := range 4 { // headers at once, the body over 3 timeouts
			_, _ = fmt.Fprintf(w, "part %d;", i)
			http.NewResponseController(w).Flush()
			time.Sleep(timeout)
		}
	})
	for _, tc := range []struct {
		name      string
		transport http.RoundTripper
	}{{"the proxy's transport", nil}, {"a given *http.Transport", &http.Transport{}}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := start(t, proxy.Config{Upstream: up.URL, Tokens: newTokens(), RequestTimeout: timeout, Transport: tc.transport})
			c := client(t)
			begin := time.Now()
			a := get(t, c, p.URL()+"/api/SECRETPATH/hang")
			took := time.Since(begin)
			wantProxyError(t, a, http.StatusGatewayTimeout, "upstream_timeout")
			if took > 5*time.Second {
				t.Errorf("answered after %s, want about the request timeout %s", took, timeout)
			}
			for _, secret := range []string{prefixOf(t, p), "tok-1-secret", "SECRETPATH"} {
				if strings.Contains(a.body, secret) {
					t.Errorf("the answer carries %q: %s", secret, a.body)
				}
			}
			if a := get(t, c, p.URL()+"/api/stream"); a.status != 200 || a.body != "part 0;part 1;part 2;part 3;" {
				t.Errorf("streamed answer: %d %q", a.status, a.body)
			}
		})
	}
}

// One log line per retry and per wait for a place, with no prefix, token,
// path or body.
func TestRetryAndWaitLogLines(t *testing.T) {
	t.Parallel()
	up := newUpstream(t, scripted(reply{429, map[string]string{"Retry-After": "1"}}, reply{503, nil}))
	logger := &captureLogger{}
	clock := clocktest.New()
	p := start(t, proxy.WithClock(proxy.Config{Upstream: up.URL, Tokens: newTokens(), MaxRetries: 3, MaxConcurrent: 1, Logger: logger}, clock))
	if a := get(t, client(t), p.URL()+"/api/PATHMARK?QUERYMARK=1"); a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
	var retries []logLine
	for _, l := range logger.all() {
		text := fmt.Sprint(l.msg, l.fields)
		for _, secret := range []string{prefixOf(t, p), "tok-1-secret", "PATHMARK", "QUERYMARK"} {
			if strings.Contains(text, secret) {
				t.Errorf("log line carries %q: %s", secret, text)
			}
		}
		if strings.Contains(l.msg, "retried") {
			retries = append(retries, l)
		}
	}
	if len(retries) != 2 || retries[0].fields["status"] != 429 || retries[0].fields["wait_ms"] != int64(1000) ||
		retries[1].fields["status"] != 503 || retries[1].fields["retry"] != 2 {
		t.Errorf("retry log lines %v, want one for the 429 (1000 ms) and one for the 503", retries)
	}
}
