package nettest

import (
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ForwardProxy is a CONNECT forward proxy, such as HTTPS_PROXY names: it
// tunnels every CONNECT to one target address whatever host the client asked
// for, so that an upstream on a loopback port can have a name that no DNS
// resolves (Go never sends loopback hosts through a proxy). Other methods get
// 405.
type ForwardProxy struct {
	// URL is the proxy's address, http://127.0.0.1:port, for HTTPS_PROXY.
	URL string

	srv     *httptest.Server
	target  string
	auth    string // the Proxy-Authorization it requires; "" for none
	tunnels atomic.Int64
	refused atomic.Int64

	mu     sync.Mutex
	hosts  []string              // the CONNECT authorities, in order
	conns  map[net.Conn]struct{} // both ends of open tunnels
	wg     sync.WaitGroup        // tunnel copiers
	closed bool
}

// StartForwardProxy starts a proxy that tunnels to target (host:port). With
// user set, it answers 407 to a CONNECT without those Basic credentials. The
// proxy and its tunnels close when the test ends.
func StartForwardProxy(t testing.TB, target string, user *url.Userinfo) *ForwardProxy {
	t.Helper()
	p := &ForwardProxy{target: target, conns: map[net.Conn]struct{}{}}
	if user != nil {
		pass, _ := user.Password()
		p.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(user.Username()+":"+pass))
	}
	p.srv = httptest.NewServer(p)
	p.URL = p.srv.URL
	t.Cleanup(p.close)
	return p
}

// Tunnels is how many tunnels the proxy opened.
func (p *ForwardProxy) Tunnels() int { return int(p.tunnels.Load()) }

// Refused is how many CONNECTs it answered 407.
func (p *ForwardProxy) Refused() int { return int(p.refused.Load()) }

// Hosts are the host:port authorities that clients asked to tunnel to.
func (p *ForwardProxy) Hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hosts...)
}

// URLWithUser is the proxy's URL with user info, as a proxy variable that
// carries credentials holds it.
func (p *ForwardProxy) URLWithUser(user *url.Userinfo) string {
	u, _ := url.Parse(p.URL)
	u.User = user
	return u.String()
}

func (p *ForwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this test proxy only tunnels (CONNECT)", http.StatusMethodNotAllowed)
		return
	}
	if p.auth != "" && r.Header.Get("Proxy-Authorization") != p.auth {
		p.refused.Add(1)
		w.Header().Set("Proxy-Authenticate", `Basic realm="nettest"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	}
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		http.Error(w, "cannot reach the target", http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		_ = up.Close()
		http.Error(w, "cannot hijack", http.StatusInternalServerError)
		return
	}
	client, rw, err := hj.Hijack()
	if err != nil {
		_ = up.Close()
		return
	}
	if _, err := client.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n")); err != nil {
		_, _ = client.Close(), up.Close()
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_, _ = client.Close(), up.Close()
		return
	}
	p.hosts = append(p.hosts, r.Host)
	p.conns[client], p.conns[up] = struct{}{}, struct{}{}
	p.wg.Add(2)
	p.mu.Unlock()
	p.tunnels.Add(1)
	go p.copy(up, rw.Reader, client, up)
	go p.copy(client, up, client, up)
}

// copy copies one direction of a tunnel, then ends the tunnel.
func (p *ForwardProxy) copy(dst io.Writer, src io.Reader, client, up net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	p.end(client, up)
}

func (p *ForwardProxy) end(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

// close closes the open tunnels, waits for their copiers, and stops the server.
func (p *ForwardProxy) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	p.srv.Close()
}
