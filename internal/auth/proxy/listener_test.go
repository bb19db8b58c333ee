package proxy_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// dialRaw opens a connection to the proxy that the test closes.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// readAnswer reads one answer from conn within d.
func readAnswer(t *testing.T, conn net.Conn, r *bufio.Reader, d time.Duration) (*http.Response, string, error) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	return resp, string(b), err
}

// A refused request is answered at once with Connection: close, and its
// connection is freed within about a second, even when it announced a body
// it never sends; Close then returns promptly, without ErrCutOff.
func TestRefusalFreesItsConnection(t *testing.T) {
	t.Parallel()
	up, _, p := startOverUpstream(t, "")
	P, addr := "/"+prefixOf(t, p), hostOf(t, p)
	cases := []struct {
		name, head string
		status     int
	}{
		{"no prefix, a body announced and never sent", "POST /api/x HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 100000\r\n\r\n", 404},
		{"no prefix, a chunked body never sent", "POST /api/x HTTP/1.1\r\nHost: " + addr + "\r\nTransfer-Encoding: chunked\r\n\r\n", 404},
		{"a dot segment, a body announced", "PUT " + P + "/a/../b HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 5000\r\n\r\n", 400},
		{"TRACE with the prefix", "TRACE " + P + "/api/x HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 10\r\n\r\n", 405},
		{"a foreign Host, a large header", "GET " + P + "/api/x HTTP/1.1\r\nHost: evil.example\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", 400},
	}
	conns := make([]net.Conn, len(cases))
	for i, tc := range cases {
		conn := dialRaw(t, addr)
		conns[i] = conn
		if _, err := io.WriteString(conn, tc.head); err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(conn)
		resp, body, err := readAnswer(t, conn, r, 500*time.Millisecond) // at once, not after the read deadline
		if err != nil {
			t.Errorf("%s: no answer: %v", tc.name, err)
			continue
		}
		if resp.StatusCode != tc.status || !resp.Close || !strings.Contains(body, `"error"`) {
			t.Errorf("%s: %d (Connection: close %v) %q, want %d closing the connection", tc.name, resp.StatusCode, resp.Close, body, tc.status)
		}
		// The server closes the connection, within about a second.
		_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := r.ReadByte(); !errors.Is(err, io.EOF) && !isReset(err) {
			t.Errorf("%s: the connection is still open: %v", tc.name, err)
		}
	}
	if n := up.count(); n != 0 {
		t.Errorf("%d refused requests reached the upstream", n)
	}
	begin := time.Now()
	if err := p.Close(); err != nil {
		t.Errorf("Close after refused requests = %v", err)
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("Close took %s after refused requests", took)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// No more client connections than the cap are served at once; one more is
// served as soon as another closes.
func TestConnectionCap(t *testing.T) {
	t.Parallel()
	up := newUpstream(t, nil)
	p := start(t, proxy.WithMaxConns(proxy.Config{Upstream: up.URL, Tokens: newTokens()}, 4))
	P, addr := "/"+prefixOf(t, p), hostOf(t, p)
	head := "GET " + P + "/api/x HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"
	var open []net.Conn
	for i := range 4 { // keep-alive connections, idle once answered
		conn := dialRaw(t, addr)
		_, _ = io.WriteString(conn, head)
		if resp, _, err := readAnswer(t, conn, bufio.NewReader(conn), 5*time.Second); err != nil || resp.StatusCode != 200 {
			t.Fatalf("connection %d: %v %v", i+1, resp, err)
		}
		open = append(open, conn)
	}
	extra := dialRaw(t, addr) // the kernel accepts it; the proxy does not serve it
	_, _ = io.WriteString(extra, head)
	r := bufio.NewReader(extra)
	if resp, _, err := readAnswer(t, extra, r, 300*time.Millisecond); err == nil {
		t.Fatalf("a connection over the cap was served: %d", resp.StatusCode)
	}
	_ = open[0].Close()
	if resp, _, err := readAnswer(t, extra, r, 5*time.Second); err != nil || resp.StatusCode != 200 {
		t.Errorf("the waiting connection was not served once another closed: %v %v", resp, err)
	}
}

// A malformed request body is the client's fault: a 400 that names the
// request, not the API.
func TestMalformedChunkedBody(t *testing.T) {
	t.Parallel()
	up, _, p := startOverUpstream(t, "")
	P, addr := "/"+prefixOf(t, p), hostOf(t, p)
	a := raw(t, addr, "POST "+P+"/api/x HTTP/1.1\r\nHost: "+addr+"\r\nTransfer-Encoding: chunked\r\n\r\n"+
		"5\r\nhello\r\nzz-not-hex\r\n\r\n")
	wantProxyError(t, a, http.StatusBadRequest, "request_body")
	if strings.Contains(a.body, "reach") || strings.Contains(a.body, up.URL) {
		t.Errorf("the answer blames the API: %s", a.body)
	}
}

// Headers that some servers read as the path or prefix asked for never
// reach the upstream; TRACE is refused and never forwarded.
func TestPathRewritingHeadersAndTrace(t *testing.T) {
	t.Parallel()
	up, _, p := startOverUpstream(t, "")
	P, addr := "/"+prefixOf(t, p), hostOf(t, p)
	a := rawGet(t, addr, "GET "+P+"/api/x HTTP/1.1",
		"X-Original-URL: /admin", "X-Rewrite-URL: /admin", "X-Forwarded-Prefix: /..",
		"X-Forwarded-Server: evil", "X-Forwarded-Port: 1", "X-Forwarded-Uri: /admin", "X-Kept: yes")
	if a.status != 200 {
		t.Fatalf("status %d %q", a.status, a.body)
	}
	reqs := up.requests()
	got := reqs[len(reqs)-1].header
	for _, h := range []string{"X-Original-Url", "X-Rewrite-Url", "X-Forwarded-Prefix", "X-Forwarded-Server", "X-Forwarded-Port", "X-Forwarded-Uri"} {
		if v := got.Values(h); len(v) > 0 {
			t.Errorf("%s reached the upstream: %q", h, v)
		}
	}
	if got.Get("X-Kept") != "yes" {
		t.Errorf("X-Kept lost: %v", got)
	}
	before := up.count()
	a = rawGet(t, addr, "TRACE "+P+"/api/x HTTP/1.1")
	wantProxyError(t, a, http.StatusMethodNotAllowed, "method_not_allowed")
	if up.count() != before {
		t.Error("TRACE was forwarded")
	}
}
