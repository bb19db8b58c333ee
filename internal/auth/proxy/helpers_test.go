package proxy_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// tokens is a TokenSource handing out seq[0] until it is invalidated, then
// seq[1], and so on; err, if set, makes Token fail.
type tokens struct {
	mu          sync.Mutex
	seq         []string
	i           int
	err         error
	failOnRenew bool // Invalidate makes later Token calls fail
	calls       atomic.Int32
	invalidated []string
}

func newTokens() *tokens {
	return &tokens{seq: []string{"tok-1-secret", "tok-2-secret", "tok-3-secret"}}
}

func (s *tokens) Token(ctx context.Context) (string, error) {
	s.calls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	return s.seq[s.i], nil
}

func (s *tokens) Invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, tok)
	if s.failOnRenew {
		s.err = errTest
	}
	if tok == s.seq[s.i] && s.i < len(s.seq)-1 {
		s.i++
	}
}

func (s *tokens) setErr(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

func (s *tokens) invalidations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.invalidated...)
}

// seen is what the test upstream received.
type seen struct {
	method, path, rawPath, query, host string
	header                             http.Header
	bodyLen                            int64
	bodySHA                            string
}

// upstream is a test API that records every request (reading its body) and
// then answers with handle, or 200 "ok" if handle is nil.
type upstream struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []seen
	handle http.HandlerFunc
}

func newUpstream(t *testing.T, handle http.HandlerFunc) *upstream {
	t.Helper()
	u := &upstream{handle: handle}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		u.mu.Lock()
		u.reqs = append(u.reqs, seen{
			method: r.Method, path: r.URL.Path, rawPath: r.URL.EscapedPath(), query: r.URL.RawQuery,
			host: r.Host, header: r.Header.Clone(), bodyLen: n, bodySHA: hex.EncodeToString(h.Sum(nil)),
		})
		u.mu.Unlock()
		if u.handle != nil {
			u.handle(w, r)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) requests() []seen {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]seen(nil), u.reqs...)
}

func (u *upstream) count() int { return len(u.requests()) }

// onlyToken answers 401 unless the request carries "Bearer <tok>".
func onlyToken(tok string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+tok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_token"}`)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}
}

// start starts a proxy that the test closes.
func start(t *testing.T, cfg proxy.Config) *proxy.Proxy {
	t.Helper()
	if cfg.Platform == "" {
		cfg.Platform = "Test"
	}
	p, err := proxy.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// startOverUpstream starts an upstream that answers "ok" and a proxy for it
// at base below the upstream's root ("" for the root), with its own tokens.
func startOverUpstream(t *testing.T, base string) (*upstream, *tokens, *proxy.Proxy) {
	t.Helper()
	up := newUpstream(t, nil)
	src := newTokens()
	return up, src, start(t, proxy.Config{Upstream: up.URL + base, Tokens: src})
}

// prefixOf returns the prefix of a proxy URL.
func prefixOf(t *testing.T, p *proxy.Proxy) string {
	t.Helper()
	u, err := url.Parse(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func hostOf(t *testing.T, p *proxy.Proxy) string {
	t.Helper()
	u, err := url.Parse(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// client returns an HTTP client whose idle connections are closed when the
// test ends.
func client(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 100, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", req.Method, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func get(t *testing.T, c *http.Client, u string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

// patternRequest is a request with a pattern body of size bytes (none if
// size < 0), of known length unless unknownLength.
func patternRequest(t *testing.T, method, u string, size int64, unknownLength bool) *http.Request {
	t.Helper()
	var body io.Reader
	if size >= 0 {
		body = &pattern{left: size}
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if size >= 0 && !unknownLength {
		req.ContentLength = size
	}
	return req
}

// getAll sends each GETs to u from each of clients goroutines and returns how
// many did not get the status want.
func getAll(c *http.Client, u string, clients, each, want int) int {
	var wg sync.WaitGroup
	var other atomic.Int32
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				resp, err := c.Get(u)
				if err != nil {
					other.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != want {
					other.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return int(other.Load())
}

// raw sends a request head byte for byte on a new connection and reads the
// answer: the way to send what an HTTP client library would clean up.
func raw(t *testing.T, addr, head string) answer {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", head, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// rawGet is raw with a request line and a Host header, closing the connection.
func rawGet(t *testing.T, addr, requestLine string, headers ...string) answer {
	t.Helper()
	head := requestLine + "\r\nHost: " + addr + "\r\n"
	for _, h := range headers {
		head += h + "\r\n"
	}
	return raw(t, addr, head+"Connection: close\r\n\r\n")
}

// pattern is a deterministic body source of n bytes that does not allocate.
type pattern struct{ left, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	for i := range b {
		b[i] = byte((p.off + int64(i)) * 7)
	}
	p.off += int64(len(b))
	p.left -= int64(len(b))
	return len(b), nil
}

var patternSHAs sync.Map // int64 → string

func patternSHA(n int64) string {
	if v, ok := patternSHAs.Load(n); ok {
		return v.(string) //nolint:forcetypeassert // only strings are stored
	}
	h := sha256.New()
	_, _ = io.Copy(h, &pattern{left: n})
	sum := hex.EncodeToString(h.Sum(nil))
	patternSHAs.Store(n, sum)
	return sum
}

// errorBody checks a JSON error of the proxy's own.
func wantProxyError(t *testing.T, a answer, status int, code string) {
	t.Helper()
	if a.status != status || !strings.Contains(a.body, fmt.Sprintf(`"error":%q`, code)) ||
		!strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Errorf("got %d %q (%s), want %d with error %q", a.status, a.body, a.header.Get("Content-Type"), status, code)
	}
}

var errTest = errors.New("test: the credentials were rejected (401 invalid_grant)")

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
