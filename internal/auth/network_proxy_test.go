package auth_test

// The shared transport as the provider uses it: the token client and a proxy's
// upstream requests both go through the transport auth.NewTransport builds.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/nettest"
)

// cacheTokens is a proxy's token source: the cache, ephemeral scope.
type cacheTokens struct {
	cache   *auth.Cache
	adapter auth.Adapter
}

func (c cacheTokens) Token(ctx context.Context) (string, error) {
	res, err := c.cache.Token(ctx, c.adapter, auth.ScopeEphemeral, time.Minute)
	if err != nil {
		return "", err
	}
	return res.Token.AccessToken, nil
}

func (c cacheTokens) Invalidate(token string) {
	c.cache.Invalidate(c.adapter, auth.ScopeEphemeral, token)
}

// startProxy starts a Smartling proxy to upstream whose token requests (to
// the mock's Smartling API at tokenBase) and upstream requests both go
// through tr; nil is the default transport of each.
func startProxy(t testing.TB, tr http.RoundTripper, tokenBase, upstream string) *proxy.Proxy {
	t.Helper()
	client := auth.NewClient(auth.ClientOptions{Transport: tr, MaxRetries: 0})
	adapter := auth.NewSmartling(client, auth.SmartlingCredentials{BaseURL: tokenBase,
		UserIdentifier: mockapi.DemoSmartlingUserIdentifier, UserSecret: mockapi.DemoSmartlingUserSecret})
	px, err := proxy.Start(proxy.Config{
		Upstream:  upstream,
		Tokens:    cacheTokens{cache: auth.NewCache(nil, nil), adapter: adapter},
		Transport: tr,
		Platform:  "Smartling",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = px.Close() })
	return px
}

// get calls a proxy's url/path from a client that no proxy variable reaches.
func get(t testing.TB, client *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestNetwork_proxiedCallThroughForwardProxy opens a proxy whose token
// request and upstream call both pass a CONNECT forward proxy to an upstream
// with a certificate from a private CA.
func TestNetwork_proxiedCallThroughForwardProxy(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		trustCA    bool
		wantStatus int
		wantBody   string
		whoami     int // calls that reached the mock's /whoami
	}{
		{"CA added", true, http.StatusOK, mockapi.DemoSmartlingUserIdentifier, 1},
		{"CA missing", false, http.StatusBadGateway, "unknown authority", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			mock := mocktest.New(t, mockapi.DefaultConfig())
			n := nettest.BehindProxy(t, mock)
			opts := auth.TransportOptions{Proxy: &httpproxy.Config{HTTPSProxy: n.Proxy.URL}}
			if c.trustCA {
				opts.CACerts = [][]byte{n.CA.PEM}
			}
			tr, err := auth.NewTransport(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(tr.CloseIdleConnections)
			base := n.Rebase(mock.BaseURL(auth.Smartling))
			px := startProxy(t, tr, base, base)
			status, body := get(t, http.DefaultClient, px.URL()+"/whoami")
			if status != c.wantStatus || !strings.Contains(body, c.wantBody) {
				t.Errorf("GET {url}/whoami: %d %s, want %d with %q", status, body, c.wantStatus, c.wantBody)
			}
			if got := mock.Count(auth.Smartling, mockapi.OpWhoami); got != c.whoami {
				t.Errorf("the mock's /whoami got %d calls, want %d", got, c.whoami)
			}
			if n.Proxy.Tunnels() < 1 {
				t.Error("the forward proxy opened no tunnel")
			}
		})
	}
}

// BenchmarkSharedTransport compares a proxied GET and a token request through
// the transport NewTransport builds (with an extra CA and the proxy variables
// read) against the default transports they replace (the proxy's own, the
// client's go-cleanhttp one), on loopback, where no forward proxy applies.
func BenchmarkSharedTransport(b *testing.B) {
	mock := mocktest.New(b, mockapi.DefaultConfig())
	base := mock.BaseURL(auth.Smartling)
	shared, err := auth.NewTransport(auth.TransportOptions{CACerts: [][]byte{nettest.NewCA(b, "bench CA").PEM}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(shared.CloseIdleConnections)
	transports := []struct {
		name string
		tr   http.RoundTripper // nil: the default of each
	}{{"default", nil}, {"shared", shared}}
	for _, tc := range transports {
		b.Run("proxied_GET/"+tc.name, func(b *testing.B) {
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, `{"ok":true}`)
			}))
			b.Cleanup(upstream.Close)
			px := startProxy(b, tc.tr, base, upstream.URL)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
			b.ReportAllocs()
			for b.Loop() {
				if status, _ := get(b, client, px.URL()+"/x"); status != http.StatusOK {
					b.Fatalf("status %d", status)
				}
			}
		})
		b.Run("token_request/"+tc.name, func(b *testing.B) {
			client := auth.NewClient(auth.ClientOptions{Transport: tc.tr})
			adapter := auth.NewSmartling(client, auth.SmartlingCredentials{BaseURL: base,
				UserIdentifier: mockapi.DemoSmartlingUserIdentifier, UserSecret: mockapi.DemoSmartlingUserSecret})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := adapter.Authenticate(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
