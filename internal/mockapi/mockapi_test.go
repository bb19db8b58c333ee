package mockapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

// ---- helpers ---------------------------------------------------------------

type result struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r result) str(path ...string) string {
	v, _ := r.get(path...).(string)
	return v
}

func (r result) num(path ...string) float64 {
	v, _ := r.get(path...).(float64)
	return v
}

func (r result) has(path ...string) bool {
	parent := r.get(path[:len(path)-1]...)
	m, ok := parent.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[path[len(path)-1]]
	return ok
}

// get walks objects by key and arrays by decimal index.
func (r result) get(path ...string) any {
	var cur any = r.body
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	r := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("body is not a JSON object: %v: %s", err, raw)
		}
	}
	return r
}

func newRequest(t *testing.T, method, u, contentType, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	return req
}

func postJSON(t *testing.T, u string, v any) result {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, newRequest(t, http.MethodPost, u, "application/json", string(b)))
}

func postForm(t *testing.T, u string, form url.Values) result {
	t.Helper()
	return send(t, newRequest(t, http.MethodPost, u, "application/x-www-form-urlencoded", form.Encode()))
}

func whoami(t *testing.T, s *mockapi.Server, p auth.Platform, token string) result {
	t.Helper()
	req := newRequest(t, http.MethodGet, s.BaseURL(p)+"/whoami", "", "")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

func wantStatus(t *testing.T, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
}

func smartlingAuthURL(s *mockapi.Server) string {
	return s.BaseURL(auth.Smartling) + "/auth-api/v2/authenticate"
}

func smartlingRefreshURL(s *mockapi.Server) string {
	return smartlingAuthURL(s) + "/refresh"
}

func smartlingLogin(t *testing.T, s *mockapi.Server) result {
	t.Helper()
	return caseOf(auth.Smartling).login(t, s)
}

// apiStyle is how a platform's token API talks.
type apiStyle int

const (
	smartlingJSON apiStyle = iota // JSON in, {"response":{…}} envelope out
	oauthForm                     // OAuth2 password grant: form in, JSON object out
)

// platformCase is what the tests know of one platform and its demo account in
// DefaultConfig. platformCases has one for each of mockapi.Platforms
// (TestEveryPlatformHasACase checks), so that tests looping over it, or over
// oauthCases, cover a new platform without edits.
type platformCase struct {
	p                  auth.Platform
	style              apiStyle
	path               string // token endpoint (Smartling: authenticate)
	username, password string // Smartling: userIdentifier, userSecret
	accessTTL          time.Duration
	requestIDHeader    string
	// A 401 from a protected endpoint has unauthorizedText at unauthorizedField.
	unauthorizedField []string
	unauthorizedText  string
	// The code in the platform's own error body for a status (a Fault without
	// a body): Smartling's response.code, the OAuth2 error.
	faultCodes map[int]string
	// A protected endpoint's answer holds its data at dataField: Smartling's
	// envelope, {"response":{"code":"SUCCESS","data":{…}}}; the OAuth2
	// platforms' answers are the data.
	dataField []string

	// OAuth only.
	clientID, clientSecret, scope string
	tokenType                     string
	accessMinLen, refreshMinLen   int  // token lengths in bytes
	laravel                       bool // Laravel Passport: "message" field, 401s
	clientErrStatus               int  // status of invalid_client
	badRefreshStatus              int
	badRefreshCode                string
	config                        func(*mockapi.Config) *mockapi.OAuthConfig
}

var platformCases = []platformCase{
	{
		p: auth.Smartling, style: smartlingJSON, path: "/auth-api/v2/authenticate",
		username: mockapi.DemoSmartlingUserIdentifier, password: mockapi.DemoSmartlingUserSecret,
		accessTTL: 480 * time.Second, requestIDHeader: "X-SL-RequestId",
		unauthorizedField: []string{"response", "code"}, unauthorizedText: "AUTHENTICATION_ERROR",
		faultCodes: map[int]string{
			429: "MAX_OPERATIONS_LIMIT_EXCEEDED", 500: "GENERAL_ERROR", 502: "GENERAL_ERROR", 503: "MAINTENANCE_MODE_ERROR",
			401: "AUTHENTICATION_ERROR", 403: "AUTHORIZATION_ERROR", 400: "VALIDATION_ERROR",
		},
		dataField: []string{"response", "data"},
	},
	{
		p: auth.EasyTranslate, style: oauthForm, path: "/oauth/token",
		clientID: mockapi.DemoEasyTranslateClientID, clientSecret: mockapi.DemoEasyTranslateClientSecret,
		username: mockapi.DemoEasyTranslateUsername, password: mockapi.DemoEasyTranslatePassword, scope: "dashboard",
		accessTTL: 31622400 * time.Second, requestIDHeader: "X-Request-Id",
		unauthorizedField: []string{"message"}, unauthorizedText: "Unauthenticated.",
		faultCodes: map[int]string{500: "server_error", 503: "server_error", 429: "server_error", 401: "invalid_client"},
		tokenType:  "Bearer", accessMinLen: 900, refreshMinLen: 500,
		laravel: true, clientErrStatus: 401, badRefreshStatus: 401, badRefreshCode: "invalid_request",
		config: func(c *mockapi.Config) *mockapi.OAuthConfig { return &c.EasyTranslate },
	},
	{
		p: auth.SmartConnect, style: oauthForm, path: "/token",
		clientID: mockapi.DemoSmartConnectClientID, clientSecret: mockapi.DemoSmartConnectClientSecret,
		username: mockapi.DemoSmartConnectUsername, password: mockapi.DemoSmartConnectPassword,
		accessTTL: 1799 * time.Second, requestIDHeader: "X-Request-Id",
		unauthorizedField: []string{"Message"}, unauthorizedText: "Authorization has been denied for this request.",
		faultCodes: map[int]string{500: "server_error", 400: "invalid_request"},
		tokenType:  "bearer", accessMinLen: 100, refreshMinLen: 32,
		clientErrStatus: 400, badRefreshStatus: 400, badRefreshCode: "invalid_grant",
		config: func(c *mockapi.Config) *mockapi.OAuthConfig { return &c.SmartConnect },
	},
}

// oauthCases are the platformCases of the OAuth2 platforms.
var oauthCases = func() []platformCase {
	var out []platformCase
	for _, c := range platformCases {
		if c.style == oauthForm {
			out = append(out, c)
		}
	}
	return out
}()

func caseOf(p auth.Platform) platformCase {
	for _, c := range platformCases {
		if c.p == p {
			return c
		}
	}
	panic("no platformCase for " + string(p))
}

// data is the field key of a protected endpoint's answer r, read below
// c.dataField.
func (c platformCase) data(r result, key string) any {
	return r.get(append(slices.Clone(c.dataField), key)...)
}

func (c platformCase) url(s *mockapi.Server) string { return s.BaseURL(c.p) + c.path }

func (c platformCase) passwordForm() url.Values {
	f := url.Values{
		"grant_type": {"password"}, "client_id": {c.clientID}, "client_secret": {c.clientSecret},
		"username": {c.username}, "password": {c.password},
	}
	if c.scope != "" {
		f.Set("scope", c.scope)
	}
	return f
}

func (c platformCase) refreshForm(token string) url.Values {
	return url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {token},
		"client_id": {c.clientID}, "client_secret": {c.clientSecret},
	}
}

// loginRequest is the demo account's authenticate request: URL, content type, body.
func (c platformCase) loginRequest(s *mockapi.Server) (string, string, string) {
	if c.style == smartlingJSON {
		return c.url(s), "application/json", mustJSON(map[string]string{"userIdentifier": c.username, "userSecret": c.password})
	}
	return c.url(s), "application/x-www-form-urlencoded", c.passwordForm().Encode()
}

// refreshRequest is the request that refreshes token: URL, content type, body.
func (c platformCase) refreshRequest(s *mockapi.Server, token string) (string, string, string) {
	if c.style == smartlingJSON {
		return c.url(s) + "/refresh", "application/json", mustJSON(map[string]string{"refreshToken": token})
	}
	return c.url(s), "application/x-www-form-urlencoded", c.refreshForm(token).Encode()
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (c platformCase) login(t *testing.T, s *mockapi.Server) result {
	t.Helper()
	u, contentType, body := c.loginRequest(s)
	r := send(t, newRequest(t, http.MethodPost, u, contentType, body))
	wantStatus(t, r, 200)
	return r
}

// checkError checks an OAuth2 error body in the platform's style.
func (c platformCase) checkError(t *testing.T, r result, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	if got := r.str("error"); got != code {
		t.Errorf("error = %q, want %q; body %s", got, code, r.raw)
	}
	if c.laravel != r.has("message") {
		t.Errorf("message field present = %v, want %v; body %s", r.has("message"), c.laravel, r.raw)
	}
	if c.laravel && r.str("error_description") == "" {
		t.Errorf("EasyTranslate error without error_description: %s", r.raw)
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id header")
	}
	if strings.Contains(string(r.raw), c.password) || strings.Contains(string(r.raw), c.clientSecret) {
		t.Errorf("error body echoes a secret: %s", r.raw)
	}
}

func TestEveryPlatformHasACase(t *testing.T) {
	var got []auth.Platform
	for _, c := range platformCases {
		got = append(got, c.p)
	}
	if !slices.Equal(got, mockapi.Platforms) {
		t.Errorf("platformCases are for %v, want one for each of %v, in that order", got, mockapi.Platforms)
	}
}

// clockedMock starts a mock on a fake clock with the default configuration,
// changed by configure.
func clockedMock(t *testing.T, configure ...func(*mockapi.Config)) (*mockapi.Server, *clocktest.Clock) {
	t.Helper()
	clock := clocktest.At(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	cfg := mockapi.DefaultConfig()
	cfg.Now = clock.Now
	for _, f := range configure {
		f(&cfg)
	}
	return mocktest.New(t, cfg), clock
}

func checkJWTShape(t *testing.T, name, tok string, minLen int) {
	t.Helper()
	if len(tok) < minLen {
		t.Errorf("%s is %d bytes, want at least %d", name, len(tok), minLen)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("%s has %d parts, want 3", name, len(parts))
	}
	for i, p := range parts {
		if _, err := base64.RawURLEncoding.DecodeString(p); err != nil {
			t.Errorf("%s part %d is not base64url: %v", name, i, err)
		}
	}
}

// ---- Smartling -------------------------------------------------------------

func TestSmartlingAuthenticateSuccess(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	r := smartlingLogin(t, s)
	if got := r.str("response", "code"); got != "SUCCESS" {
		t.Errorf("code = %q", got)
	}
	checkJWTShape(t, "accessToken", r.str("response", "data", "accessToken"), 900)
	checkJWTShape(t, "refreshToken", r.str("response", "data", "refreshToken"), 900)
	if got := r.num("response", "data", "expiresIn"); got != 480 {
		t.Errorf("expiresIn = %v, want 480", got)
	}
	if got := r.num("response", "data", "refreshExpiresIn"); got != 3660 {
		t.Errorf("refreshExpiresIn = %v, want 3660", got)
	}
	if got := r.str("response", "data", "tokenType"); got != "Bearer" {
		t.Errorf("tokenType = %q", got)
	}
	if r.str("response", "data", "sessionState") == "" {
		t.Error("no sessionState")
	}
	if r.header.Get("X-SL-RequestId") == "" {
		t.Error("no X-SL-RequestId")
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestSmartlingErrors(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	authURL, refresh := smartlingAuthURL(s), smartlingRefreshURL(s)
	tests := []struct {
		name         string
		method, url  string
		contentType  string
		body         string
		status       int
		code, errKey string
	}{
		{"wrong secret", "POST", authURL, "application/json", `{"userIdentifier":"demo-user-identifier","userSecret":"nope"}`, 401, "AUTHENTICATION_ERROR", "invalid_credentials"},
		{"unknown user", "POST", authURL, "application/json", `{"userIdentifier":"someone","userSecret":"demo-user-secret"}`, 401, "AUTHENTICATION_ERROR", "invalid_credentials"},
		{"missing secret", "POST", authURL, "application/json", `{"userIdentifier":"demo-user-identifier"}`, 400, "VALIDATION_ERROR", "required"},
		{"empty identifier", "POST", authURL, "application/json", `{"userIdentifier":"","userSecret":"x"}`, 400, "VALIDATION_ERROR", "empty"},
		{"null identifier", "POST", authURL, "application/json", `{"userIdentifier":null,"userSecret":"x"}`, 400, "VALIDATION_ERROR", "required"},
		{"number secret", "POST", authURL, "application/json", `{"userIdentifier":"a","userSecret":5}`, 400, "VALIDATION_ERROR", "invalid_type"},
		{"malformed JSON", "POST", authURL, "application/json", `{"userIdentifier":`, 400, "VALIDATION_ERROR", "invalid_json"},
		{"JSON array", "POST", authURL, "application/json", `[]`, 400, "VALIDATION_ERROR", "invalid_json"},
		{"trailing garbage", "POST", authURL, "application/json", `{"userIdentifier":"a","userSecret":"b"} x`, 400, "VALIDATION_ERROR", "invalid_json"},
		{"form content type", "POST", authURL, "application/x-www-form-urlencoded", `userIdentifier=a&userSecret=b`, 400, "VALIDATION_ERROR", "unsupported_content_type"},
		{"no content type", "POST", authURL, "", `{"userIdentifier":"demo-user-identifier","userSecret":"demo-user-secret"}`, 400, "VALIDATION_ERROR", "unsupported_content_type"},
		{"GET", "GET", authURL, "", "", 405, "VALIDATION_ERROR", "method_not_allowed"},
		{"unknown refresh token", "POST", refresh, "application/json", `{"refreshToken":"nope"}`, 401, "AUTHENTICATION_ERROR", "invalid_token"},
		{"missing refresh token", "POST", refresh, "application/json", `{}`, 400, "VALIDATION_ERROR", "required"},
		{"unknown path", "POST", s.BaseURL(auth.Smartling) + "/auth-api/v2/nope", "application/json", `{}`, 404, "NOT_FOUND_ERROR", "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := send(t, newRequest(t, tt.method, tt.url, tt.contentType, tt.body))
			wantStatus(t, r, tt.status)
			if got := r.str("response", "code"); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
			if got := r.str("response", "errors", "0", "key"); got != tt.errKey {
				t.Errorf("key = %q, want %q", got, tt.errKey)
			}
			if r.str("response", "errors", "0", "message") == "" {
				t.Error("no message")
			}
			if _, ok := r.get("response", "errors", "0", "details").(map[string]any); !ok {
				t.Error("details is not an object")
			}
			if r.header.Get("X-SL-RequestId") == "" {
				t.Error("no X-SL-RequestId")
			}
			if strings.Contains(string(r.raw), "demo-user-secret") {
				t.Errorf("body echoes the secret: %s", r.raw)
			}
		})
	}
	// "charset" parameters are fine.
	r := send(t, newRequest(t, "POST", authURL, "application/json; charset=utf-8",
		`{"userIdentifier":"demo-user-identifier","userSecret":"demo-user-secret"}`))
	wantStatus(t, r, 200)
}

func TestSmartlingRefreshRotates(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	first := smartlingLogin(t, s)
	rt := first.str("response", "data", "refreshToken")

	second := postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": rt})
	wantStatus(t, second, 200)
	if second.str("response", "data", "accessToken") == first.str("response", "data", "accessToken") {
		t.Error("refresh returned the same access token")
	}
	if second.str("response", "data", "sessionState") != first.str("response", "data", "sessionState") {
		t.Error("refresh changed the session")
	}
	// The old refresh token is spent, the new one works.
	again := postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": rt})
	wantStatus(t, again, 401)
	if got := again.str("response", "errors", "0", "key"); got != "invalid_token" {
		t.Errorf("key = %q", got)
	}
	third := postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": second.str("response", "data", "refreshToken")})
	wantStatus(t, third, 200)
	// Both access tokens remain usable downstream.
	for _, r := range []result{first, second, third} {
		wantStatus(t, whoami(t, s, auth.Smartling, r.str("response", "data", "accessToken")), 200)
	}
	if got := s.Count(auth.Smartling, mockapi.OpRefresh); got != 3 {
		t.Errorf("refresh count = %d, want 3", got)
	}
	if got := s.Count(auth.Smartling, mockapi.OpAuthenticate); got != 1 {
		t.Errorf("authenticate count = %d, want 1", got)
	}
}

func TestSmartlingRefreshTokenExpires(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t)
	rt := smartlingLogin(t, s).str("response", "data", "refreshToken")
	clock.Advance(3660 * time.Second)
	r := postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": rt})
	wantStatus(t, r, 401)
	if got := r.str("response", "code"); got != "AUTHENTICATION_ERROR" {
		t.Errorf("code = %q", got)
	}
}

func TestSmartlingSessionCap(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t, func(cfg *mockapi.Config) { cfg.Smartling.SessionCap = time.Hour })

	r := smartlingLogin(t, s)
	if got := r.num("response", "data", "refreshExpiresIn"); got != 3600 {
		t.Errorf("refreshExpiresIn at start = %v, want 3600 (capped)", got)
	}
	steps := []struct {
		advance                time.Duration
		expiresIn, refreshLeft float64
	}{
		{50 * time.Minute, 480, 600},
		{9 * time.Minute, 60, 60},
		{30 * time.Second, 30, 30},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		r = postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": r.str("response", "data", "refreshToken")})
		wantStatus(t, r, 200)
		if got := r.num("response", "data", "expiresIn"); got != st.expiresIn {
			t.Errorf("step %d: expiresIn = %v, want %v", i, got, st.expiresIn)
		}
		if got := r.num("response", "data", "refreshExpiresIn"); got != st.refreshLeft {
			t.Errorf("step %d: refreshExpiresIn = %v, want %v", i, got, st.refreshLeft)
		}
	}
	access := r.str("response", "data", "accessToken")
	wantStatus(t, whoami(t, s, auth.Smartling, access), 200)
	clock.Advance(30 * time.Second) // exactly at the cap
	wantStatus(t, whoami(t, s, auth.Smartling, access), 401)
	r = postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": r.str("response", "data", "refreshToken")})
	wantStatus(t, r, 401)
	if got := r.str("response", "code"); got != "AUTHENTICATION_ERROR" {
		t.Errorf("code = %q", got)
	}
	if got := r.str("response", "errors", "0", "message"); !strings.Contains(got, "Session expired") {
		t.Errorf("message = %q", got)
	}
	// A new authenticate starts a new session.
	r = smartlingLogin(t, s)
	if got := r.num("response", "data", "expiresIn"); got != 480 {
		t.Errorf("expiresIn after re-authenticate = %v", got)
	}
}

// ---- OAuth -----------------------------------------------------------------

func TestOAuthPasswordSuccess(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t)
	for _, c := range oauthCases {
		t.Run(string(c.p), func(t *testing.T) {
			r := c.login(t, s)
			if got := r.str("token_type"); got != c.tokenType {
				t.Errorf("token_type = %q, want %q", got, c.tokenType)
			}
			if got, want := r.num("expires_in"), c.accessTTL.Seconds(); got != want {
				t.Errorf("expires_in = %v, want %v", got, want)
			}
			checkJWTShape(t, "access_token", r.str("access_token"), c.accessMinLen)
			if got := len(r.str("refresh_token")); got < c.refreshMinLen {
				t.Errorf("refresh_token is %d bytes, want at least %d", got, c.refreshMinLen)
			}
			if r.header.Get("X-Request-Id") == "" || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("headers: %v", r.header)
			}
		})
	}

	// SmartConnect's ASP.NET fields.
	sc := caseOf(auth.SmartConnect).login(t, s)
	if got, want := sc.str(".issued"), clock.Now().Format(http.TimeFormat); got != want {
		t.Errorf(".issued = %q, want %q", got, want)
	}
	if got, want := sc.str(".expires"), clock.Now().Add(1799*time.Second).Format(http.TimeFormat); got != want {
		t.Errorf(".expires = %q, want %q", got, want)
	}
}

func TestOAuthErrors(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	for _, c := range oauthCases {
		with := func(mod func(url.Values)) url.Values {
			f := c.passwordForm()
			mod(f)
			return f
		}
		type formCase struct {
			name   string
			form   url.Values
			status int
			code   string
		}
		tests := []formCase{
			{"wrong client secret", with(func(f url.Values) { f.Set("client_secret", "nope") }), c.clientErrStatus, "invalid_client"},
			{"unknown client", with(func(f url.Values) { f.Set("client_id", "nope") }), c.clientErrStatus, "invalid_client"},
			{"missing client secret", with(func(f url.Values) { f.Del("client_secret") }), c.clientErrStatus, "invalid_client"},
			{"missing client id", with(func(f url.Values) { f.Del("client_id") }), 400, "invalid_request"},
			{"wrong password", with(func(f url.Values) { f.Set("password", "nope") }), 400, "invalid_grant"},
			{"unknown user", with(func(f url.Values) { f.Set("username", "nobody@example.com") }), 400, "invalid_grant"},
			{"missing password", with(func(f url.Values) { f.Del("password") }), 400, "invalid_request"},
			{"empty username", with(func(f url.Values) { f.Set("username", "") }), 400, "invalid_request"},
			{"client credentials grant", with(func(f url.Values) { f.Set("grant_type", "client_credentials") }), 400, "unsupported_grant_type"},
			{"missing grant type", with(func(f url.Values) { f.Del("grant_type") }), 400, "invalid_request"},
			{"unknown refresh token", c.refreshForm("nope"), c.badRefreshStatus, c.badRefreshCode},
			{"missing refresh token", with(func(f url.Values) { f.Set("grant_type", "refresh_token") }), 400, "invalid_request"},
		}
		if c.scope != "" {
			tests = append(tests,
				formCase{"wrong scope", with(func(f url.Values) { f.Set("scope", "admin") }), 400, "invalid_scope"},
				formCase{"missing scope", with(func(f url.Values) { f.Del("scope") }), 400, "invalid_request"},
			)
		}
		for _, tt := range tests {
			t.Run(string(c.p)+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				c.checkError(t, postForm(t, c.url(s), tt.form), tt.status, tt.code)
			})
		}
		t.Run(string(c.p)+"/JSON body", func(t *testing.T) {
			t.Parallel()
			b, _ := json.Marshal(map[string]string{"grant_type": "password"})
			r := send(t, newRequest(t, "POST", c.url(s), "application/json", string(b)))
			c.checkError(t, r, 400, "invalid_request")
		})
		t.Run(string(c.p)+"/GET", func(t *testing.T) {
			t.Parallel()
			r := send(t, newRequest(t, "GET", c.url(s), "", ""))
			c.checkError(t, r, 405, "invalid_request")
		})
	}
}

func TestOAuthErrorBodyDetails(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	et, sc := caseOf(auth.EasyTranslate), caseOf(auth.SmartConnect)

	f := et.passwordForm()
	f.Set("password", "wrong")
	r := postForm(t, et.url(s), f)
	if got := r.str("error_description"); got != "The user credentials were incorrect." {
		t.Errorf("EasyTranslate invalid_grant description = %q", got)
	}
	if got := r.str("message"); got != r.str("error_description") {
		t.Errorf("EasyTranslate message = %q", got)
	}
	r = postForm(t, et.url(s), et.refreshForm("bogus"))
	if got := r.str("error_description"); got != "The refresh token is invalid." {
		t.Errorf("EasyTranslate bad refresh description = %q", got)
	}

	f = sc.passwordForm()
	f.Set("client_secret", "wrong")
	r = postForm(t, sc.url(s), f)
	if r.has("error_description") {
		t.Errorf("SmartConnect invalid_client has a description: %s", r.raw)
	}
	f = sc.passwordForm()
	f.Set("password", "wrong")
	r = postForm(t, sc.url(s), f)
	if r.str("error_description") == "" {
		t.Errorf("SmartConnect invalid_grant without description: %s", r.raw)
	}
}

func TestOAuthRefresh(t *testing.T) {
	t.Parallel()
	for _, c := range oauthCases {
		t.Run(string(c.p), func(t *testing.T) {
			t.Parallel()
			cfg := mockapi.DefaultConfig()
			c.config(&cfg).Clients["other-client"] = "other-secret"
			s := mocktest.New(t, cfg)

			first := c.login(t, s)
			rt := first.str("refresh_token")

			// Another client cannot use the token, and that does not spend it.
			foreign := c.refreshForm(rt)
			foreign.Set("client_id", "other-client")
			foreign.Set("client_secret", "other-secret")
			c.checkError(t, postForm(t, c.url(s), foreign), c.badRefreshStatus, c.badRefreshCode)
			// Wrong client secret: invalid_client, token not spent either.
			wrong := c.refreshForm(rt)
			wrong.Set("client_secret", "nope")
			c.checkError(t, postForm(t, c.url(s), wrong), c.clientErrStatus, "invalid_client")
			if c.scope != "" {
				bad := c.refreshForm(rt)
				bad.Set("scope", "admin")
				c.checkError(t, postForm(t, c.url(s), bad), 400, "invalid_scope")
			}

			form := c.refreshForm(rt)
			if c.scope != "" {
				form.Set("scope", c.scope)
			}
			second := postForm(t, c.url(s), form)
			wantStatus(t, second, 200)
			if second.str("access_token") == "" || second.str("access_token") == first.str("access_token") {
				t.Error("refresh did not return a new access token")
			}
			if second.str("refresh_token") == "" || second.str("refresh_token") == rt {
				t.Error("refresh did not rotate the refresh token")
			}
			// Spent token.
			c.checkError(t, postForm(t, c.url(s), c.refreshForm(rt)), c.badRefreshStatus, c.badRefreshCode)
			// The new one works without scope, too.
			third := postForm(t, c.url(s), c.refreshForm(second.str("refresh_token")))
			wantStatus(t, third, 200)
			got := whoami(t, s, c.p, third.str("access_token"))
			wantStatus(t, got, 200)
			if id := c.data(got, "identity"); id != c.username {
				t.Errorf("identity = %v", id)
			}
			wantRefreshes := 5 // foreign client, wrong secret, success, spent, third
			if c.scope != "" {
				wantRefreshes++ // bad scope
			}
			if n := s.Count(c.p, mockapi.OpRefresh); n != wantRefreshes {
				t.Errorf("refresh count = %d, want %d", n, wantRefreshes)
			}
		})
	}
}

func TestOAuthRefreshTTL(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t, func(cfg *mockapi.Config) { cfg.SmartConnect.RefreshTTL = time.Hour })
	c := caseOf(auth.SmartConnect)
	rt := c.login(t, s).str("refresh_token")
	clock.Advance(time.Hour)
	c.checkError(t, postForm(t, c.url(s), c.refreshForm(rt)), 400, "invalid_grant")
}

func TestOAuthConfigurableResponse(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t, func(cfg *mockapi.Config) {
		cfg.SmartConnect = mockapi.OAuthConfig{
			Clients:   map[string]string{"c": "s"},
			Users:     map[string]string{"u": "p"},
			TokenType: "BEARER",
			Extra:     map[string]any{"userName": mockapi.UserNameField, "static": 7.5, ".issued": mockapi.IssuedField, ".expires": mockapi.ExpiresField},
		}
		cfg.EasyTranslate.Scope = ""
		cfg.EasyTranslate.AccessTTL = 0
		cfg.EasyTranslate.TokenType = ""
	})

	r := postForm(t, s.BaseURL(auth.SmartConnect)+"/token", url.Values{
		"grant_type": {"password"}, "client_id": {"c"}, "client_secret": {"s"}, "username": {"u"}, "password": {"p"},
	})
	wantStatus(t, r, 200)
	if r.has("expires_in") || r.has("refresh_token") {
		t.Errorf("unexpected expires_in or refresh_token: %s", r.raw)
	}
	if r.str("token_type") != "BEARER" || r.str("userName") != "u" || r.num("static") != 7.5 {
		t.Errorf("body: %s", r.raw)
	}
	if r.get(".expires") != nil || !r.has(".expires") {
		t.Errorf(".expires should be null without a lifetime: %s", r.raw)
	}
	who := whoami(t, s, auth.SmartConnect, r.str("access_token"))
	wantStatus(t, who, 200)
	if !who.has("expires_at") || who.get("expires_at") != nil {
		t.Errorf("expires_at should be null: %s", who.raw)
	}
	clock.Advance(100 * 365 * 24 * time.Hour)
	wantStatus(t, whoami(t, s, auth.SmartConnect, r.str("access_token")), 200)

	// EasyTranslate without scope check and lifetime, default token type.
	et := caseOf(auth.EasyTranslate)
	f := et.passwordForm()
	f.Set("scope", "anything")
	r = postForm(t, et.url(s), f)
	wantStatus(t, r, 200)
	if r.has("expires_in") || r.str("token_type") != "Bearer" || r.str("refresh_token") == "" {
		t.Errorf("body: %s", r.raw)
	}
}

func TestConfigIsCopied(t *testing.T) {
	t.Parallel()
	cfg := mockapi.DefaultConfig()
	s := mocktest.New(t, cfg)
	cfg.Smartling.Users[mockapi.DemoSmartlingUserIdentifier] = "changed"
	delete(cfg.EasyTranslate.Clients, mockapi.DemoEasyTranslateClientID)
	smartlingLogin(t, s)
	caseOf(auth.EasyTranslate).login(t, s)
}

// ---- special characters ----------------------------------------------------

func TestSecretsWithSpecialCharacters(t *testing.T) {
	t.Parallel()
	const secret = `p&a=s s+w%o%20r%d'"?#`
	cfg := mockapi.DefaultConfig()
	cfg.Smartling.Users["id&=+% x"] = secret
	for _, c := range oauthCases {
		c.config(&cfg).Clients["c&=+% x"] = secret
		c.config(&cfg).Users["u+1@example.com"] = secret
	}
	s := mocktest.New(t, cfg)

	r := postJSON(t, smartlingAuthURL(s), map[string]string{"userIdentifier": "id&=+% x", "userSecret": secret})
	wantStatus(t, r, 200)

	for _, c := range oauthCases {
		c.clientID, c.clientSecret, c.username, c.password = "c&=+% x", secret, "u+1@example.com", secret
		t.Run(string(c.p), func(t *testing.T) {
			r := c.login(t, s)
			wantStatus(t, whoami(t, s, c.p, r.str("access_token")), 200)
			calls := s.Calls(c.p)
			if got := calls[len(calls)-2].Form.Get("password"); got != secret {
				t.Errorf("logged password = %q", got)
			}
			// A client that forgets to encode gets its password mangled and refused.
			naive := "grant_type=password&client_id=" + url.QueryEscape(c.clientID) +
				"&client_secret=" + url.QueryEscape(secret) + "&username=" + url.QueryEscape(c.username) +
				"&password=" + secret + "&scope=" + c.scope
			r = send(t, newRequest(t, "POST", c.url(s), "application/x-www-form-urlencoded", naive))
			if r.status == 200 {
				t.Error("unencoded password accepted")
			}
			// "+" means space when encoded by hand.
			plus := c.passwordForm()
			plus.Set("username", "u 1@example.com")
			c.checkError(t, postForm(t, c.url(s), plus), 400, "invalid_grant")
		})
	}
}

// ---- whoami ----------------------------------------------------------------

// loginAll returns an access token of every platform, for the demo accounts.
func loginAll(t *testing.T, s *mockapi.Server) map[auth.Platform]string {
	t.Helper()
	tokens := map[auth.Platform]string{}
	for _, c := range platformCases {
		tokens[c.p] = accessTokenOf(c.login(t, s))
	}
	return tokens
}

// checkUnauthorized checks a platform's own answer to a bad bearer token.
func checkUnauthorized(t *testing.T, p auth.Platform, r result) {
	t.Helper()
	wantStatus(t, r, 401)
	c := caseOf(p)
	if got := r.str(c.unauthorizedField...); got != c.unauthorizedText {
		t.Errorf("%s: %s = %q, want %q; body %s", p, strings.Join(c.unauthorizedField, "."), got, c.unauthorizedText, r.raw)
	}
	if r.header.Get(c.requestIDHeader) == "" {
		t.Errorf("%s: no %s", p, c.requestIDHeader)
	}
	if r.header.Get("WWW-Authenticate") == "" {
		t.Errorf("%s: no WWW-Authenticate", p)
	}
}

func TestWhoami(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t)

	tokens := loginAll(t, s)
	for _, p := range mockapi.Platforms {
		c := caseOf(p)
		r := whoami(t, s, p, tokens[p])
		wantStatus(t, r, 200)
		if c.data(r, "platform") != string(p) || c.data(r, "identity") != c.username {
			t.Errorf("%s: body %s", p, r.raw)
		}
		if want := clock.Now().Add(c.accessTTL).Format(time.RFC3339); c.data(r, "expires_at") != want {
			t.Errorf("%s: expires_at = %v, want %q", p, c.data(r, "expires_at"), want)
		}
		// Lower-case scheme is fine.
		req := newRequest(t, "GET", s.BaseURL(p)+"/whoami", "", "")
		req.Header.Set("Authorization", "bearer "+tokens[p])
		wantStatus(t, send(t, req), 200)
	}
	for _, p := range mockapi.Platforms {
		checkUnauthorized(t, p, whoami(t, s, p, ""))
		checkUnauthorized(t, p, whoami(t, s, p, "garbage"))
		for _, q := range mockapi.Platforms {
			if q != p {
				checkUnauthorized(t, p, whoami(t, s, p, tokens[q])) // another platform's token
			}
		}
		req := newRequest(t, "GET", s.BaseURL(p)+"/whoami", "", "")
		req.Header.Set("Authorization", "Basic "+tokens[p])
		checkUnauthorized(t, p, send(t, req))
		if r := send(t, newRequest(t, "POST", s.BaseURL(p)+"/whoami", "", "")); r.status != 405 {
			t.Errorf("%s: POST whoami = %d", p, r.status)
		}
	}

	// Mock clock: the Smartling token dies after 480 s, the others live on.
	clock.Advance(480 * time.Second)
	checkUnauthorized(t, auth.Smartling, whoami(t, s, auth.Smartling, tokens[auth.Smartling]))
	wantStatus(t, whoami(t, s, auth.SmartConnect, tokens[auth.SmartConnect]), 200)
	clock.Advance(1799*time.Second - 480*time.Second)
	checkUnauthorized(t, auth.SmartConnect, whoami(t, s, auth.SmartConnect, tokens[auth.SmartConnect]))

	// ExpireAccessTokens is per platform.
	wantStatus(t, whoami(t, s, auth.EasyTranslate, tokens[auth.EasyTranslate]), 200)
	s.ExpireAccessTokens(auth.SmartConnect)
	wantStatus(t, whoami(t, s, auth.EasyTranslate, tokens[auth.EasyTranslate]), 200)
	s.ExpireAccessTokens(auth.EasyTranslate)
	checkUnauthorized(t, auth.EasyTranslate, whoami(t, s, auth.EasyTranslate, tokens[auth.EasyTranslate]))
	// New tokens work again.
	wantStatus(t, whoami(t, s, auth.EasyTranslate, caseOf(auth.EasyTranslate).login(t, s).str("access_token")), 200)

	// 2 good; refused: no token, garbage, Basic, POST and each other
	// platform's token; 1 after expiry.
	if got, want := s.Count(auth.Smartling, mockapi.OpWhoami), 2+(4+len(mockapi.Platforms)-1)+1; got != want {
		t.Errorf("Smartling whoami count = %d, want %d", got, want)
	}
}

// ---- generic protected API -------------------------------------------------

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func apiRequest(t *testing.T, method, u, token, body string) result {
	t.Helper()
	req := newRequest(t, method, u, "application/octet-stream", body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

func TestAPIEchoesRequest(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	tokens := loginAll(t, s)
	cases := []struct {
		name, method, path, query, body string
	}{
		{"get root", http.MethodGet, "/api", "", ""},
		{"post with query and body", http.MethodPost, "/api/v2/projects/p1/files", "a=1&b=two%20words", `{"x":1}`},
		{"put nested", http.MethodPut, "/api/a/b/c", "", strings.Repeat("z", 1000)},
		{"delete", http.MethodDelete, "/api/items/7", "force=true", ""},
		{"patch", http.MethodPatch, "/api/items/7", "", "{}"},
	}
	for _, p := range mockapi.Platforms {
		for _, c := range cases {
			t.Run(string(p)+"/"+c.name, func(t *testing.T) {
				u := s.BaseURL(p) + c.path
				if c.query != "" {
					u += "?" + c.query
				}
				r := apiRequest(t, c.method, u, tokens[p], c.body)
				wantStatus(t, r, 200)
				want := map[string]any{
					"platform": string(p), "identity": caseOf(p).username, "method": c.method,
					"path": strings.TrimPrefix(s.BaseURL(p), s.URL) + c.path, "query": c.query,
					"body_bytes": float64(len(c.body)), "body_sha256": sha256Hex([]byte(c.body)),
				}
				for k, v := range want {
					if got := caseOf(p).data(r, k); got != v {
						t.Errorf("%s = %v, want %v", k, got, v)
					}
				}
			})
		}
	}
	for _, p := range mockapi.Platforms {
		if got := s.Count(p, mockapi.OpAPI); got != len(cases) {
			t.Errorf("%s: Count(api) = %d, want %d", p, got, len(cases))
		}
	}
	calls := s.Calls(auth.Smartling)
	last := calls[len(calls)-1]
	if last.Op != mockapi.OpAPI || last.Status != 200 || last.Path != "/smartling/api/items/7" || last.Body != nil {
		t.Errorf("last call: op %q status %d path %q body %q", last.Op, last.Status, last.Path, last.Body)
	}
	if st := send(t, newRequest(t, "GET", s.URL+"/_mock/stats", "", "")); st.num("easytranslate", mockapi.OpAPI) != float64(len(cases)) {
		t.Errorf("stats: %s", st.raw)
	}
}

func TestAPIRequiresLiveToken(t *testing.T) {
	t.Parallel()
	s, clock := clockedMock(t)
	tokens := loginAll(t, s)
	for _, p := range mockapi.Platforms {
		u := s.BaseURL(p) + "/api/things"
		t.Run(string(p)+"/no token", func(t *testing.T) { checkUnauthorized(t, p, apiRequest(t, "POST", u, "", "body")) })
		t.Run(string(p)+"/garbage token", func(t *testing.T) { checkUnauthorized(t, p, apiRequest(t, "GET", u, "garbage", "")) })
		for _, q := range mockapi.Platforms {
			if q != p {
				t.Run(string(p)+"/token of "+string(q), func(t *testing.T) { checkUnauthorized(t, p, apiRequest(t, "GET", u, tokens[q], "")) })
			}
		}
	}
	clock.Advance(480 * time.Second)
	t.Run("expired smartling token", func(t *testing.T) {
		checkUnauthorized(t, auth.Smartling, apiRequest(t, "GET", s.BaseURL(auth.Smartling)+"/api/x", tokens[auth.Smartling], ""))
	})
	s.ExpireAccessTokens(auth.EasyTranslate)
	t.Run("revoked easytranslate token", func(t *testing.T) {
		checkUnauthorized(t, auth.EasyTranslate, apiRequest(t, "GET", s.BaseURL(auth.EasyTranslate)+"/api/x", tokens[auth.EasyTranslate], ""))
	})
	// No token, garbage, each other platform's token, and the expired one.
	if got, want := s.Count(auth.Smartling, mockapi.OpAPI), 2+(len(mockapi.Platforms)-1)+1; got != want {
		t.Errorf("Smartling api count = %d, want %d", got, want)
	}
	for _, c := range s.Calls(auth.SmartConnect) {
		if c.Op == mockapi.OpAPI && c.Status != 401 {
			t.Errorf("refused call logged with status %d", c.Status)
		}
	}
	// Paths that only start like the API are not part of it.
	wantStatus(t, apiRequest(t, "GET", s.BaseURL(auth.SmartConnect)+"/apix", tokens[auth.SmartConnect], ""), 404)
}

// A body far larger than the token endpoints' read limit, of unknown length,
// is read as a stream: size and hash are right and the call log keeps no copy.
func TestAPIStreamsLargeBody(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	tok := caseOf(auth.SmartConnect).login(t, s).str("access_token")
	const size = 2<<20 + 3 // over the token endpoints' 1 MiB read limit
	h := sha256.New()
	pr, pw := io.Pipe()
	go func() {
		chunk := make([]byte, 64<<10)
		left := size
		for i := 0; left > 0; i++ {
			n := min(left, len(chunk))
			for j := range chunk[:n] {
				chunk[j] = byte(i + j)
			}
			h.Write(chunk[:n])
			if _, err := pw.Write(chunk[:n]); err != nil {
				return
			}
			left -= n
		}
		_ = pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, s.BaseURL(auth.SmartConnect)+"/api/upload", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	r := send(t, req)
	wantStatus(t, r, 200)
	if r.num("body_bytes") != size || r.str("body_sha256") != hex.EncodeToString(h.Sum(nil)) {
		t.Errorf("body_bytes %v sha %s", r.num("body_bytes"), r.str("body_sha256"))
	}
	calls := s.Calls(auth.SmartConnect)
	if c := calls[len(calls)-1]; c.Op != mockapi.OpAPI || len(c.Body) != 0 {
		t.Errorf("api call logged op %q with %d body bytes", c.Op, len(c.Body))
	}
}

func TestExpireSessions(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	slRT := smartlingLogin(t, s).str("response", "data", "refreshToken")
	et, sc := caseOf(auth.EasyTranslate), caseOf(auth.SmartConnect)
	etRT := et.login(t, s).str("refresh_token")
	scRT := sc.login(t, s).str("refresh_token")

	s.ExpireSessions(auth.Smartling)
	r := postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": slRT})
	wantStatus(t, r, 401)
	if r.str("response", "code") != "AUTHENTICATION_ERROR" {
		t.Errorf("body %s", r.raw)
	}
	// Other platforms are untouched.
	r = postForm(t, et.url(s), et.refreshForm(etRT))
	wantStatus(t, r, 200)
	etRT = r.str("refresh_token")

	s.ExpireSessions(auth.EasyTranslate)
	s.ExpireSessions(auth.SmartConnect)
	for p, rt := range map[auth.Platform]string{auth.EasyTranslate: etRT, auth.SmartConnect: scRT} {
		c := caseOf(p)
		c.checkError(t, postForm(t, c.url(s), c.refreshForm(rt)), c.badRefreshStatus, c.badRefreshCode)
	}
	// Access tokens survive a session expiry; authenticating still works.
	smartlingLogin(t, s)
}

// ---- faults ----------------------------------------------------------------

// tokenRequest builds a valid authenticate request for a platform.
func tokenRequest(t *testing.T, s *mockapi.Server, p auth.Platform) *http.Request {
	t.Helper()
	u, contentType, body := caseOf(p).loginRequest(s)
	return newRequest(t, http.MethodPost, u, contentType, body)
}

func accessTokenOf(r result) string {
	if v := r.str("access_token"); v != "" {
		return v
	}
	return r.str("response", "data", "accessToken")
}

func refreshTokenOf(r result) string {
	if v := r.str("refresh_token"); v != "" {
		return v
	}
	return r.str("response", "data", "refreshToken")
}

// onEveryPlatform runs f in a parallel subtest per platform, each with a mock
// of its own in the default configuration.
func onEveryPlatform(t *testing.T, f func(t *testing.T, s *mockapi.Server, p auth.Platform)) {
	t.Helper()
	for _, p := range mockapi.Platforms {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f(t, mocktest.New(t, mockapi.DefaultConfig()), p)
		})
	}
}

func TestFaultStatusBodies(t *testing.T) {
	t.Parallel()
	type faultCase struct {
		p      auth.Platform
		status int
		code   string
	}
	var tests []faultCase
	for _, c := range platformCases {
		for status, code := range c.faultCodes {
			tests = append(tests, faultCase{c.p, status, code})
		}
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.p, tt.status), func(t *testing.T) {
			t.Parallel()
			s := mocktest.New(t, mockapi.DefaultConfig())
			s.Inject(tt.p, mockapi.Fault{Status: tt.status, Header: http.Header{"Retry-After": {"3"}}})
			r := send(t, tokenRequest(t, s, tt.p))
			wantStatus(t, r, tt.status)
			code := r.str("error")
			if tt.p == auth.Smartling {
				code = r.str("response", "code")
				if r.str("response", "errors", "0", "key") == "" {
					t.Errorf("no error key: %s", r.raw)
				}
			}
			if code != tt.code {
				t.Errorf("code = %q, want %q: %s", code, tt.code, r.raw)
			}
			if r.header.Get("Retry-After") != "3" {
				t.Error("Retry-After header missing")
			}
			if c := caseOf(tt.p); c.style == oauthForm && c.laravel != r.has("message") {
				t.Errorf("message field: %s", r.raw)
			}
			// The fault is spent: the next call is normal.
			wantStatus(t, send(t, tokenRequest(t, s, tt.p)), 200)
			if got := s.Count(tt.p, mockapi.OpAuthenticate); got != 2 {
				t.Errorf("count = %d, want 2", got)
			}
			calls := s.Calls(tt.p)
			if calls[0].Status != tt.status || calls[1].Status != 200 {
				t.Errorf("logged statuses %d, %d", calls[0].Status, calls[1].Status)
			}
		})
	}
}

func TestFaultBodies(t *testing.T) {
	t.Parallel()
	onEveryPlatform(t, func(t *testing.T, s *mockapi.Server, p auth.Platform) {
		s.Inject(p,
			mockapi.Fault{Status: 502, Body: mockapi.HTMLBody, ContentType: "text/html"},
			mockapi.Fault{Status: 504, ContentType: "text/html; charset=utf-8"},
			mockapi.Fault{Status: 200, Body: `{"unexpected":true}`},
			mockapi.Fault{Body: `not json`, ContentType: "text/plain"},
			mockapi.Fault{Status: 201},
		)
		r := send(t, tokenRequest(t, s, p))
		wantStatus(t, r, 502)
		if string(r.raw) != mockapi.HTMLBody || r.header.Get("Content-Type") != "text/html" {
			t.Errorf("HTML fault: %q %q", r.header.Get("Content-Type"), r.raw)
		}
		if r.header.Get(caseOf(p).requestIDHeader) == "" {
			t.Error("request id header missing on a fault")
		}
		r = send(t, tokenRequest(t, s, p))
		wantStatus(t, r, 504)
		if !strings.Contains(string(r.raw), "<title>504 Gateway Timeout</title>") {
			t.Errorf("generated HTML page: %s", r.raw)
		}
		r = send(t, tokenRequest(t, s, p))
		wantStatus(t, r, 200)
		if string(r.raw) != `{"unexpected":true}` || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("raw body fault: %s", r.raw)
		}
		r = send(t, tokenRequest(t, s, p))
		wantStatus(t, r, 200)
		if string(r.raw) != "not json" || r.header.Get("Content-Type") != "text/plain" {
			t.Errorf("body without status: %s", r.raw)
		}
		r = send(t, tokenRequest(t, s, p))
		wantStatus(t, r, 201)
		if accessTokenOf(r) == "" {
			t.Errorf("status below 400 without body should be a normal answer: %s", r.raw)
		}
		if n := s.PendingFaults(p); n != 0 {
			t.Errorf("pending faults = %d", n)
		}
	})
}

func TestFaultNoToken(t *testing.T) {
	t.Parallel()
	onEveryPlatform(t, func(t *testing.T, s *mockapi.Server, p auth.Platform) {
		s.Inject(p, mockapi.Fault{NoToken: true})
		r := send(t, tokenRequest(t, s, p))
		wantStatus(t, r, 200)
		if accessTokenOf(r) != "" || r.has("response", "data", "accessToken") || r.has("access_token") {
			t.Errorf("token present: %s", r.raw)
		}
		if r.str("refresh_token") == "" && r.str("response", "data", "refreshToken") == "" {
			t.Errorf("rest of the envelope missing: %s", r.raw)
		}
	})
}

func TestFaultTruncate(t *testing.T) {
	t.Parallel()
	onEveryPlatform(t, func(t *testing.T, s *mockapi.Server, p auth.Platform) {
		s.Inject(p, mockapi.Fault{Truncate: true})
		resp, err := http.DefaultClient.Do(tokenRequest(t, s, p))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 || resp.ContentLength < 500 {
			t.Fatalf("status %d, Content-Length %d", resp.StatusCode, resp.ContentLength)
		}
		b, err := io.ReadAll(resp.Body)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("read error = %v, want unexpected EOF", err)
		}
		if int64(len(b)) != resp.ContentLength/2 {
			t.Errorf("got %d bytes of %d", len(b), resp.ContentLength)
		}
		if json.Valid(b) {
			t.Error("truncated body is valid JSON")
		}
		// The server keeps working.
		wantStatus(t, send(t, tokenRequest(t, s, p)), 200)
	})
}

func TestFaultDelayAndHang(t *testing.T) {
	t.Parallel()
	onEveryPlatform(t, func(t *testing.T, s *mockapi.Server, p auth.Platform) {
		s.Inject(p, mockapi.Fault{Delay: 150 * time.Millisecond, Status: 503})
		start := time.Now()
		r := send(t, tokenRequest(t, s, p))
		if el := time.Since(start); el < 150*time.Millisecond {
			t.Errorf("answered after %v, want ≥ 150ms", el)
		}
		wantStatus(t, r, 503)

		// A delay honours cancellation: the client gives up once the mock has
		// the request, however long the request took to arrive.
		s.Inject(p, mockapi.Fault{Delay: time.Hour})
		start = time.Now()
		_, err := http.DefaultClient.Do(tokenRequest(t, s, p).WithContext(cancelOnArrival(t, s, p, 2)))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("delay: err = %v, want the client's cancellation", err)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("cancel took %v", el)
		}

		// Hang until the client gives up, twice: each hang fault is taken by
		// the request that arrives next.
		for n := 3; n <= 4; n++ {
			s.Inject(p, mockapi.Fault{Hang: true})
			_, err = http.DefaultClient.Do(tokenRequest(t, s, p).WithContext(cancelOnArrival(t, s, p, n)))
			if !errors.Is(err, context.Canceled) {
				t.Errorf("hang %d: err = %v, want the client's cancellation", n, err)
			}
		}

		wantStatus(t, send(t, tokenRequest(t, s, p)), 200)
		waitFor(t, func() bool {
			calls := s.Calls(p)
			return len(calls) == 5 && !calls[1].End.IsZero() && !calls[2].End.IsZero() && !calls[3].End.IsZero()
		})
		calls := s.Calls(p)
		for i, want := range []int{503, 0, 0, 0, 200} {
			if calls[i].Status != want {
				t.Errorf("call %d status = %d, want %d", i, calls[i].Status, want)
			}
		}
	})
}

func TestHangReleasedByClose(t *testing.T) {
	t.Parallel()
	s, err := mockapi.Start(mockapi.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	s.Inject(auth.Smartling, mockapi.Fault{Hang: true})
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(tokenRequest(t, s, auth.Smartling))
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitFor(t, func() bool { return s.Count(auth.Smartling, mockapi.OpAuthenticate) == 1 })
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked on a hanging request")
	}
	if err := <-errc; err == nil {
		t.Error("hanging request got an answer")
	}
	s.Close() // idempotent
	if _, err := http.Post(s.URL+"/_mock/reset", "", nil); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	cfg := mockapi.DefaultConfig()
	cfg.Latency = 120 * time.Millisecond
	s := mocktest.New(t, cfg)
	start := time.Now()
	smartlingLogin(t, s)
	if el := time.Since(start); el < 120*time.Millisecond {
		t.Errorf("latency: answered after %v", el)
	}
	// With an hour of latency, token calls wait and whoami does not. The upper
	// bounds only tell an hour from no wait, so a loaded machine cannot fail them.
	tok := caseOf(auth.SmartConnect).login(t, s).str("access_token")
	s.SetLatency(time.Hour)
	start = time.Now()
	wantStatus(t, whoami(t, s, auth.SmartConnect, tok), 200)
	if el := time.Since(start); el >= 30*time.Second {
		t.Errorf("whoami took %v", el)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := http.DefaultClient.Do(tokenRequest(t, s, auth.EasyTranslate).WithContext(ctx)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	s.SetLatency(0)
	start = time.Now()
	caseOf(auth.EasyTranslate).login(t, s)
	if el := time.Since(start); el >= 30*time.Second {
		t.Errorf("after SetLatency(0): %v", el)
	}
}

// cancelOnArrival returns a context that ends once the mock has logged n
// calls of p: a client that gives up while the mock delays or hangs its
// answer, and never before its request has arrived (a fixed client timeout
// could end before the request arrives on a busy machine, leaving a one-shot
// fault armed for the next request).
func cancelOnArrival(t *testing.T, s *mockapi.Server, p auth.Platform, n int) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		defer cancel()
		deadline := time.Now().Add(time.Minute)
		for len(s.Calls(p)) < n && ctx.Err() == nil && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return ctx
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ---- counters, call log, control endpoints ---------------------------------

func TestCountersCallsAndReset(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	r := smartlingLogin(t, s)
	postJSON(t, smartlingRefreshURL(s), map[string]string{"refreshToken": r.str("response", "data", "refreshToken")})
	postJSON(t, smartlingAuthURL(s), map[string]string{"userIdentifier": "x", "userSecret": "y"})
	whoami(t, s, auth.Smartling, accessTokenOf(r))
	s.Inject(auth.EasyTranslate, mockapi.Fault{Status: 500})
	et := caseOf(auth.EasyTranslate)
	et.checkError(t, postForm(t, et.url(s), et.passwordForm()), 500, "server_error")
	postForm(t, caseOf(auth.SmartConnect).url(s), url.Values{"grant_type": {"client_credentials"}})

	want := map[auth.Platform]map[string]int{
		auth.Smartling:     {mockapi.OpAuthenticate: 2, mockapi.OpRefresh: 1, mockapi.OpWhoami: 1},
		auth.EasyTranslate: {mockapi.OpAuthenticate: 1, mockapi.OpRefresh: 0, mockapi.OpWhoami: 0},
		auth.SmartConnect:  {mockapi.OpAuthenticate: 1, mockapi.OpRefresh: 0, mockapi.OpWhoami: 0},
	}
	for p, ops := range want {
		for op, n := range ops {
			if got := s.Count(p, op); got != n {
				t.Errorf("Count(%s, %s) = %d, want %d", p, op, got, n)
			}
		}
	}

	calls := s.Calls(auth.Smartling)
	if len(calls) != 4 {
		t.Fatalf("%d Smartling calls", len(calls))
	}
	wantOps := []string{mockapi.OpAuthenticate, mockapi.OpRefresh, mockapi.OpAuthenticate, mockapi.OpWhoami}
	wantStatuses := []int{200, 200, 401, 200}
	ids := map[string]bool{}
	for i, c := range calls {
		if c.Op != wantOps[i] || c.Status != wantStatuses[i] {
			t.Errorf("call %d: op %s status %d", i, c.Op, c.Status)
		}
		if c.Start.IsZero() || c.End.Before(c.Start) || (i > 0 && c.Start.Before(calls[i-1].Start)) {
			t.Errorf("call %d: times %v %v", i, c.Start, c.End)
		}
		if c.RequestID == "" || ids[c.RequestID] {
			t.Errorf("call %d: request id %q not unique", i, c.RequestID)
		}
		ids[c.RequestID] = true
	}
	if calls[0].RequestID != r.header.Get("X-SL-RequestId") {
		t.Error("logged request id differs from the header")
	}
	if calls[0].Form.Get("userSecret") != mockapi.DemoSmartlingUserSecret || calls[0].Header.Get("Content-Type") != "application/json" {
		t.Errorf("call 0: form %v header %v", calls[0].Form, calls[0].Header)
	}
	if calls[0].Path != "/smartling/auth-api/v2/authenticate" || !strings.Contains(string(calls[0].Body), "userIdentifier") {
		t.Errorf("call 0: path %q body %q", calls[0].Path, calls[0].Body)
	}
	if calls[1].Form.Get("refreshToken") == "" {
		t.Error("refresh token not logged")
	}
	etCalls := s.Calls(auth.EasyTranslate)
	if len(etCalls) != 1 || etCalls[0].Form.Get("password") != mockapi.DemoEasyTranslatePassword || etCalls[0].Status != 500 {
		t.Errorf("EasyTranslate calls: %+v", etCalls)
	}
	// Calls returns copies.
	calls[0].Form.Set("userSecret", "mutated")
	if s.Calls(auth.Smartling)[0].Form.Get("userSecret") == "mutated" {
		t.Error("Calls shares its maps")
	}

	// The stats endpoint mirrors the counters, keyed by path prefix.
	st := send(t, newRequest(t, "GET", s.URL+"/_mock/stats", "", ""))
	wantStatus(t, st, 200)
	for p, ops := range want {
		for op, n := range ops {
			if got := st.num(strings.TrimPrefix(s.BaseURL(p), s.URL+"/"), op); int(got) != n {
				t.Errorf("stats %s.%s = %v, want %d", p, op, got, n)
			}
		}
	}
	wantStatus(t, send(t, newRequest(t, "GET", s.URL+"/_mock/reset", "", "")), 405)
	wantStatus(t, send(t, newRequest(t, "POST", s.URL+"/_mock/reset", "", "")), 200)
	for _, p := range mockapi.Platforms {
		if len(s.Calls(p)) != 0 {
			t.Errorf("%s: calls after reset", p)
		}
		for _, op := range []string{mockapi.OpAuthenticate, mockapi.OpRefresh, mockapi.OpWhoami} {
			if s.Count(p, op) != 0 {
				t.Errorf("%s %s: count after reset", p, op)
			}
		}
	}
	// Tokens survive a reset.
	wantStatus(t, whoami(t, s, auth.Smartling, accessTokenOf(r)), 200)
	s.Reset()
	if s.Count(auth.Smartling, mockapi.OpWhoami) != 0 {
		t.Error("Reset did not zero")
	}
	if st := send(t, newRequest(t, "GET", s.URL+"/_mock/stats", "", "")); st.num("smartconnect", "refresh") != 0 || !st.has("smartconnect", "refresh") {
		t.Errorf("stats after reset: %s", st.raw)
	}
}

func TestRoutingAndBaseURL(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || strings.HasSuffix(s.URL, "/") {
		t.Errorf("URL = %q", s.URL)
	}
	if got := s.BaseURL(auth.EasyTranslate); got != s.URL+"/easytranslate" {
		t.Errorf("BaseURL = %q", got)
	}
	for _, path := range []string{"/", "/nope/token", "/easytranslate/token", "/smartconnect/oauth/token", "/smartling/token"} {
		r := send(t, newRequest(t, "POST", s.URL+path, "", ""))
		wantStatus(t, r, 404)
	}
	if s.Count(auth.SmartConnect, mockapi.OpAuthenticate) != 0 {
		t.Error("404s were counted as token calls")
	}
}

func TestDefaultConfig(t *testing.T) {
	t.Parallel()
	cfg := mockapi.DefaultConfig()
	if cfg.Smartling.Users[mockapi.DemoSmartlingUserIdentifier] != mockapi.DemoSmartlingUserSecret ||
		cfg.EasyTranslate.Scope != "dashboard" || cfg.EasyTranslate.AccessTTL != 31622400*time.Second ||
		cfg.SmartConnect.TokenType != "bearer" || cfg.SmartConnect.AccessTTL != 1799*time.Second ||
		!cfg.SmartConnect.RefreshTokens || cfg.SmartConnect.Extra[".issued"] == nil {
		t.Errorf("DefaultConfig = %+v", cfg)
	}
	// Zero Smartling lifetimes take the defaults.
	s := mocktest.New(t, mockapi.Config{Smartling: mockapi.SmartlingConfig{Users: map[string]string{"a": "b"}}})
	r := postJSON(t, smartlingAuthURL(s), map[string]string{"userIdentifier": "a", "userSecret": "b"})
	if r.num("response", "data", "expiresIn") != 480 || r.num("response", "data", "refreshExpiresIn") != 3660 {
		t.Errorf("defaults: %s", r.raw)
	}
	// No OAuth accounts configured: every client is refused.
	et := caseOf(auth.EasyTranslate)
	et.checkError(t, postForm(t, et.url(s), et.passwordForm()), 401, "invalid_client")
}

// ---- concurrency -----------------------------------------------------------

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	const workers, rounds = 8, 10
	faults := make([]mockapi.Fault, 5)
	for i := range faults {
		faults[i] = mockapi.Fault{Status: 503}
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*len(mockapi.Platforms)*rounds*3)
	for _, p := range mockapi.Platforms {
		s.Inject(p, faults...)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < rounds; i++ {
					if err := roundTrip(s, p); err != nil {
						errs <- err
					}
					_ = s.Calls(p)
					_ = s.Stats()
					s.SetLatency(0)
				}
			}()
		}
	}
	wg.Add(1)
	go func() { // control traffic in parallel
		defer wg.Done()
		for i := 0; i < 20; i++ {
			s.ExpireAccessTokens("nobody")
			s.Inject("nobody", mockapi.Fault{})
			resp, err := http.Get(s.URL + "/_mock/stats")
			if err == nil {
				resp.Body.Close()
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, p := range mockapi.Platforms {
		total := s.Count(p, mockapi.OpAuthenticate)
		if want := workers*rounds + 5; total != want { // each retry of a 503 is one more authenticate
			t.Errorf("%s: %d authenticate calls, want %d", p, total, want)
		}
		if got := s.Count(p, mockapi.OpRefresh); got != workers*rounds {
			t.Errorf("%s: %d refresh calls", p, got)
		}
		if got := s.Count(p, mockapi.OpWhoami); got != workers*rounds {
			t.Errorf("%s: %d whoami calls", p, got)
		}
		if n := s.PendingFaults(p); n != 0 {
			t.Errorf("%s: %d faults left", p, n)
		}
	}
}

// roundTrip authenticates (retrying 503s), refreshes and calls whoami.
func roundTrip(s *mockapi.Server, p auth.Platform) error {
	c := caseOf(p)
	post := func(u, contentType, body string) (*http.Response, error) {
		return http.Post(u, contentType, strings.NewReader(body))
	}
	var r result
	for {
		resp, err := post(c.loginRequest(s))
		if err != nil {
			return err
		}
		r = result{}
		err = json.NewDecoder(resp.Body).Decode(&r.body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode == 503 {
			continue
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s: authenticate: %d %v", p, resp.StatusCode, r.body)
		}
		break
	}
	resp, err := post(c.refreshRequest(s, refreshTokenOf(r)))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: refresh: %d", p, resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", s.BaseURL(p)+"/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+accessTokenOf(r))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: whoami: %d", p, resp.StatusCode)
	}
	return nil
}
