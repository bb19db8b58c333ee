package auth

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/http/httpproxy"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/nettest"
)

// The forward proxy's credentials in the tests: like the platforms' secrets,
// the password must never reach an error.
const (
	proxyUser     = "alice"
	proxyPassword = "proxy-s3cret"
)

// networkCase is a way a token request can meet the network: its transport
// options and API root, the forward proxy whose tunnels it counts, and what
// must happen.
type networkCase struct {
	name string
	// setup returns the transport options, the API root (without the
	// platform's path) and the forward proxy to count.
	setup    func(t *testing.T, n *nettest.Network, mock http.Handler) (TransportOptions, string, *nettest.ForwardProxy)
	retries  int
	kind     ErrorKind // KindUnknown: the token request succeeds
	contains []string
	attempts int // token request attempts, when it fails
	tunnels  int // tunnels the counted proxy opened
}

// through is the proxy variables of a request through a forward proxy at proxyURL.
func through(proxyURL string) *httpproxy.Config { return &httpproxy.Config{HTTPSProxy: proxyURL} }

func TestNetwork_tokenRequests(t *testing.T) {
	t.Parallel()
	upstreamAddr := func(n *nettest.Network) string { return n.Upstream.Listener.Addr().String() }
	cases := []networkCase{
		{name: "through the proxy, CA added",
			setup: func(_ *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: through(n.Proxy.URL)}, n.BaseURL, n.Proxy
			},
			tunnels: 1},
		{name: "through the proxy, CA missing: unknown authority", retries: 2,
			setup: func(_ *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				return TransportOptions{Proxy: through(n.Proxy.URL)}, n.BaseURL, n.Proxy
			},
			kind:     KindTLS,
			contains: []string{"TLS failure", "unknown authority", `"CN=translationauth test CA,O=translationauth tests"`},
			attempts: 1, tunnels: 1},
		{name: "name mismatch", retries: 2,
			setup: func(_ *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				other := strings.Replace(n.BaseURL, nettest.Host, "other.mock.test", 1)
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: through(n.Proxy.URL)}, other, n.Proxy
			},
			kind:     KindTLS,
			contains: []string{"TLS failure", "name mismatch", nettest.Host, "other.mock.test"},
			attempts: 1, tunnels: 1},
		{name: "expired certificate", retries: 2,
			setup: func(t *testing.T, n *nettest.Network, mock http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				expired := nettest.ServeTLS(t, mock, n.CA.Issue(t, nettest.Expired(), nettest.Host))
				fp := nettest.StartForwardProxy(t, expired.Listener.Addr().String(), nil)
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: through(fp.URL)}, n.BaseURL, fp
			},
			kind:     KindTLS,
			contains: []string{"TLS failure", "expired: certificate has expired"},
			attempts: 1, tunnels: 1},
		{name: "proxy asks for credentials (407)", retries: 2,
			setup: func(t *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				fp := nettest.StartForwardProxy(t, upstreamAddr(n), url.UserPassword(proxyUser, proxyPassword))
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: through(fp.URL)}, n.BaseURL, fp
			},
			kind:     KindProxy,
			contains: []string{"forward proxy failure", "407 Proxy Authentication Required", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"},
			attempts: 1, tunnels: 0},
		{name: "proxy refuses the credentials (407)", retries: 2,
			setup: func(t *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				fp := nettest.StartForwardProxy(t, upstreamAddr(n), url.UserPassword(proxyUser, proxyPassword))
				wrong := fp.URLWithUser(url.UserPassword(proxyUser, "wrong-"+proxyPassword))
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: through(wrong)}, n.BaseURL, fp
			},
			kind:     KindProxy,
			contains: []string{"407 Proxy Authentication Required", "refused the credentials in HTTPS_PROXY or HTTP_PROXY"},
			attempts: 1, tunnels: 0},
		{name: "proxy with its credentials",
			setup: func(t *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				fp := nettest.StartForwardProxy(t, upstreamAddr(n), url.UserPassword(proxyUser, proxyPassword))
				right := fp.URLWithUser(url.UserPassword(proxyUser, proxyPassword))
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: through(right)}, n.BaseURL, fp
			},
			tunnels: 1},
		{name: "NO_PROXY names the host: not proxied", retries: 2,
			setup: func(_ *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				cfg := &httpproxy.Config{HTTPSProxy: n.Proxy.URL, NoProxy: "localhost,.mock.test"}
				return TransportOptions{CACerts: [][]byte{n.CA.PEM}, Proxy: cfg}, n.BaseURL, n.Proxy
			},
			kind: KindDNS, contains: []string{"DNS failure"}, attempts: 1, tunnels: 0},
		{name: "proxy unreachable: retried", retries: 1,
			setup: func(t *testing.T, n *nettest.Network, _ http.Handler) (TransportOptions, string, *nettest.ForwardProxy) {
				return TransportOptions{Proxy: through("http://" + closedPort(t))}, n.BaseURL, n.Proxy
			},
			kind:     KindProxy,
			contains: []string{"could not connect to the forward proxy that HTTPS_PROXY or HTTP_PROXY names", "connection refused"},
			attempts: 2, tunnels: 0},
	}
	for _, p := range platformCases {
		for _, c := range cases {
			t.Run(p.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				mock := mocktest.New(t, mockapi.DefaultConfig())
				n := nettest.BehindProxy(t, mock)
				opts, base, counted := c.setup(t, n, mock)
				tr, err := NewTransport(opts)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(tr.CloseIdleConnections)
				client := testClient(ClientOptions{Transport: tr, MaxRetries: c.retries})
				tok, err := p.adapter(client, base+strings.TrimPrefix(mock.BaseURL(p.mock), mock.URL)).Authenticate(context.Background())
				if c.kind == KindUnknown {
					if err != nil {
						t.Fatalf("want a token, got: %v", err)
					}
					if tok.AccessToken == "" {
						t.Error("the token is empty")
					}
					if got := counted.Hosts(); !slices.Contains(got, strings.TrimPrefix(base, "https://")) {
						t.Errorf("the proxy tunnelled to %v, want %s", got, strings.TrimPrefix(base, "https://"))
					}
				} else {
					e := mustError(t, err)
					if e.Kind != c.kind || e.Attempts != c.attempts {
						t.Errorf("kind %v after %d attempts, want %v after %d: %v", e.Kind, e.Attempts, c.kind, c.attempts, err)
					}
					containsAll(t, err.Error(), c.contains...)
					lacksSecrets(t, err.Error(), append(slices.Clone(demoSecrets), proxyPassword, proxyUser+":")...)
					if n := mock.Count(p.mock, mockapi.OpAuthenticate); n != 0 {
						t.Errorf("the mock got %d token requests, want none", n)
					}
				}
				if got := counted.Tunnels(); got != c.tunnels {
					t.Errorf("the forward proxy opened %d tunnels, want %d", got, c.tunnels)
				}
			})
		}
	}
}

// TestNewTransport_readsTheEnvironmentWhenBuilt checks that each transport
// takes the proxy variables, upper or lower case, as they are when it is
// built: http.ProxyFromEnvironment would keep the first value of the process.
func TestNewTransport_readsTheEnvironmentWhenBuilt(t *testing.T) {
	mock := mocktest.New(t, mockapi.DefaultConfig())
	n := nettest.BehindProxy(t, mock)
	second := nettest.StartForwardProxy(t, n.Upstream.Listener.Addr().String(), nil)
	build := func() *http.Transport {
		tr, err := NewTransport(TransportOptions{CACerts: [][]byte{n.CA.PEM}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(tr.CloseIdleConnections)
		return tr
	}
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"} {
		t.Setenv(v, "")
	}
	t.Setenv("HTTPS_PROXY", n.Proxy.URL)
	first := build()
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("https_proxy", second.URL)
	later := build()
	for _, step := range []struct {
		name string
		tr   *http.Transport
		via  *nettest.ForwardProxy
	}{
		{"built with HTTPS_PROXY", first, n.Proxy},
		{"built with https_proxy", later, second},
	} {
		before := step.via.Tunnels()
		resp, err := (&http.Client{Transport: step.tr}).Get(n.Rebase(mock.BaseURL(Smartling)) + "/whoami")
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		_ = resp.Body.Close()
		if got := step.via.Tunnels() - before; got != 1 {
			t.Errorf("%s: %d tunnels through its proxy, want 1", step.name, got)
		}
	}
}

func TestReadCACertFile(t *testing.T) {
	t.Parallel()
	ca := nettest.NewCA(t, "file CA")
	dir := t.TempDir()
	write := func(name, text string) string { return nettest.WriteFile(t, dir, name, text) }
	keyOnly, broken := nettest.KeyOnlyPEM, nettest.BrokenCertPEM
	cases := []struct {
		name string
		path string
		want string // "" for success
	}{
		{"a CA certificate", write("ca.pem", string(ca.PEM)), ""},
		{"a bundle with another block first", write("bundle.pem", keyOnly+string(ca.PEM)), ""},
		{"missing file", filepath.Join(dir, "nope.pem"), filepath.Join(dir, "nope.pem") + " does not exist"},
		{"a directory", dir, dir + " cannot be read: is a directory"},
		{"empty file", write("empty.pem", ""), "empty.pem holds no PEM certificate"},
		{"text without PEM", write("text.pem", "not a certificate\n"), "text.pem holds no PEM certificate"},
		{"PEM without a certificate", write("key.pem", keyOnly), "key.pem holds no PEM certificate"},
		{"a certificate block that does not parse", write("broken.pem", broken), "broken.pem holds a PEM certificate (block 1) that does not parse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			text, err := ReadCACertFile(c.path)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("want the file's text, got: %v", err)
			case c.want == "" && len(text) == 0:
				t.Fatal("no text")
			case c.want != "" && err == nil:
				t.Fatalf("want an error with %q, got none", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Fatalf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestNewTransport_refusesAnInvalidProxyVariable(t *testing.T) {
	t.Parallel()
	pasted := "http://" + proxyUser + ":" + proxyPassword + "@proxy.corp.test:3128\n" // with its line break
	for _, c := range []struct {
		name string
		cfg  httpproxy.Config
		want string
	}{
		{"HTTPS_PROXY", httpproxy.Config{HTTPSProxy: pasted}, "HTTPS_PROXY (or https_proxy) is not a valid URL"},
		{"HTTP_PROXY", httpproxy.Config{HTTPProxy: pasted}, "HTTP_PROXY (or http_proxy) is not a valid URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewTransport(TransportOptions{Proxy: &c.cfg})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			lacksSecrets(t, err.Error(), proxyPassword)
		})
	}
}

func TestNewTransport_refusesPEMWithoutCertificate(t *testing.T) {
	t.Parallel()
	ca := nettest.NewCA(t, "good CA")
	_, err := NewTransport(TransportOptions{CACerts: [][]byte{ca.PEM, []byte("no certificate here")}})
	if err == nil || !strings.Contains(err.Error(), "holds no PEM certificate") {
		t.Fatalf("error %v, want one saying the text holds no PEM certificate", err)
	}
}

// TestReadCACertFile_unreadable runs as a user that file permissions bind.
func TestReadCACertFile_unreadable(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	path := nettest.WriteFile(t, t.TempDir(), "secret.pem", string(nettest.NewCA(t, "x").PEM))
	if err := os.Chmod(path, 0o000); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCACertFile(path); err == nil || !strings.Contains(err.Error(), path+" cannot be read: permission denied") {
		t.Fatalf("error %v, want %q", err, path+" cannot be read: permission denied")
	}
}

func TestUserAgent(t *testing.T) {
	cases := []struct {
		name, terraform, appended, want string
	}{
		{"provider and Terraform", "1.11.4", "", "terraform-provider-translationauth/1.2.3 Terraform/1.11.4"},
		{"no Terraform version", "", "", "terraform-provider-translationauth/1.2.3"},
		{"TF_APPEND_USER_AGENT trimmed", "1.11.4", "  ci-pipeline/7 (run 42)\n", "terraform-provider-translationauth/1.2.3 Terraform/1.11.4 ci-pipeline/7 (run 42)"},
		{"TF_APPEND_USER_AGENT blank", "1.11.4", " \t", "terraform-provider-translationauth/1.2.3 Terraform/1.11.4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(AppendUserAgentEnv, c.appended)
			if got := UserAgent("terraform-provider-translationauth", "1.2.3", c.terraform); got != c.want {
				t.Errorf("UserAgent = %q, want %q", got, c.want)
			}
		})
	}
}
