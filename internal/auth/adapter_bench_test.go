package auth

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// benchJWT is a token of the size Smartling issues (about 1 KB).
var benchJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9." + strings.Repeat("QmVuY2htYXJrUGF5bG9hZA", 42) + "." +
	strings.Repeat("c2lnbmF0dXJl", 28)

// Canned success answers of the three token APIs.
var (
	smartlingAuthBody = []byte(`{"response":{"code":"SUCCESS","data":{"accessToken":"` + benchJWT +
		`","refreshToken":"` + benchJWT + `","expiresIn":480,"refreshExpiresIn":3660,"tokenType":"Bearer",` +
		`"sessionState":"0b7c6f42-7d3e-4d8e-9b7a-2f1c3a5e6d10"}}}`)
	easyTranslateBody = []byte(`{"token_type":"Bearer","expires_in":31622400,"access_token":"` + benchJWT +
		`","refresh_token":"def50200` + strings.Repeat("a1b2c3d4", 80) + `"}`)
	smartConnectBody = []byte(`{"access_token":"` + benchJWT + `","token_type":"bearer","expires_in":1799,` +
		`"refresh_token":"` + strings.Repeat("f0e1d2c3", 4) + `",".issued":"Sat, 21 Nov 2026 12:00:00 GMT",` +
		`".expires":"Sat, 21 Nov 2026 12:29:59 GMT"}`)
)

// cannedTransport answers every request with the same body, in memory.
type cannedTransport struct {
	body   []byte
	header http.Header
	calls  atomic.Int64
}

func newCanned(body []byte) *cannedTransport {
	return &cannedTransport{body: body, header: http.Header{
		"Content-Type":   {"application/json;charset=UTF-8"},
		"X-Sl-Requestid": {"6f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"},
	}}
}

func (t *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.calls.Add(1)
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        t.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)),
		Request:       req,
	}, nil
}

func benchClient(rt http.RoundTripper) *Client {
	return NewClient(ClientOptions{UserAgent: "terraform-provider-translationauth/bench", Transport: rt})
}

// benchAuthenticate runs a's Authenticate b.N times and checks the first token.
func benchAuthenticate(b *testing.B, a Adapter) {
	ctx := context.Background()
	tok, err := a.Authenticate(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if tok.AccessToken != benchJWT || tok.ExpiresIn <= 0 {
		b.Fatalf("unexpected token: %d bytes, expires in %v", len(tok.AccessToken), tok.ExpiresIn)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.Authenticate(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSmartlingAuthenticate is one Smartling authenticate request and
// answer through the retrying client, without the network.
func BenchmarkSmartlingAuthenticate(b *testing.B) {
	a := NewSmartling(benchClient(newCanned(smartlingAuthBody)), SmartlingCredentials{
		UserIdentifier: "bench-user-1", UserSecret: "bench-secret-1",
	})
	benchAuthenticate(b, a)
}

// BenchmarkEasyTranslatePasswordGrant is one EasyTranslate password grant
// through golang.org/x/oauth2 and the retrying client, without the network.
func BenchmarkEasyTranslatePasswordGrant(b *testing.B) {
	a := NewEasyTranslate(benchClient(newCanned(easyTranslateBody)), "https://api.platform.easytranslate.com",
		OAuthCredentials{ClientID: "bench-client", ClientSecret: "bench-client-secret",
			Username: "bench@example.com", Password: "bench-password", Scope: "dashboard"})
	benchAuthenticate(b, a)
}

// BenchmarkSmartConnectPasswordGrant is one SmartConnect password grant,
// without the network.
func BenchmarkSmartConnectPasswordGrant(b *testing.B) {
	a := NewSmartConnect(benchClient(newCanned(smartConnectBody)), "https://apina.smartconnect.com",
		OAuthCredentials{ClientID: "bench-client", ClientSecret: "bench-client-secret",
			Username: "bench@example.com", Password: "bench-password"})
	benchAuthenticate(b, a)
}

// BenchmarkDecodeSmartling is the Smartling answer's decoding alone.
func BenchmarkDecodeSmartling(b *testing.B) {
	h := newCanned(nil).header
	b.SetBytes(int64(len(smartlingAuthBody)))
	b.ReportAllocs()
	for b.Loop() {
		tok, err := decodeSmartling(http.StatusOK, h, smartlingAuthBody, nil, nil)
		if err != nil || tok.AccessToken == "" {
			b.Fatalf("decode: %v", err)
		}
	}
}

// TestConstructionDoesNoNetworkWork: building the client and the adapters,
// which is all the provider's Configure does with them, sends no request.
func TestConstructionDoesNoNetworkWork(t *testing.T) {
	rt := newCanned(smartlingAuthBody)
	c := NewClient(ClientOptions{Transport: rt})
	NewSmartling(c, SmartlingCredentials{UserIdentifier: "u", UserSecret: "s"})
	NewEasyTranslate(c, "https://api.platform.easytranslate.com", OAuthCredentials{ClientID: "c", Username: "u"})
	NewSmartConnect(c, "https://apina.smartconnect.com", OAuthCredentials{ClientID: "c", Username: "u"})
	NewCache(nil, nil)
	if n := rt.calls.Load(); n != 0 {
		t.Fatalf("construction sent %d requests, want 0", n)
	}
}
