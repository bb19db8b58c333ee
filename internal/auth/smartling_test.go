package auth

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

// recordedRequest is what a recordingServer received.
type recordedRequest struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// recordingServer records every request exactly as it arrived and answers
// with reply.
type recordingServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recordedRequest
}

func newRecordingServer(t *testing.T, reply func(w http.ResponseWriter, r recordedRequest)) *recordingServer {
	t.Helper()
	s := &recordingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := recordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
		s.mu.Lock()
		s.requests = append(s.requests, rec)
		s.mu.Unlock()
		reply(w, rec)
	}))
	t.Cleanup(s.Close)
	return s
}

// checkShape checks what every token request shares: POST to path with no
// query, the content type, Accept: application/json, no Authorization header
// (the credentials go in the body) and the user agent.
func (r recordedRequest) checkShape(t *testing.T, i int, path, contentType string) {
	t.Helper()
	if r.Method != http.MethodPost || r.Path != path || r.Query != "" {
		t.Errorf("request %d: %s %s?%s, want POST %s", i, r.Method, r.Path, r.Query, path)
	}
	if ct := r.Header.Get("Content-Type"); ct != contentType {
		t.Errorf("request %d: Content-Type %q", i, ct)
	}
	if a := r.Header.Get("Accept"); a != "application/json" {
		t.Errorf("request %d: Accept %q", i, a)
	}
	if v, ok := r.Header["Authorization"]; ok {
		t.Errorf("request %d: Authorization header sent (credentials belong in the body): %q", i, v)
	}
	if ua := r.Header.Get("User-Agent"); ua != testUserAgent {
		t.Errorf("request %d: User-Agent %q", i, ua)
	}
}

func (s *recordingServer) Requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedRequest(nil), s.requests...)
}

// mustAuthenticateThenRefresh authenticates with a, then refreshes with
// refreshToken, and returns the token of the authentication; either call
// failing ends the test.
func mustAuthenticateThenRefresh(t *testing.T, a Adapter, refreshToken string) *Token {
	t.Helper()
	tok, err := a.Authenticate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refresh(context.Background(), refreshToken); err != nil {
		t.Fatal(err)
	}
	return tok
}

const smartlingSuccess = `{"response":{"code":"SUCCESS","data":{"accessToken":"AT-1","refreshToken":"RT-1",` +
	`"expiresIn":480,"refreshExpiresIn":3660,"tokenType":"Bearer","sessionState":"s-1"}}}`

func TestSmartling_requestsAsDocumented(t *testing.T) {
	t.Parallel()
	srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-SL-RequestId", "rid-42")
		_, _ = io.WriteString(w, smartlingSuccess)
	})
	// A base URL with a path prefix and a trailing slash keeps the prefix.
	a := NewSmartling(testClient(ClientOptions{}), SmartlingCredentials{BaseURL: srv.URL + "/proxy/",
		UserIdentifier: "user-id", UserSecret: "user-secret"})
	tok := mustAuthenticateThenRefresh(t, a, "RT-1")
	want := Token{AccessToken: "AT-1", RefreshToken: "RT-1", ExpiresIn: 480 * time.Second,
		RefreshExpiresIn: 3660 * time.Second, RequestID: "rid-42"}
	if *tok != want {
		t.Errorf("token %+v, want %+v", *tok, want)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, w := range []struct {
		path string
		body map[string]any
	}{
		{"/proxy/auth-api/v2/authenticate", map[string]any{"userIdentifier": "user-id", "userSecret": "user-secret"}},
		{"/proxy/auth-api/v2/authenticate/refresh", map[string]any{"refreshToken": "RT-1"}},
	} {
		r := reqs[i]
		r.checkShape(t, i, w.path, "application/json")
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("request %d: body %q is not JSON: %v", i, r.Body, err)
		}
		if !reflect.DeepEqual(body, w.body) {
			t.Errorf("request %d: body %v, want exactly %v", i, body, w.body)
		}
	}
}

func TestSmartling_specialCharactersArriveIntact(t *testing.T) {
	t.Parallel()
	users := map[string]string{
		`api "user" é/1`:   `s3cr"et\with/slashes<&>` + "\u2028\t\x7f",
		"plain":            `{"userSecret":"injected"}`,
		"unicode-ユーザー":     "пароль 🔑 %41 + & = ?#",
		"trailing space  ": " leading and trailing ",
	}
	m := mocktest.New(t, mockapi.Config{Smartling: mockapi.SmartlingConfig{Users: users}})
	for user, secret := range users {
		a := NewSmartling(testClient(ClientOptions{}), SmartlingCredentials{BaseURL: m.BaseURL(Smartling),
			UserIdentifier: user, UserSecret: secret})
		if _, err := a.Authenticate(context.Background()); err != nil {
			t.Errorf("%q: %v", user, err)
		}
	}
	for _, c := range m.Calls(Smartling) {
		if got := c.Form.Get("userSecret"); got != users[c.Form.Get("userIdentifier")] {
			t.Errorf("secret of %q arrived as %q", c.Form.Get("userIdentifier"), got)
		}
	}
}

func TestSmartling_refreshAgainstMock(t *testing.T) {
	t.Parallel()
	m := mocktest.New(t, mockapi.DefaultConfig())
	a := platformCases[0].adapter(testClient(ClientOptions{}), m.BaseURL(Smartling))
	first, err := a.Authenticate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken || second.ExpiresIn != 480*time.Second {
		t.Errorf("refresh did not return a new pair valid for 480s")
	}
	// The mock rotates refresh tokens: the first one is spent.
	_, err = a.Refresh(context.Background(), first.RefreshToken)
	e := mustError(t, err)
	if e.Status != 401 || e.Operation != OpRefresh || e.Code != "AUTHENTICATION_ERROR" {
		t.Errorf("reusing a spent refresh token: %v", err)
	}
	lacksSecrets(t, err.Error(), first.RefreshToken, second.RefreshToken, first.AccessToken, mockapi.DemoSmartlingUserSecret)
}

func TestDecodeSmartling(t *testing.T) {
	t.Parallel()
	jsonHeader := http.Header{"Content-Type": {"application/json;charset=UTF-8"}, "X-Sl-Requestid": {"rid-7"}}
	cases := []struct {
		name     string
		status   int
		header   http.Header
		body     string
		readErr  error
		token    *Token
		kind     ErrorKind
		contains []string
	}{
		{name: "success", status: 200, header: jsonHeader, body: smartlingSuccess,
			token: &Token{AccessToken: "AT-1", RefreshToken: "RT-1", ExpiresIn: 480 * time.Second, RefreshExpiresIn: 3660 * time.Second, RequestID: "rid-7"}},
		{name: "success with decimals and without a content type", status: 200, header: http.Header{},
			body:  ` {"response":{"code":"SUCCESS","data":{"accessToken":"AT","expiresIn":1.5,"refreshExpiresIn":-3}}}`,
			token: &Token{AccessToken: "AT", ExpiresIn: 1500 * time.Millisecond}},
		{name: "success without expiresIn: the documented 480 s assumed", status: 200, header: jsonHeader,
			body:  `{"response":{"code":"SUCCESS","data":{"accessToken":"AT"}}}`,
			token: &Token{AccessToken: "AT", AssumedLifetime: 480 * time.Second, RequestID: "rid-7"}},
		{name: "success with expiresIn 0 near the session cap: not reusable", status: 200, header: jsonHeader,
			body:  `{"response":{"code":"SUCCESS","data":{"accessToken":"AT","expiresIn":0,"refreshExpiresIn":0}}}`,
			token: &Token{AccessToken: "AT", RequestID: "rid-7"}},
		{name: "401 authentication error", status: 401, header: jsonHeader,
			body: `{"response":{"code":"AUTHENTICATION_ERROR","errors":[{"key":"invalid_credentials","message":"Invalid user identifier or user secret","details":{}}]}}`,
			kind: KindRejected, contains: []string{"HTTP 401 AUTHENTICATION_ERROR (invalid_credentials): Invalid user identifier or user secret", "[request id rid-7]"}},
		{name: "401 with a null key", status: 401, header: jsonHeader,
			body: `{"response":{"code":"VALIDATION_ERROR","errors":[{"key":null,"message":"Bad credentials"}]}}`,
			kind: KindRejected, contains: []string{"HTTP 401 VALIDATION_ERROR: Bad credentials"}},
		{name: "429", status: 429, header: jsonHeader,
			body: `{"response":{"code":"MAX_OPERATIONS_LIMIT_EXCEEDED","errors":[{"key":"too.many.requests","message":"Too many simultaneous API requests"}]}}`,
			kind: KindRateLimited, contains: []string{"HTTP 429 MAX_OPERATIONS_LIMIT_EXCEEDED (too.many.requests)"}},
		{name: "200 that is not SUCCESS", status: 200, header: jsonHeader,
			body: `{"response":{"code":"VALIDATION_ERROR","errors":[{"key":"k","message":"m"}]}}`,
			kind: KindRejected, contains: []string{"HTTP 200 VALIDATION_ERROR (k): m", "did not report SUCCESS"}},
		{name: "success without data", status: 200, header: jsonHeader, body: `{"response":{"code":"SUCCESS","data":null}}`,
			kind: KindNoToken, contains: []string{"HTTP 200 SUCCESS", "no access token"}},
		{name: "success with an empty token", status: 200, header: jsonHeader, body: `{"response":{"code":"SUCCESS","data":{"accessToken":""}}}`,
			kind: KindNoToken},
		{name: "HTML 502", status: 502, header: http.Header{"Content-Type": {"text/html"}}, body: mockapi.HTMLBody,
			kind: KindServer, contains: []string{"HTTP 502", "not JSON (text/html)"}},
		{name: "HTML 200", status: 200, header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, body: mockapi.HTMLBody,
			kind: KindBadResponse, contains: []string{"HTTP 200", "not JSON"}},
		{name: "empty body", status: 200, header: http.Header{}, kind: KindBadResponse, contains: []string{"not JSON (no Content-Type)"}},
		{name: "malformed content type", status: 500, header: http.Header{"Content-Type": {"application/json; =;"}}, body: "{}",
			kind: KindServer, contains: []string{"HTTP 500", "not JSON"}},
		{name: "problem+json without envelope", status: 400, header: http.Header{"Content-Type": {"application/problem+json"}},
			body: `{"title":"Bad Request"}`, kind: KindRejected, contains: []string{"HTTP 400", `no "response" envelope`}},
		{name: "truncated", status: 200, header: jsonHeader, body: smartlingSuccess[:40], readErr: io.ErrUnexpectedEOF,
			kind: KindBadResponse, contains: []string{"cut off"}},
		{name: "malformed JSON", status: 200, header: jsonHeader, body: `{"response":`,
			kind: KindBadResponse, contains: []string{"not valid JSON"}},
		{name: "wrong types", status: 200, header: jsonHeader, body: `{"response":{"code":1}}`,
			kind: KindBadResponse, contains: []string{"not valid JSON"}},
		{name: "long message is shortened", status: 400, header: jsonHeader,
			body: `{"response":{"code":"VALIDATION_ERROR","errors":[{"key":"k","message":"` + strings.Repeat("x", 5000) + `"}]}}`,
			kind: KindRejected, contains: []string{"…"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, e := decodeSmartling(c.status, c.header, []byte(c.body), c.readErr, nil)
			if c.token != nil {
				if e != nil {
					t.Fatalf("unexpected error: %v", e)
				}
				if *tok != *c.token {
					t.Errorf("token %+v, want %+v", *tok, *c.token)
				}
				return
			}
			if tok != nil || e == nil {
				t.Fatalf("got a token, want an error")
			}
			if e.Kind != c.kind || e.Status != c.status {
				t.Errorf("kind %v status %d, want %v %d: %v", e.Kind, e.Status, c.kind, c.status, e)
			}
			containsAll(t, e.Error(), c.contains...)
			if len(e.Error()) > 1000 {
				t.Errorf("error text of %d bytes", len(e.Error()))
			}
		})
	}
}

func TestDecodeSmartling_neverReturnsTokenOnErrorStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{100, 199, 300, 304, 400, 401, 429, 500, 503, 599} {
		tok, e := decodeSmartling(status, http.Header{"Content-Type": {"application/json"}}, []byte(smartlingSuccess), nil, nil)
		if tok != nil || e == nil {
			t.Errorf("HTTP %d with a success body gave a token", status)
		}
		if e != nil && strings.Contains(e.Error(), "AT-1") {
			t.Errorf("HTTP %d: the error holds the token: %v", status, e)
		}
	}
	_, e := decodeSmartling(200, http.Header{}, nil, errors.New("boom"), nil)
	if e == nil || e.Kind != KindBadResponse {
		t.Errorf("read error: %v", e)
	}
}

// TestSmartling_javaFixtureRejectionRejectsTheCredentials: the answer to bad
// credentials that Smartling's Java SDK fixtures record (401 VALIDATION_ERROR
// with key and details null) is a rejection of the credential set, through
// the adapter and the cache: not sent again.
func TestSmartling_javaFixtureRejectionRejectsTheCredentials(t *testing.T) {
	t.Parallel()
	cfg := mockapi.DefaultConfig()
	cfg.Smartling.JavaFixtureRejection = true
	m := mocktest.New(t, cfg)
	cache := NewCache(nil, nil)
	c := testClient(ClientOptions{MaxRetries: 4})
	for i := range 2 {
		_, err := cache.Token(context.Background(), wrongCredentials(platformCases[0], c, m.BaseURL(Smartling)), ScopeState, time.Minute)
		e := mustError(t, err)
		if e.Kind != KindRejected || e.Status != 401 || e.Code != "VALIDATION_ERROR" || e.Key != "" || e.Repeated != (i > 0) {
			t.Fatalf("read %d: kind %v status %d code %q key %q repeated %v, want rejected 401 VALIDATION_ERROR, no key, repeated %v",
				i, e.Kind, e.Status, e.Code, e.Key, e.Repeated, i > 0)
		}
		if !credentialsRejected(err) && i == 0 {
			t.Errorf("read %d: the credential set is not taken as rejected: %v", i, err)
		}
	}
	if n := m.Count(Smartling, mockapi.OpAuthenticate); n != 1 {
		t.Errorf("%d authenticate requests for 2 reads with a wrong secret, want 1", n)
	}
}
