package proxy_test

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

func TestURLShape(t *testing.T) {
	t.Parallel()
	p := start(t, proxy.Config{Upstream: "https://api.example.com", Tokens: newTokens()})
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+/[0-9a-f]{32}$`).MatchString(p.URL()) {
		t.Errorf("URL() = %q, want http://127.0.0.1:<port>/<32 hex>", p.URL())
	}
}

func TestPrefixHas128RandomBits(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		_, prefix, err := proxy.NewHandler(proxy.Config{Upstream: "https://api.example.com", Tokens: newTokens(), Transport: http.DefaultTransport})
		if err != nil {
			t.Fatal(err)
		}
		if b, err := hex.DecodeString(prefix); err != nil || len(b) < 16 {
			t.Fatalf("prefix %q is not at least 16 bytes of hex", prefix)
		}
		if seen[prefix] {
			t.Fatalf("prefix %q handed out twice", prefix)
		}
		seen[prefix] = true
	}
}

// Requests outside the prefix get a fixed 404, and neither reach the
// upstream nor cost a token.
func TestOutsidePrefixIsNotFound(t *testing.T) {
	t.Parallel()
	up, src, p := startOverUpstream(t, "/base")
	prefix, addr := prefixOf(t, p), hostOf(t, p)
	other := []byte(prefix)
	other[len(other)-1] ^= 1
	cases := []struct{ name, target string }{
		{"no prefix", "/"},
		{"no prefix, API path", "/api/x"},
		{"wrong prefix", "/" + string(other) + "/api/x"},
		{"prefix with a character more", "/" + prefix + "X/api/x"},
		{"prefix with a character less", "/" + prefix[:len(prefix)-1] + "/api/x"},
		{"prefix as a later segment", "/x/" + prefix + "/api/x"},
		{"prefix inside a segment", "/x" + prefix + "/api/x"},
		{"prefix in upper case", "/" + strings.ToUpper(prefix) + "/api/x"},
		{"prefix percent-encoded", "/%" + fmt.Sprintf("%02x", prefix[0]) + prefix[1:] + "/api/x"},
		{"empty first segment", "//" + prefix + "/api/x"},
		{"prefix in the query", "/api/x?" + prefix},
		{"dot segment before the prefix", "/../" + prefix + "/api/x"},
	}
	var body string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := rawGet(t, addr, "GET "+c.target+" HTTP/1.1")
			wantProxyError(t, a, http.StatusNotFound, "not_found")
			if body == "" {
				body = a.body
			} else if a.body != body {
				t.Errorf("404 body %q differs from %q", a.body, body)
			}
			if strings.Contains(a.body, prefix) || strings.Contains(a.body, "api") {
				t.Errorf("404 body echoes the request: %q", a.body)
			}
		})
	}
	if n := up.count(); n != 0 {
		t.Errorf("upstream received %d requests, want 0", n)
	}
	if n := src.calls.Load(); n != 0 {
		t.Errorf("Token called %d times, want 0", n)
	}
	if len(body) > 64 {
		t.Errorf("404 body is %d bytes, want a tiny one", len(body))
	}
}

// {URL}/X goes to {Upstream}/X: upstream path prefix, method, query (byte
// for byte), headers and body kept, Host set to the upstream's.
func TestForwardsBelowUpstreamRoot(t *testing.T) {
	t.Parallel()
	up, src, p := startOverUpstream(t, "/base")
	c := client(t)
	upHost := strings.TrimPrefix(up.URL, "http://")
	cases := []struct {
		name, method, target, body string
		wantPath, wantRaw, query   string
	}{
		{"get", "GET", "/api/v2/projects", "", "/base/api/v2/projects", "/base/api/v2/projects", ""},
		{"post with body", "POST", "/api/files", `{"name":"a.json"}`, "/base/api/files", "/base/api/files", ""},
		{"put", "PUT", "/api/files/1", "content", "/base/api/files/1", "/base/api/files/1", ""},
		{"delete", "DELETE", "/api/files/1", "", "/base/api/files/1", "/base/api/files/1", ""},
		{"patch", "PATCH", "/api/files/1", "{}", "/base/api/files/1", "/base/api/files/1", ""},
		{"query byte for byte", "GET", "/api/x?b=2&a=1&c=%2F&d=x;y&e&f=%zz", "", "/base/api/x", "/base/api/x", "b=2&a=1&c=%2F&d=x;y&e&f=%zz"},
		{"trailing slash", "GET", "/api/list/", "", "/base/api/list/", "/base/api/list/", ""},
		{"escapes kept as sent", "GET", "/api/a%20b/%3Fq/%C3%A9", "", "/base/api/a b/?q/é", "/base/api/a%20b/%3Fq/%C3%A9", ""},
		{"unusual escapes kept as sent", "GET", "/api/%41b/x%2cy/%c3%a9", "", "/base/api/Ab/x,y/é", "/base/api/%41b/x%2cy/%c3%a9", ""},
		{"root with slash", "GET", "/", "", "/base/", "/base/", ""},
		{"root without slash", "GET", "", "", "/base/", "/base/", ""},
		{"dots inside names", "GET", "/api/v1.2/file..json/.well-known", "", "/base/api/v1.2/file..json/.well-known", "/base/api/v1.2/file..json/.well-known", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, p.URL()+tc.target, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Custom", "kept")
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Cookie", "session=abc")
			req.Header.Set("Authorization", "Bearer client-supplied")
			if a := do(t, c, req); a.status != 200 || a.body != "ok" {
				t.Fatalf("got %d %q", a.status, a.body)
			}
			reqs := up.requests()
			if len(reqs) != i+1 {
				t.Fatalf("upstream has %d requests, want %d", len(reqs), i+1)
			}
			got := reqs[i]
			if got.method != tc.method || got.path != tc.wantPath || got.rawPath != tc.wantRaw || got.query != tc.query {
				t.Errorf("upstream got %s %q (raw %q) query %q; want %s %q (raw %q) query %q",
					got.method, got.path, got.rawPath, got.query, tc.method, tc.wantPath, tc.wantRaw, tc.query)
			}
			if got.host != upHost {
				t.Errorf("Host = %q, want the upstream's %q", got.host, upHost)
			}
			if got.bodySHA != sha(tc.body) {
				t.Errorf("body changed on the way: %d bytes", got.bodyLen)
			}
			for k, want := range map[string]string{
				"X-Custom": "kept", "Content-Type": "application/json", "Cookie": "session=abc",
				"Authorization": "Bearer tok-1-secret",
			} {
				if v := got.header.Values(k); len(v) != 1 || v[0] != want {
					t.Errorf("upstream header %s = %q, want %q", k, v, want)
				}
			}
		})
	}
	if n := src.calls.Load(); int(n) != len(cases) {
		t.Errorf("Token called %d times for %d requests", n, len(cases))
	}
}

// Nothing leaves the API root: dot segments raw or encoded, encoded
// separators, other request-target forms and non-loopback Host headers are
// refused with 400 before a token is fetched.
func TestRefusesWhatCouldLeaveTheRoot(t *testing.T) {
	t.Parallel()
	up, src, p := startOverUpstream(t, "/base")
	P, addr := "/"+prefixOf(t, p), hostOf(t, p)
	cases := []struct {
		name, requestLine string
		headers           []string
	}{
		{"dot-dot segment", "GET " + P + "/../x HTTP/1.1", nil},
		{"dot-dot after a segment", "GET " + P + "/api/../../x HTTP/1.1", nil},
		{"dot segment", "GET " + P + "/./x HTTP/1.1", nil},
		{"trailing dot-dot", "GET " + P + "/api/.. HTTP/1.1", nil},
		{"trailing dot", "GET " + P + "/api/. HTTP/1.1", nil},
		{"encoded dot-dot lower", "GET " + P + "/%2e%2e/x HTTP/1.1", nil},
		{"encoded dot-dot upper", "GET " + P + "/%2E%2E/x HTTP/1.1", nil},
		{"encoded then raw dot", "GET " + P + "/%2E./x HTTP/1.1", nil},
		{"raw then encoded dot", "GET " + P + "/.%2e/x HTTP/1.1", nil},
		{"encoded dot", "GET " + P + "/%2e/x HTTP/1.1", nil},
		{"double-encoded dot-dot", "GET " + P + "/%252e%252e/x HTTP/1.1", nil},
		{"quadruple-encoded dot-dot", "GET " + P + "/%2525252e%2525252e/x HTTP/1.1", nil},
		{"dot-dot with a parameter", "GET " + P + "/..;/x HTTP/1.1", nil},
		{"encoded slash lower", "GET " + P + "/api%2f..%2fx HTTP/1.1", nil},
		{"encoded slash upper", "GET " + P + "/api/a%2Fb HTTP/1.1", nil},
		{"double-encoded slash", "GET " + P + "/api/a%252Fb HTTP/1.1", nil},
		{"encoded backslash", "GET " + P + "/api%5c..%5cx HTTP/1.1", nil},
		{"raw backslash", `GET ` + P + `/api\..\x HTTP/1.1`, nil},
		{"encoded NUL", "GET " + P + "/api/a%00b HTTP/1.1", nil},
		{"empty segment", "GET " + P + "//evil.example/x HTTP/1.1", nil},
		{"empty inner segment", "GET " + P + "/api//x HTTP/1.1", nil},
		{"absolute-form to another host", "GET http://evil.example" + P + "/x HTTP/1.1", nil},
		{"absolute-form https", "GET https://evil.example" + P + "/x HTTP/1.1", nil},
		{"absolute-form to the proxy itself", "GET http://" + addr + P + "/x HTTP/1.1", nil},
		{"CONNECT", "CONNECT evil.example:443 HTTP/1.1", nil},
		{"CONNECT with a path", "CONNECT " + P + "/api/x HTTP/1.1", nil},
		{"CONNECT to the upstream", "CONNECT " + strings.TrimPrefix(up.URL, "http://") + " HTTP/1.1", nil},
		{"non-loopback Host (DNS rebinding)", "GET " + P + "/x HTTP/1.1", []string{"Host: evil.example"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a answer
			if c.headers != nil {
				a = raw(t, addr, c.requestLine+"\r\n"+strings.Join(c.headers, "\r\n")+"\r\nConnection: close\r\n\r\n")
			} else {
				a = rawGet(t, addr, c.requestLine)
			}
			wantProxyError(t, a, http.StatusBadRequest, "bad_request")
			if strings.Contains(a.body, P[1:]) {
				t.Errorf("error body carries the prefix: %q", a.body)
			}
		})
	}
	if n := up.count(); n != 0 {
		t.Errorf("upstream received %d requests, want 0", n)
	}
	if n := src.calls.Load(); n != 0 {
		t.Errorf("Token called %d times, want 0", n)
	}
}

// The client's credentials never reach the upstream, hop-by-hop headers are
// dropped both ways, and no forwarding header is set.
func TestHeaders(t *testing.T) {
	t.Parallel()
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "X-Resp-Hop")
		w.Header().Set("X-Resp-Hop", "dropped")
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("X-Api", "kept")
		w.Header().Add("Set-Cookie", "s=1")
		_, _ = w.Write([]byte("ok"))
	})
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: newTokens()})
	P, addr := "/"+prefixOf(t, p), hostOf(t, p)

	// Sanity: the upstream does send the response headers the proxy must drop.
	if a := rawGet(t, strings.TrimPrefix(up.URL, "http://"), "GET / HTTP/1.1"); a.header.Get("X-Resp-Hop") == "" {
		t.Fatal("test upstream does not send X-Resp-Hop")
	}

	a := rawGet(t, addr, "GET "+P+"/api/x HTTP/1.1",
		"Authorization: Bearer client-supplied",
		"Authorization: Basic second",
		"Proxy-Authorization: Basic cHJveHk6c2VjcmV0",
		"Cookie: session=abc",
		"X-Hop: secret",
		"Keep-Alive: timeout=5",
		"Proxy-Connection: keep-alive",
		"TE: trailers, deflate",
		"Upgrade: websocket",
		"Connection: X-Hop, Upgrade",
		"X-Forwarded-For: 10.1.2.3",
		"X-Forwarded-Host: evil.example",
		"X-Forwarded-Proto: https",
		"Forwarded: for=10.1.2.3",
		"X-Custom: kept",
	)
	if a.status != 200 {
		t.Fatalf("status %d %q", a.status, a.body)
	}
	reqs := up.requests()
	got := reqs[len(reqs)-1].header
	if v := got.Values("Authorization"); len(v) != 1 || v[0] != "Bearer tok-1-secret" {
		t.Errorf("Authorization = %q, want only the token", v)
	}
	for _, h := range []string{"Proxy-Authorization", "X-Hop", "Keep-Alive", "Proxy-Connection", "Upgrade", "Connection",
		"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded"} {
		if v := got.Values(h); len(v) > 0 {
			t.Errorf("request header %s reached the upstream: %q", h, v)
		}
	}
	for h, want := range map[string]string{"Cookie": "session=abc", "X-Custom": "kept", "Te": "trailers"} {
		if v := got.Get(h); v != want {
			t.Errorf("request header %s = %q, want %q", h, v, want)
		}
	}
	for _, h := range []string{"X-Resp-Hop", "Keep-Alive"} {
		if v := a.header.Values(h); len(v) > 0 {
			t.Errorf("response header %s reached the client: %q", h, v)
		}
	}
	if a.header.Get("X-Api") != "kept" || a.header.Get("Set-Cookie") != "s=1" {
		t.Errorf("response headers lost: %v", a.header)
	}
}

// The upstream obeys the https rule of base_url.
func TestUpstreamMustBeHTTPSOrLoopback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, upstream string
		ok             bool
	}{
		{"plain http to a remote host", "http://example.com", false},
		{"plain http to a remote host with a path", "http://api.example.com/v2", false},
		{"another scheme", "ftp://api.example.com", false},
		{"user info", "https://user:pass@api.example.com", false},
		{"query", "https://api.example.com?x=1", false},
		{"relative", "/api", false},
		{"empty", "", false},
		{"https", "https://api.example.com", true},
		{"https with a path", "https://api.example.com/base/", true},
		{"http on 127.0.0.1", "http://127.0.0.1:8080", true},
		{"http on localhost", "http://localhost/base", true},
		{"http on ::1", "http://[::1]:9000", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := proxy.Config{Upstream: c.upstream, Tokens: newTokens(), Platform: "Test"}
			_, _, err := proxy.NewHandler(cfg)
			if (err == nil) != c.ok {
				t.Errorf("NewHandler(%q) error = %v, want ok=%v", c.upstream, err, c.ok)
			}
			p, err := proxy.Start(cfg)
			if (err == nil) != c.ok {
				t.Errorf("Start(%q) error = %v, want ok=%v", c.upstream, err, c.ok)
			}
			if err == nil {
				_ = p.Close()
			}
		})
	}
	t.Run("no token source", func(t *testing.T) {
		if _, err := proxy.Start(proxy.Config{Upstream: "https://api.example.com"}); err == nil {
			t.Error("Start without Tokens succeeded")
		}
	})
}
