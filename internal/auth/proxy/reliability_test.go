package proxy_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// Every request asks the TokenSource; its failure is a 502 of the proxy's
// own, with the source's message, and nothing is forwarded.
func TestTokenPerRequest(t *testing.T) {
	t.Parallel()
	up, src, p := startOverUpstream(t, "")
	c := client(t)
	for i := range 5 {
		if a := get(t, c, p.URL()+"/api/x"); a.status != 200 {
			t.Fatalf("request %d: %d %q", i, a.status, a.body)
		}
	}
	if n := src.calls.Load(); n != 5 {
		t.Errorf("Token called %d times for 5 requests", n)
	}

	src.setErr(errTest)
	a := get(t, c, p.URL()+"/api/x")
	wantProxyError(t, a, http.StatusBadGateway, "token_unavailable")
	var body struct{ Error, Message string }
	if err := json.Unmarshal([]byte(a.body), &body); err != nil || !strings.Contains(body.Message, errTest.Error()) {
		t.Errorf("body %q does not carry the source's message", a.body)
	}
	if n := up.count(); n != 5 {
		t.Errorf("upstream received %d requests, want the 5 before the failure", n)
	}
}

// A 401 reports the token as invalid; a replayable request is sent once
// more with a new token, a streamed one is not.
func TestRetryOn401(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name            string
		accept          string // the token the upstream accepts; "" none
		size            int64  // body bytes; -1 no body
		unknownLength   bool
		failOnRenew     bool
		wantStatus      int
		wantUpstream    int
		wantInvalidated int
	}{
		{"no 401: one attempt", "tok-1-secret", -1, false, false, 200, 1, 0},
		{"no body: retried with the new token", "tok-2-secret", -1, false, false, 200, 2, 1},
		{"small body: replayed intact", "tok-2-secret", 1000, false, false, 200, 2, 1},
		{"body at the replay cap: replayed", "tok-2-secret", proxy.MaxReplayBody, false, false, 200, 2, 1},
		{"body over the replay cap: 401 passed through", "tok-2-secret", proxy.MaxReplayBody + 1, false, false, 401, 1, 1},
		{"large streamed body: 401 passed through", "tok-2-secret", 8 << 20, false, false, 401, 1, 1},
		{"small body of unknown length: 401 passed through", "tok-2-secret", 1000, true, false, 401, 1, 1},
		{"second 401 passed through, one invalidation", "", 10, false, false, 401, 2, 1},
		{"no new token: first 401 passed through", "tok-2-secret", -1, false, true, 401, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := newUpstream(t, onlyToken(tc.accept))
			src := newTokens()
			src.failOnRenew = tc.failOnRenew
			p := start(t, proxy.Config{Upstream: up.URL, Tokens: src})
			a := do(t, client(t), patternRequest(t, http.MethodPost, p.URL()+"/api/x", tc.size, tc.unknownLength))
			if a.status != tc.wantStatus {
				t.Errorf("status %d, want %d", a.status, tc.wantStatus)
			}
			if a.status == 401 && (a.body != `{"error":"invalid_token"}` || a.header.Get("Www-Authenticate") != "Bearer") {
				t.Errorf("the upstream's 401 was changed: %v %q", a.header, a.body)
			}
			reqs := up.requests()
			if len(reqs) != tc.wantUpstream {
				t.Fatalf("upstream received %d requests, want %d", len(reqs), tc.wantUpstream)
			}
			for i, r := range reqs {
				if want := fmt.Sprintf("Bearer tok-%d-secret", i+1); r.header.Get("Authorization") != want {
					t.Errorf("attempt %d sent %q, want %q", i+1, r.header.Get("Authorization"), want)
				}
				if size := max(tc.size, 0); r.bodyLen != size || r.bodySHA != patternSHA(size) {
					t.Errorf("attempt %d: upstream got %d body bytes (hash %s), want %d", i+1, r.bodyLen, r.bodySHA[:8], size)
				}
			}
			if inv := src.invalidations(); len(inv) != tc.wantInvalidated || (len(inv) > 0 && inv[0] != "tok-1-secret") {
				t.Errorf("invalidated %q, want %d time(s) tok-1-secret", inv, tc.wantInvalidated)
			}
		})
	}
}

// Upstream answers, errors included, reach the client unchanged; redirects
// are not followed.
func TestUpstreamAnswersPassThrough(t *testing.T) {
	t.Parallel()
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		var status int
		_, _ = fmt.Sscanf(r.URL.Path, "/status/%d", &status)
		h := w.Header()
		h.Set("X-Request-Id", "req-"+fmt.Sprint(status))
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Retry-After", "7")
		if status == http.StatusFound {
			h.Set("Location", "https://elsewhere.example/next")
		}
		w.WriteHeader(status)
		if status != http.StatusNoContent && status != http.StatusNotModified {
			_, _ = fmt.Fprintf(w, "<html>%d from upstream</html>", status)
		}
	})
	src := newTokens()
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: src})
	c := client(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	statuses := []int{200, 201, 204, 302, 304, 400, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504}
	for _, status := range statuses {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			path := fmt.Sprintf("/status/%d", status)
			direct := get(t, c, up.URL+path)
			a := get(t, c, p.URL()+path)
			if a.status != direct.status || a.body != direct.body {
				t.Errorf("got %d %q, want %d %q", a.status, a.body, direct.status, direct.body)
			}
			for h := range direct.header {
				if h != "Date" && a.header.Get(h) != direct.header.Get(h) {
					t.Errorf("%s = %q, want %q", h, a.header.Get(h), direct.header.Get(h))
				}
			}
			if status == 302 && a.header.Get("Location") != "https://elsewhere.example/next" {
				t.Errorf("Location = %q", a.header.Get("Location"))
			}
		})
	}
	if n := up.count(); n != 2*len(statuses) {
		t.Errorf("upstream received %d requests for %d statuses, each asked directly and through the proxy", n, len(statuses))
	}
	if inv := src.invalidations(); len(inv) != 0 {
		t.Errorf("tokens invalidated on non-401 answers: %q", inv)
	}
}

func TestUpstreamUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	p := start(t, proxy.Config{Upstream: "http://" + addr + "/base", Tokens: newTokens()})
	a := get(t, client(t), p.URL()+"/api/x?q=1")
	wantProxyError(t, a, http.StatusBadGateway, "upstream_unreachable")
	if !strings.Contains(a.body, "http://"+addr) || !strings.Contains(a.body, "refused") {
		t.Errorf("message does not say what failed: %q", a.body)
	}
	for _, secret := range []string{prefixOf(t, p), "tok-1-secret", "/api/x", "q=1"} {
		if strings.Contains(a.body, secret) {
			t.Errorf("error body carries %q: %q", secret, a.body)
		}
	}
}

// firstRead closes a channel the first time the upstream reads body bytes.
type firstRead struct {
	r    io.Reader
	once sync.Once
	ch   chan struct{}
}

func (f *firstRead) Read(b []byte) (int, error) {
	n, err := f.r.Read(b)
	if n > 0 {
		f.once.Do(func() { close(f.ch) })
	}
	return n, err
}

// gated produces a pattern body but, after gateAt bytes, waits until the
// upstream has read something: a proxy that buffered the upload would never
// let it.
type gated struct {
	pattern
	gateAt int64
	gate   <-chan struct{}
	sent   int64
}

func (g *gated) Read(b []byte) (int, error) {
	if g.sent >= g.gateAt && g.gate != nil {
		select {
		case <-g.gate:
			g.gate = nil
		case <-time.After(20 * time.Second):
			return 0, fmt.Errorf("the upstream read nothing of the first %d bytes sent: the proxy buffers uploads", g.sent)
		}
	}
	n, err := g.pattern.Read(b)
	g.sent += int64(n)
	return n, err
}

// A large upload reaches the upstream intact and is streamed, not buffered.
func TestLargeUploadStreams(t *testing.T) {
	t.Parallel()
	size := int64(64 << 20)
	if testing.Short() {
		size = 8 << 20
	}
	want := fmt.Sprintf("%d %s", size, patternSHA(size))
	for _, known := range []bool{false, true} {
		name := "unknown length"
		if known {
			name = "known length over the replay cap"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			started := make(chan struct{})
			up := newUpstream(t, nil)
			up.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := sha256.New()
				n, err := io.Copy(h, &firstRead{r: r.Body, ch: started})
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				_, _ = fmt.Fprintf(w, "%d %x", n, h.Sum(nil))
			})
			p := start(t, proxy.Config{Upstream: up.URL, Tokens: newTokens()})
			body := &gated{pattern: pattern{left: size}, gateAt: 2 << 20, gate: started}
			req, err := http.NewRequest(http.MethodPut, p.URL()+"/api/upload", body)
			if err != nil {
				t.Fatal(err)
			}
			if known {
				req.ContentLength = size
			}
			if a := do(t, client(t), req); a.status != 200 || a.body != want {
				t.Errorf("upstream got %q (status %d), want %q", a.body, a.status, want)
			}
		})
	}
}

// Response bodies are passed on as they arrive, even with a Content-Length.
func TestResponseStreams(t *testing.T) {
	t.Parallel()
	ack := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		_, _ = io.WriteString(w, "first")
		http.NewResponseController(w).Flush()
		select {
		case <-ack:
			_, _ = io.WriteString(w, "secnd")
		case <-time.After(3 * time.Second):
			_, _ = io.WriteString(w, "late!")
		}
	})
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: newTokens()})
	resp, err := client(t).Get(p.URL() + "/api/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	close(ack)
	rest, _ := io.ReadAll(resp.Body)
	if got := string(first) + string(rest); got != "firstsecnd" {
		t.Errorf("body %q: the first part was held back until the upstream gave up waiting", got)
	}
}

// barrier is a TokenSource whose Token returns only once n callers are
// inside it at the same time: a proxy that serialised Token calls would
// never get there.
type barrier struct {
	n       int
	mu      sync.Mutex
	waiting int
	open    chan struct{}
	failed  atomic.Bool
	calls   atomic.Int32
}

func (b *barrier) Token(ctx context.Context) (string, error) {
	b.calls.Add(1)
	b.mu.Lock()
	b.waiting++
	if b.waiting == b.n {
		close(b.open)
	}
	b.mu.Unlock()
	if b.failed.Load() {
		return "", errors.New("barrier already failed")
	}
	select {
	case <-b.open:
		return "tok-1-secret", nil
	case <-time.After(5 * time.Second):
		b.failed.Store(true)
		return "", fmt.Errorf("fewer than %d requests were inside Token at once", b.n)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (b *barrier) Invalidate(string) {}

// Concurrent requests each get a token, and none waits for another's.
func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		n    int
	}{
		{name: "16 inside Token at once", n: 16},
		{name: "64 concurrent requests", n: 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := newUpstream(t, onlyToken("tok-1-secret"))
			var src proxy.TokenSource
			var calls func() int32
			if tc.n == 16 {
				b := &barrier{n: tc.n, open: make(chan struct{})}
				src, calls = b, b.calls.Load
			} else {
				s := newTokens()
				src, calls = s, s.calls.Load
			}
			p := start(t, proxy.Config{Upstream: up.URL, Tokens: src})
			c := client(t)
			var wg sync.WaitGroup
			errs := make(chan string, tc.n)
			for i := range tc.n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := c.Get(fmt.Sprintf("%s/api/item/%d", p.URL(), i))
					if err != nil {
						errs <- err.Error()
						return
					}
					b, _ := io.ReadAll(resp.Body)
					_ = resp.Body.Close()
					if resp.StatusCode != 200 {
						errs <- fmt.Sprintf("%d %s", resp.StatusCode, b)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Error(e)
			}
			if got := calls(); int(got) != tc.n {
				t.Errorf("Token called %d times for %d requests", got, tc.n)
			}
			if got := up.count(); got != tc.n {
				t.Errorf("upstream received %d requests, want %d", got, tc.n)
			}
		})
	}
}
