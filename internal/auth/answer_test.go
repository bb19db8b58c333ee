package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// trickleServer answers 200 with JSON headers at once, then the body one
// byte every interval, until the client goes away.
func trickleServer(t *testing.T, interval time.Duration) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		flush := http.NewResponseController(w).Flush
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_ = flush()
		for _, b := range []byte(`{"access_token":"never-complete","token_type":"bearer"}`) {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(interval):
			}
			if _, err := w.Write([]byte{b}); err != nil || flush() != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestClient_slowBodyIsATimeout(t *testing.T) {
	t.Parallel()
	for _, p := range platformCases {
		t.Run(p.name+" body trickles past request_timeout", func(t *testing.T) {
			t.Parallel()
			srv, hits := trickleServer(t, 200*time.Millisecond)
			c := testClient(ClientOptions{MaxRetries: 1, Timeout: 300 * time.Millisecond})
			start := time.Now()
			_, err := p.adapter(c, srv.URL).Authenticate(context.Background())
			el := time.Since(start)
			e := mustError(t, err)
			if e.Kind != KindTimeout || e.Attempts != 2 {
				t.Errorf("kind %v after %d attempts, want timeout after 2 (a slow body is retried like a timeout): %v", e.Kind, e.Attempts, err)
			}
			containsAll(t, err.Error(), "timeout", "after 2 attempts")
			if strings.Contains(err.Error(), "cut off") {
				t.Errorf("a slow body was reported as a broken connection: %v", err)
			}
			if n := hits.Load(); n != 2 {
				t.Errorf("the server got %d requests, want 2", n)
			}
			if el > 5*time.Second {
				t.Errorf("took %v; each attempt should end at the 300ms timeout", el)
			}
		})
	}
}

func TestAdapters_answerLargerThanTheCap(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", maxResponseBytes)
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		oauthOnly   bool
		kind        ErrorKind
	}{
		{"200 JSON over 1 MiB", 200, "application/json", `{"access_token":"AT","padding":"` + huge + `"}`, false, KindBadResponse},
		{"400 JSON over 1 MiB", 400, "application/json", `{"error":"invalid_grant","padding":"` + huge + `"}`, false, KindRejected},
		{"503 JSON over 1 MiB", 503, "application/json", `{"error":"server_error","padding":"` + huge + `"}`, false, KindServer},
		// Cut at the cap, a form-encoded answer still parses: the token
		// would be a truncated one.
		{"200 form with a token over 1 MiB", 200, "application/x-www-form-urlencoded", "token_type=bearer&access_token=" + huge, true, KindBadResponse},
	}
	for _, tc := range cases {
		for _, p := range platformCases {
			if tc.oauthOnly && p.name == "Smartling" {
				continue
			}
			t.Run(p.name+" "+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
					w.Header().Set("Content-Type", tc.contentType)
					w.WriteHeader(tc.status)
					_, _ = io.WriteString(w, tc.body)
				})
				_, err := p.adapter(testClient(ClientOptions{}), srv.URL).Authenticate(context.Background())
				e := mustError(t, err)
				if e.Kind != tc.kind || e.Status != tc.status {
					t.Errorf("kind %v status %d, want %v %d: %v", e.Kind, e.Status, tc.kind, tc.status, err)
				}
				containsAll(t, err.Error(), "the answer is larger than 1 MiB")
				for _, wrong := range []string{"not valid JSON", "not a valid token response", "cut off"} {
					if strings.Contains(err.Error(), wrong) {
						t.Errorf("the error says %q of an answer that was only too large: %v", wrong, err)
					}
				}
				if len(err.Error()) > 1000 {
					t.Errorf("error text of %d bytes", len(err.Error()))
				}
			})
		}
	}
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
