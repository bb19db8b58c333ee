package nettest

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// Host is the name of an upstream behind a ForwardProxy. Nothing resolves it
// (.test is reserved): a request reaches the upstream only through the proxy.
const Host = "api.mock.test"

// ServeTLS serves h over TLS on 127.0.0.1 with cert until the test ends.
func ServeTLS(t testing.TB, h http.Handler, cert tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes that tests make fail
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// Network is an upstream as a platform behind a corporate egress proxy
// looks: served over TLS with a certificate for Host from a private CA, and
// reachable only through a CONNECT forward proxy.
type Network struct {
	CA       *CA
	Upstream *httptest.Server // TLS on 127.0.0.1
	Proxy    *ForwardProxy    // tunnels every CONNECT to Upstream
	// BaseURL is https://Host:port, the upstream's address through the proxy.
	BaseURL string
}

// BehindProxy serves h as a Network until the test ends.
func BehindProxy(t testing.TB, h http.Handler) *Network {
	t.Helper()
	ca := NewCA(t, "translationauth test CA")
	up := ServeTLS(t, h, ca.Issue(t, Current(), Host))
	_, port, _ := net.SplitHostPort(up.Listener.Addr().String())
	return &Network{
		CA:       ca,
		Upstream: up,
		Proxy:    StartForwardProxy(t, up.Listener.Addr().String(), nil),
		BaseURL:  "https://" + Host + ":" + port,
	}
}

// Rebase is u (such as a mock's API root) with n's BaseURL in place of its
// scheme and host: the same path, reached through the forward proxy.
func (n *Network) Rebase(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		panic(fmt.Sprintf("nettest: Rebase(%q): %v", u, err))
	}
	return n.BaseURL + parsed.EscapedPath()
}
