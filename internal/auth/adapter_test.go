package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

func TestCacheKey_sameCredentialsSameKey(t *testing.T) {
	t.Parallel()
	c1, c2 := testClient(ClientOptions{}), testClient(ClientOptions{MaxRetries: 3})
	s := SmartlingCredentials{BaseURL: "https://api.smartling.com/", UserIdentifier: "u", UserSecret: "s3cret-value"}
	s2 := s
	s2.BaseURL = "https://api.smartling.com" // the same root without the trailing slash
	if NewSmartling(c1, s).Key() != NewSmartling(c2, s2).Key() {
		t.Error("equal Smartling credentials give different keys")
	}
	o := OAuthCredentials{ClientID: "c", ClientSecret: "client-s3cret", Username: "u", Password: "passw0rd", Scope: "dashboard"}
	if NewEasyTranslate(c1, "https://x.example", o).Key() != NewEasyTranslate(c2, "https://x.example/", o).Key() {
		t.Error("equal EasyTranslate credentials give different keys")
	}
}

func TestCacheKey_distinctCredentialsDistinctKeys(t *testing.T) {
	t.Parallel()
	c := testClient(ClientOptions{})
	base := OAuthCredentials{ClientID: "client", ClientSecret: "client-s3cret", Username: "user@example.com", Password: "passw0rd", Scope: "dashboard"}
	with := func(edit func(*OAuthCredentials)) OAuthCredentials {
		o := base
		edit(&o)
		return o
	}
	keys := map[string]string{}
	add := func(name, key string) {
		t.Helper()
		if other, dup := keys[key]; dup {
			t.Errorf("%s and %s share a cache key", name, other)
		}
		keys[key] = name
	}
	add("base", NewEasyTranslate(c, "https://et.example", base).Key())
	add("other client secret", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.ClientSecret = "client-s3cret2" })).Key())
	add("other password", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.Password = "passw0rd2" })).Key())
	add("other client id", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.ClientID = "client2" })).Key())
	add("other user", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.Username = "other@example.com" })).Key())
	add("other scope", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.Scope = "dashboard api" })).Key())
	add("other base URL", NewEasyTranslate(c, "https://et2.example", base).Key())
	add("other platform", NewSmartConnect(c, "https://et.example/oauth", with(func(o *OAuthCredentials) { o.Scope = "dashboard" })).Key())
	// Secrets moved from one field to the other are another credential set.
	add("secrets swapped", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) {
		o.ClientSecret, o.Password = o.Password, o.ClientSecret
	})).Key())
	add("boundary moved between secrets", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) {
		o.ClientSecret, o.Password = "client-s3cretp", "assw0rd"
	})).Key())
	add("NUL moved between secrets (a)", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) {
		o.ClientSecret, o.Password = "x\x00y", "z"
	})).Key())
	add("NUL moved between secrets (b)", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) {
		o.ClientSecret, o.Password = "x", "y\x00z"
	})).Key())
	// Identity parts that contain the key's separator, or its escape.
	add("separator in client id", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.ClientID = "a|b" })).Key())
	add("escaped separator in client id", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.ClientID = "a%7Cb" })).Key())
	add("separator moved (a)", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.ClientID, o.Username = "a|", "b" })).Key())
	add("separator moved (b)", NewEasyTranslate(c, "https://et.example", with(func(o *OAuthCredentials) { o.ClientID, o.Username = "a", "|b" })).Key())

	add("Smartling", NewSmartling(c, SmartlingCredentials{BaseURL: "https://sl.example", UserIdentifier: "u", UserSecret: "s3cret-one"}).Key())
	add("Smartling other secret", NewSmartling(c, SmartlingCredentials{BaseURL: "https://sl.example", UserIdentifier: "u", UserSecret: "s3cret-two"}).Key())
	add("Smartling other user", NewSmartling(c, SmartlingCredentials{BaseURL: "https://sl.example", UserIdentifier: "v", UserSecret: "s3cret-one"}).Key())
}

func TestCacheKey_neverHoldsASecret(t *testing.T) {
	t.Parallel()
	c := testClient(ClientOptions{})
	secrets := []string{"client-s3cret", "passw0rd!", "Zq8vK2-user-secret", "pässwörd with spaces", "a|b%7C-secret"}
	for _, s := range secrets {
		keys := []string{
			NewSmartling(c, SmartlingCredentials{BaseURL: "https://sl.example", UserIdentifier: "u", UserSecret: s}).Key(),
			NewEasyTranslate(c, "https://et.example", OAuthCredentials{ClientID: "c", ClientSecret: s, Username: "u", Password: "other-pw"}).Key(),
			NewSmartConnect(c, "https://sc.example", OAuthCredentials{ClientID: "c", ClientSecret: "other-cs", Username: "u", Password: s}).Key(),
		}
		for _, k := range keys {
			if strings.Contains(k, s) {
				t.Errorf("key %q holds the secret %q", k, s)
			}
		}
	}
}

// lenientSmartling answers every authentication with a new numbered token,
// whatever the credentials, and counts the calls.
func lenientSmartling(t *testing.T) (*recordingServer, *atomic.Int32) {
	var n atomic.Int32
	srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"response":{"code":"SUCCESS","data":{"accessToken":"token-%d","expiresIn":480}}}`, n.Add(1))
	})
	return srv, &n
}

func TestCache_distinctCredentialsNeverShareAToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("two secrets, one lenient API", func(t *testing.T) {
		t.Parallel()
		srv, calls := lenientSmartling(t)
		cache := NewCache(nil, nil)
		c := testClient(ClientOptions{})
		a := NewSmartling(c, SmartlingCredentials{BaseURL: srv.URL, UserIdentifier: "same-user", UserSecret: "secret-A"})
		b := NewSmartling(c, SmartlingCredentials{BaseURL: srv.URL, UserIdentifier: "same-user", UserSecret: "secret-B"})
		ra, err := cache.Token(ctx, a, ScopeState, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := cache.Token(ctx, b, ScopeState, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ra.Token.AccessToken == rb.Token.AccessToken {
			t.Fatalf("two secrets got the same token %q", ra.Token.AccessToken)
		}
		if rb.Source != Authenticated || calls.Load() != 2 {
			t.Errorf("the second secret was served from %v after %d calls, want its own authentication", rb.Source, calls.Load())
		}
		// Each credential set keeps its own token.
		for _, x := range []struct {
			a    Adapter
			want string
		}{{a, ra.Token.AccessToken}, {b, rb.Token.AccessToken}, {a, ra.Token.AccessToken}} {
			r, err := cache.Token(ctx, x.a, ScopeState, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if r.Token.AccessToken != x.want || r.Source != FromCache {
				t.Errorf("got %q from %v, want %q from the cache", r.Token.AccessToken, r.Source, x.want)
			}
		}
		if calls.Load() != 2 {
			t.Errorf("%d calls, want 2", calls.Load())
		}
	})

	t.Run("a wrong secret after a right one is rejected", func(t *testing.T) {
		t.Parallel()
		m := mocktest.New(t, mockapi.DefaultConfig())
		cache := NewCache(nil, nil)
		c := testClient(ClientOptions{})
		for _, p := range platformCases {
			right := p.adapter(c, m.BaseURL(p.mock))
			wrong := wrongCredentials(p, c, m.BaseURL(p.mock))
			if _, err := cache.Token(ctx, right, ScopeState, time.Minute); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			r, err := cache.Token(ctx, wrong, ScopeState, time.Minute)
			if err == nil {
				t.Errorf("%s: a wrong secret got the token of the right one (from %v)", p.name, r.Source)
				continue
			}
			if e := mustError(t, err); e.Kind != KindRejected {
				t.Errorf("%s: %v", p.name, err)
			}
		}
		// EasyTranslate: a wrong client secret with the right password too.
		right := platformCases[1].adapter(c, m.BaseURL(EasyTranslate))
		wrongClient := NewEasyTranslate(c, m.BaseURL(EasyTranslate), OAuthCredentials{
			ClientID: mockapi.DemoEasyTranslateClientID, ClientSecret: "wrong-client-secret",
			Username: mockapi.DemoEasyTranslateUsername, Password: mockapi.DemoEasyTranslatePassword, Scope: DefaultEasyTranslateScope})
		if _, err := cache.Token(ctx, right, ScopeState, time.Minute); err != nil {
			t.Fatal(err)
		}
		_, err := cache.Token(ctx, wrongClient, ScopeState, time.Minute)
		if e := mustError(t, err); e.Code != "invalid_client" {
			t.Errorf("wrong client secret: %v", err)
		}
	})
}

func TestCache_wrongCredentialsAreSentOnce(t *testing.T) {
	t.Parallel()
	forEachPlatform(t, func(t *testing.T, p platformCase, m *mockapi.Server) {
		cache := NewCache(nil, nil)
		c := testClient(ClientOptions{MaxRetries: 4})
		var first Error
		for i := range 200 {
			// A new adapter each time, as each read builds one.
			scope := []Scope{ScopeState, ScopeEphemeral}[i%2]
			_, err := cache.Token(context.Background(), wrongCredentials(p, c, m.BaseURL(p.mock)), scope, time.Minute)
			e := mustError(t, err)
			if e.Kind != KindRejected {
				t.Fatalf("read %d: %v", i, err)
			}
			if i == 0 {
				first = *e
				continue
			}
			// The same error, marked as not sent.
			want := first
			want.Repeated = true
			if *e != want {
				t.Fatalf("read %d: got  %+v\nwant %+v", i, *e, want)
			}
			containsAll(t, err.Error(), "not sent again: this credential set was rejected earlier in this run")
		}
		if n := len(m.Calls(p.mock)); n != 1 {
			t.Errorf("%d requests for 200 reads with a wrong secret, want 1", n)
		}
		// The right credentials are another credential set.
		if _, err := cache.Token(context.Background(), p.adapter(c, m.BaseURL(p.mock)), ScopeState, time.Minute); err != nil {
			t.Errorf("the right credentials after the wrong ones: %v", err)
		}
	})
}

// successBody is p's success answer with the given access token and token
// type (omitted when empty).
func successBody(p platformCase, accessToken, tokenType string) string {
	tok, _ := json.Marshal(accessToken)
	if p.name == "Smartling" {
		typ := ""
		if tokenType != "" {
			typ = fmt.Sprintf(`,"tokenType":%q`, tokenType)
		}
		return fmt.Sprintf(`{"response":{"code":"SUCCESS","data":{"accessToken":%s,"refreshToken":"RT","expiresIn":480%s}}}`, tok, typ)
	}
	typ := ""
	if tokenType != "" {
		typ = fmt.Sprintf(`,"token_type":%q`, tokenType)
	}
	return fmt.Sprintf(`{"access_token":%s,"refresh_token":"RT","expires_in":1799%s}`, tok, typ)
}

func TestAdapters_refuseTokensAHeaderCannotCarry(t *testing.T) {
	t.Parallel()
	const detail = "the access token contains characters an HTTP header cannot carry"
	cases := []struct{ name, token string }{
		{"newline", "eyJhbGci.pay\nload.sig"},
		{"carriage return", "eyJhbGci.payload.sig\r"},
		{"CRLF header injection", "AT\r\nX-Injected: 1"},
		{"NUL", "eyJ\x00abc"},
		{"tab", "eyJ\tabc"},
		{"other control character", "eyJ\x1babc"},
		{"DEL", "eyJ\x7fabc"},
		{"space", "eyJ abc"},
		{"non-ASCII", "eyJ\u00e9abc"},
		{"Unicode line separator", "eyJ\u2028abc"},
	}
	for _, tc := range cases {
		for _, p := range platformCases {
			for _, op := range []string{OpAuthenticate, OpRefresh} {
				t.Run(p.name+" "+op+" token with "+tc.name, func(t *testing.T) {
					t.Parallel()
					srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
						w.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(w, successBody(p, tc.token, "Bearer"))
					})
					a := p.adapter(testClient(ClientOptions{}), srv.URL)
					tok, err := request(a, op)
					if tok != nil {
						t.Fatalf("got the token %q, want it refused", tok.AccessToken)
					}
					e := mustError(t, err)
					if e.Kind != KindBadResponse || e.Status != 200 || e.Detail != detail {
						t.Errorf("kind %v status %d detail %q; want unexpected response, 200, %q", e.Kind, e.Status, e.Detail, detail)
					}
					lacksSecrets(t, err.Error(), tc.token)
				})
			}
		}
	}
}

func TestAdapters_refuseTokenTypesOtherThanBearer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, tokenType string
		refused         bool
	}{
		{"Bearer", "Bearer", false},
		{"bearer in lower case", "bearer", false},
		{"BEARER in upper case", "BEARER", false},
		{"no token type", "", false},
		{"mac", "mac", true},
		{"Basic", "Basic", true},
		{"DPoP", "DPoP", true},
	}
	for _, tc := range cases {
		for _, p := range platformCases {
			t.Run(p.name+" token type "+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, successBody(p, "eyJ.valid-token.sig", tc.tokenType))
				})
				tok, err := p.adapter(testClient(ClientOptions{}), srv.URL).Authenticate(context.Background())
				if !tc.refused {
					if err != nil || tok.AccessToken != "eyJ.valid-token.sig" {
						t.Fatalf("token type %q: got %v, %v; want the token", tc.tokenType, tok, err)
					}
					return
				}
				if tok != nil {
					t.Fatalf("token type %q: got a token, want it refused", tc.tokenType)
				}
				e := mustError(t, err)
				field := map[bool]string{true: "tokenType", false: "token_type"}[p.name == "Smartling"]
				want := fmt.Sprintf("%s %q is not Bearer; this provider handles bearer tokens only", field, tc.tokenType)
				if e.Kind != KindBadResponse || e.Status != 200 || e.Detail != want {
					t.Errorf("kind %v status %d detail %q; want unexpected response, 200, %q", e.Kind, e.Status, e.Detail, want)
				}
				lacksSecrets(t, err.Error(), "eyJ.valid-token.sig")
			})
		}
	}
}

// A success answer without a token names a request id only when the API
// sent one: the provider's hint to quote it must not appear otherwise.
func TestAdapters_noTokenAndNoRequestID(t *testing.T) {
	t.Parallel()
	noToken := map[string]string{
		"Smartling":     `{"response":{"code":"SUCCESS","data":{}}}`,
		"EasyTranslate": `{}`,
		"SmartConnect":  `{}`,
	}
	for _, earlierID := range []bool{false, true} {
		for _, p := range platformCases {
			name := p.name + " 200 without token or request id"
			if earlierID {
				name += " after a 503 with one"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var n atomic.Int32
				srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
					w.Header().Set("Content-Type", "application/json")
					if earlierID && n.Add(1) == 1 {
						w.Header().Set("X-Request-Id", "rid-of-the-503")
						w.Header().Set("X-SL-RequestId", "rid-of-the-503")
						w.WriteHeader(http.StatusServiceUnavailable)
						return
					}
					_, _ = io.WriteString(w, noToken[p.name])
				})
				_, err := p.adapter(testClient(ClientOptions{MaxRetries: 1}), srv.URL).Authenticate(context.Background())
				e := mustError(t, err)
				if e.Kind != KindNoToken || e.Status != 200 {
					t.Errorf("kind %v status %d, want no token, 200: %v", e.Kind, e.Status, err)
				}
				if e.RequestID != "" || strings.Contains(err.Error(), "request id") {
					t.Errorf("request id %q in %q; the answer sent none", e.RequestID, err)
				}
			})
		}
	}
}
