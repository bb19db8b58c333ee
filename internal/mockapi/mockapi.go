// Package mockapi serves faithful, in-process imitations of the three token
// APIs the provider talks to (Smartling, EasyTranslate and SmartConnect), plus
// a protected "whoami" endpoint and a generic protected API per platform, call
// counters, a call log and fault injection. It exists for tests, benchmarks and the demo; it uses the
// standard library only.
//
// One HTTP server serves every platform under its own path prefix, so each
// platform's base URL has a path prefix:
//
//	{URL}/smartling      POST /auth-api/v2/authenticate, POST /auth-api/v2/authenticate/refresh
//	{URL}/easytranslate  POST /oauth/token
//	{URL}/smartconnect   POST /token
//	{base}/whoami        GET with "Authorization: Bearer <token>"
//	{base}/api/...       any method with "Authorization: Bearer <token>": echoes
//	                     the request (method, path, query, body size and SHA-256);
//	                     Smartling's also at its own API paths, {base}/<name>-api/...
//	                     (accounts-api, projects-api, files-api, ...; not auth-api)
//	{URL}/_mock/stats    GET: counters as JSON
//	{URL}/_mock/reset    POST: zero counters and call logs
//
// Behaviour worth knowing when writing tests:
//   - Refreshing rotates the refresh token: the one sent is revoked, a new one
//     is returned. Access tokens issued earlier stay valid until they expire.
//   - Token expiry follows Config.Now (the mock clock); Call.Start and Call.End
//     are wall-clock times, for measuring latency and overlap.
//   - Every request to a token endpoint is counted and logged, and consumes one
//     queued Fault, before anything else happens to it (latency, validation).
package mockapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/platforms"
)

// Platform is auth.Platform (defined in internal/platforms, which both
// packages import): the mock is keyed by the platforms the adapters name.
type Platform = platforms.Platform

// Platforms lists every mocked platform, in a stable order.
var Platforms = []Platform{platforms.Smartling, platforms.EasyTranslate, platforms.SmartConnect}

// prefix is a platform's URL path prefix: its name in lower case.
func prefix(p Platform) string { return strings.ToLower(string(p)) }

// Operations counted per platform.
const (
	OpAuthenticate = "authenticate" // Smartling authenticate, OAuth password grant (and any other grant type)
	OpRefresh      = "refresh"      // Smartling refresh, OAuth refresh_token grant
	OpWhoami       = "whoami"       // the protected downstream endpoint
	OpAPI          = "api"          // the generic protected API under {base}/api/
)

var ops = []string{OpAuthenticate, OpRefresh, OpWhoami, OpAPI}

// Demo credentials, used by DefaultConfig.
const (
	DemoSmartlingUserIdentifier = "demo-user-identifier"
	DemoSmartlingUserSecret     = "demo-user-secret"

	DemoEasyTranslateClientID     = "demo-et-client"
	DemoEasyTranslateClientSecret = "demo-et-client-secret"
	DemoEasyTranslateUsername     = "demo@example.com"
	DemoEasyTranslatePassword     = "demo-et-password"

	DemoSmartConnectClientID     = "demo-sc-client"
	DemoSmartConnectClientSecret = "demo-sc-client-secret"
	DemoSmartConnectUsername     = "demo@example.com"
	DemoSmartConnectPassword     = "demo-sc-password"
)

// demoAccounts are the demo accounts of DefaultConfig as the provider's
// environment variables name them, without the platform's prefix.
var demoAccounts = map[Platform][][2]string{
	platforms.Smartling: {
		{"USER_IDENTIFIER", DemoSmartlingUserIdentifier},
		{"USER_SECRET", DemoSmartlingUserSecret},
		{"ACCOUNT_ID", "demo-account"},
		{"PROJECT_ID", "demo-project"},
	},
	platforms.EasyTranslate: passwordGrantAccount(DemoEasyTranslateClientID, DemoEasyTranslateClientSecret,
		DemoEasyTranslateUsername, DemoEasyTranslatePassword),
	platforms.SmartConnect: passwordGrantAccount(DemoSmartConnectClientID, DemoSmartConnectClientSecret,
		DemoSmartConnectUsername, DemoSmartConnectPassword),
}

func passwordGrantAccount(clientID, clientSecret, username, password string) [][2]string {
	return [][2]string{{"CLIENT_ID", clientID}, {"CLIENT_SECRET", clientSecret}, {"USERNAME", username}, {"PASSWORD", password}}
}

// DemoEnv is the environment that points the provider at s with the demo
// accounts of DefaultConfig: for each platform, in the order of Platforms,
// <PLATFORM>_BASE_URL and its demo credentials, as name and value pairs.
func (s *Server) DemoEnv() [][2]string {
	var env [][2]string
	for _, p := range Platforms {
		name := strings.ToUpper(string(p)) + "_"
		env = append(env, [2]string{name + "BASE_URL", s.BaseURL(p)})
		for _, v := range demoAccounts[p] {
			env = append(env, [2]string{name + v[0], v[1]})
		}
	}
	return env
}

// HTMLBody is a typical reverse-proxy error page, for Fault.Body with
// ContentType "text/html".
const HTMLBody = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// Config describes the mocked accounts and token lifetimes. Maps are copied
// by Start; changing them afterwards has no effect.
type Config struct {
	Now           func() time.Time // mock clock; nil → time.Now
	Latency       time.Duration    // added to every token call (authenticate and refresh), honouring request cancellation
	Smartling     SmartlingConfig
	EasyTranslate OAuthConfig
	SmartConnect  OAuthConfig
}

// SmartlingConfig configures the Smartling mock.
type SmartlingConfig struct {
	Users map[string]string // userIdentifier → userSecret
	// Lifetimes; zero means the default (480s, 3660s, 12h). SessionCap is the
	// hard limit counted from authenticate that refreshing cannot extend.
	AccessTTL, RefreshTTL, SessionCap time.Duration
	// JavaFixtureRejection answers wrong credentials the way Smartling's Java
	// SDK fixtures record them: 401 VALIDATION_ERROR with key and details
	// null. By default they get 401 AUTHENTICATION_ERROR (invalid_credentials).
	JavaFixtureRejection bool
}

// OAuthConfig configures an OAuth2 password-grant mock (EasyTranslate,
// SmartConnect).
type OAuthConfig struct {
	Clients       map[string]string // client_id → client_secret
	Users         map[string]string // username → password
	Scope         string            // space-separated scopes allowed and required on the password grant ("" = scope not checked)
	AccessTTL     time.Duration     // 0 → tokens never expire and no expires_in in the response
	RefreshTTL    time.Duration     // 0 → refresh tokens live until used or ExpireSessions
	RefreshTokens bool              // issue refresh_token
	TokenType     string            // e.g. "Bearer" or "bearer"; "" → "Bearer"
	// Extra fields added to success bodies. A value of type ExtraFunc is
	// called for every token issued; any other value is sent as it is.
	Extra map[string]any
}

// ExtraFunc computes the value of an OAuthConfig.Extra field per token.
type ExtraFunc func(TokenInfo) any

// TokenInfo describes an issued OAuth token, for ExtraFunc.
type TokenInfo struct {
	Platform Platform
	Identity string    // username
	ClientID string    // client_id
	Issued   time.Time // mock clock
	Expires  time.Time // zero when the token does not expire
}

// HTTPDate formats t the way ASP.NET writes ".issued"/".expires" (RFC 1123, GMT).
func HTTPDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// IssuedField and ExpiresField are ExtraFuncs for SmartConnect's ".issued" and
// ".expires" fields; UserNameField returns the username ("userName").
var (
	IssuedField  ExtraFunc = func(i TokenInfo) any { return HTTPDate(i.Issued) }
	ExpiresField ExtraFunc = func(i TokenInfo) any {
		if i.Expires.IsZero() {
			return nil
		}
		return HTTPDate(i.Expires)
	}
	UserNameField ExtraFunc = func(i TokenInfo) any { return i.Identity }
)

// DefaultConfig returns the demo accounts with lifetimes like the real APIs.
func DefaultConfig() Config {
	return Config{
		Smartling: SmartlingConfig{
			Users:      map[string]string{DemoSmartlingUserIdentifier: DemoSmartlingUserSecret},
			AccessTTL:  480 * time.Second,
			RefreshTTL: 3660 * time.Second,
			SessionCap: 12 * time.Hour,
		},
		EasyTranslate: OAuthConfig{
			Clients:       map[string]string{DemoEasyTranslateClientID: DemoEasyTranslateClientSecret},
			Users:         map[string]string{DemoEasyTranslateUsername: DemoEasyTranslatePassword},
			Scope:         "dashboard",
			AccessTTL:     31622400 * time.Second,
			RefreshTokens: true,
			TokenType:     "Bearer",
		},
		SmartConnect: OAuthConfig{
			Clients:       map[string]string{DemoSmartConnectClientID: DemoSmartConnectClientSecret},
			Users:         map[string]string{DemoSmartConnectUsername: DemoSmartConnectPassword},
			AccessTTL:     1799 * time.Second,
			RefreshTokens: true,
			TokenType:     "bearer",
			Extra:         map[string]any{".issued": IssuedField, ".expires": ExpiresField},
		},
	}
}

// Call is one logged request.
type Call struct {
	Op         string
	Start, End time.Time  // wall clock; End is zero while the call is in flight
	Status     int        // status sent; 0 if none was (client gave up, hang, server closed)
	RequestID  string     // the X-SL-RequestId / X-Request-Id sent back
	Path       string     // request path, including the platform prefix
	Form       url.Values // parsed fields (Smartling JSON fields too), secrets included, for tests
	Body       []byte     // raw request body (token calls only; OpAPI bodies are hashed, not kept)
	Header     http.Header
}

// Fault changes how the next token request of a platform is answered.
type Fault struct {
	Status int // answer with this status (0 = normal handling after the other effects)
	// Raw body; "" with Status ≥ 400 → the platform's own error body for that
	// status (an HTML page if ContentType is text/html). "" with a Status
	// below 400 → normal handling, answered with Status.
	Body        string
	ContentType string        // default application/json; use "text/html" for proxy pages
	Header      http.Header   // added to the response, e.g. Retry-After
	Delay       time.Duration // wait before answering (honours request cancellation)
	Hang        bool          // never answer until the client gives up or the server closes
	Truncate    bool          // declare the full Content-Length, send half the body, close
	NoToken     bool          // success envelope without the access token field
}

// Server is a running mock. It is safe for concurrent use.
type Server struct {
	URL string // http://127.0.0.1:port, no trailing slash

	cfg     Config
	now     func() time.Time
	srv     *http.Server
	ln      net.Listener
	closing chan struct{}
	once    sync.Once
	wg      sync.WaitGroup // handlers in flight

	apis map[string]platformAPI // by path prefix

	mu      sync.Mutex
	latency time.Duration
	counts  map[Platform]map[string]int
	calls   map[Platform][]*Call
	faults  map[Platform][]Fault
	access  map[tokenKey]*accessToken
	refresh map[tokenKey]*refreshToken
	issued  int // tokens issued since the last sweep of expired ones
	closed  bool
}

// Start listens on 127.0.0.1:0 and serves the mock.
func Start(cfg Config) (*Server, error) { return StartAddr(cfg, "127.0.0.1:0") }

// StartAddr is Start on a chosen address (host:port).
func StartAddr(cfg Config, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mockapi: listen %s: %w", addr, err)
	}
	s := newServer(cfg)
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }() // returns http.ErrServerClosed on Close
	return s, nil
}

func newServer(cfg Config) *Server {
	cfg = cloneConfig(cfg)
	s := &Server{
		cfg:     cfg,
		now:     cfg.Now,
		closing: make(chan struct{}),
		latency: cfg.Latency,
		counts:  map[Platform]map[string]int{},
		calls:   map[Platform][]*Call{},
		faults:  map[Platform][]Fault{},
		access:  map[tokenKey]*accessToken{},
		refresh: map[tokenKey]*refreshToken{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.apis = map[string]platformAPI{}
	for _, api := range []platformAPI{
		newSmartlingAPI(s, cfg.Smartling),
		newOAuthAPI(s, platforms.EasyTranslate, cfg.EasyTranslate, easyTranslateStyle),
		newOAuthAPI(s, platforms.SmartConnect, cfg.SmartConnect, smartConnectStyle),
	} {
		s.apis[prefix(api.platform())] = api
	}
	for _, p := range Platforms {
		s.counts[p] = map[string]int{}
	}
	return s
}

func cloneConfig(c Config) Config {
	c.Smartling.Users = cloneMap(c.Smartling.Users)
	c.EasyTranslate = cloneOAuth(c.EasyTranslate)
	c.SmartConnect = cloneOAuth(c.SmartConnect)
	return c
}

func cloneOAuth(c OAuthConfig) OAuthConfig {
	c.Clients = cloneMap(c.Clients)
	c.Users = cloneMap(c.Users)
	c.Extra = cloneMap(c.Extra)
	return c
}

func cloneMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Close stops the server: hanging and waiting handlers return at once, open
// connections are closed. It waits for handlers to finish and is idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.closing)
		if s.srv != nil {
			_ = s.srv.Close()
		}
		s.wg.Wait()
	})
}

// BaseURL is the API root of a platform: s.URL + "/" + its name in lower case.
func (s *Server) BaseURL(p Platform) string { return s.URL + "/" + prefix(p) }

// Count is the number of calls of an operation received by a platform since
// the start or the last Reset.
func (s *Server) Count(p Platform, op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[p][op]
}

// Calls returns copies of the calls a platform received, in arrival order.
func (s *Server) Calls(p Platform) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, 0, len(s.calls[p]))
	for _, c := range s.calls[p] {
		cc := *c
		cc.Form = cloneValues(c.Form)
		cc.Header = c.Header.Clone()
		cc.Body = append([]byte(nil), c.Body...)
		out = append(out, cc)
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	return url.Values(http.Header(v).Clone())
}

// Stats returns all counters: platform → operation → count. /_mock/stats
// serves them keyed by path prefix ("smartling").
func (s *Server) Stats() map[Platform]map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Platform]map[string]int{}
	for _, p := range Platforms {
		out[p] = map[string]int{}
		for _, op := range ops {
			out[p][op] = s.counts[p][op]
		}
	}
	return out
}

// Reset zeroes the counters and clears the call logs. Tokens, sessions,
// queued faults and latency are kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range Platforms {
		s.counts[p] = map[string]int{}
		s.calls[p] = nil
	}
}

// SetLatency changes the latency added to every token call.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// ExpireSessions revokes every refresh token of p: the next refresh gets the
// platform's invalid-token error.
func (s *Server) ExpireSessions(p Platform) {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.DeleteFunc(s.refresh, func(_ tokenKey, t *refreshToken) bool { return t.platform == p })
}

// ExpireAccessTokens makes every access token of p issued so far invalid for
// /whoami.
func (s *Server) ExpireAccessTokens(p Platform) {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.DeleteFunc(s.access, func(_ tokenKey, t *accessToken) bool { return t.platform == p })
}

// Inject queues faults for p; each next token request (authenticate or
// refresh) of p consumes one before normal handling.
func (s *Server) Inject(p Platform, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[p] = append(s.faults[p], faults...)
}

// PendingFaults is the number of queued faults of p not consumed yet.
func (s *Server) PendingFaults(p Platform) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults[p])
}

func (s *Server) popFault(p Platform) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[p]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0]
	s.faults[p] = q[1:]
	return f, true
}

func (s *Server) currentLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

// ServeHTTP routes requests to the platforms and the control endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "mockapi: closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	path := r.URL.Path
	switch path {
	case "/_mock/stats":
		s.serveStats(w, r)
		return
	case "/_mock/reset":
		if r.Method != http.MethodPost {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "method not allowed"})
			return
		}
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]any{"reset": true})
		return
	}
	first, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	rest = "/" + rest
	api, ok := s.apis[first]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "message": "mockapi: unknown path " + path})
		return
	}
	switch {
	case rest == "/whoami":
		s.serveWhoami(w, r, api)
	case api.isTokenPath(rest):
		s.serveToken(w, r, api, rest)
	case api.isAPIPath(rest):
		s.serveAPI(w, r, api)
	default:
		s.writeReply(w, api, errorReply(api, http.StatusNotFound), nil)
	}
}

func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "method not allowed"})
		return
	}
	byPrefix := map[string]map[string]int{}
	for p, counts := range s.Stats() {
		byPrefix[prefix(p)] = counts
	}
	writeJSON(w, http.StatusOK, byPrefix)
}

// platformAPI is what the router and the shared token pipeline need from a
// platform.
type platformAPI interface {
	platform() Platform
	requestIDHeader() string
	isTokenPath(rest string) bool
	// isAPIPath tells the paths of the generic protected API: {base}/api/...
	// on every platform, and the platform's own API paths.
	isAPIPath(rest string) bool
	// parse reads a token request into loggable fields and its operation.
	parse(r *http.Request, rest string, body []byte) (op string, fields url.Values)
	// token answers a token request normally.
	token(r *http.Request, rest string, body []byte) reply
	// errorBody is the platform's own error body for an HTTP status.
	errorBody(status int) any
	// unauthorized is the platform's answer to a bad bearer token.
	unauthorized() reply
	// success is the body of a protected endpoint's answer carrying data.
	success(data map[string]any) any
}

// reply is a response before it is written.
type reply struct {
	status int
	body   any    // marshalled as JSON unless raw is set
	raw    []byte // sent as it is
	header http.Header
}

func errorReply(api platformAPI, status int) reply {
	return reply{status: status, body: api.errorBody(status)}
}

const maxBody = 1 << 20

// serveToken is the pipeline shared by every token endpoint: log and count,
// consume a fault, wait, answer.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, api platformAPI, rest string) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	op, fields := api.parse(r, rest, body)
	call := s.begin(api.platform(), op, r, fields, body)
	status := 0
	defer func() { s.end(call, status, w.Header().Get(api.requestIDHeader())) }()
	w.Header().Set(api.requestIDHeader(), call.RequestID)

	fault, faulted := s.popFault(api.platform())
	ctx := r.Context()
	if !s.sleep(ctx, s.currentLatency()) || !s.sleep(ctx, fault.Delay) {
		abort()
	}
	if fault.Hang {
		select {
		case <-ctx.Done():
		case <-s.closing:
		}
		abort()
	}

	var rep reply
	switch {
	case faulted && fault.Body != "":
		rep = reply{status: fault.Status, raw: []byte(fault.Body)}
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
	case faulted && fault.Status >= 400:
		rep = errorReply(api, fault.Status)
		if isHTML(fault.ContentType) {
			rep = reply{status: fault.Status, raw: []byte(htmlPage(fault.Status))}
		}
	default:
		rep = api.token(r, rest, body)
		if fault.Status != 0 {
			rep.status = fault.Status
		}
		if fault.NoToken {
			stripAccessToken(rep.body)
		}
	}
	status = s.writeReply(w, api, rep, &fault)
}

// writeReply writes rep with the platform's request id and the fault's
// content type, headers and truncation. It returns the status sent.
func (s *Server) writeReply(w http.ResponseWriter, api platformAPI, rep reply, fault *Fault) int {
	h := w.Header()
	if h.Get(api.requestIDHeader()) == "" {
		h.Set(api.requestIDHeader(), newRequestID())
	}
	data := rep.raw
	if data == nil {
		data = mustJSON(rep.body)
	}
	h.Set("Content-Type", "application/json")
	for k, vs := range rep.header {
		h[k] = append([]string(nil), vs...)
	}
	if fault != nil {
		if fault.ContentType != "" {
			h.Set("Content-Type", fault.ContentType)
		}
		for k, vs := range fault.Header {
			h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
		}
		if fault.Truncate {
			h.Set("Content-Length", fmt.Sprint(len(data)))
			w.WriteHeader(rep.status)
			_, _ = w.Write(data[:len(data)/2])
			// Fewer bytes than declared: net/http closes the connection
			// after the handler returns, and the client sees an early EOF.
			return rep.status
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(data)
	return rep.status
}

// abort drops the connection without an answer (net/http would otherwise
// send an empty 200 when the handler returns). Deferred bookkeeping still runs.
func abort() { panic(http.ErrAbortHandler) }

// sleep waits d; false if the request was cancelled or the server closed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	}
}

func (s *Server) begin(p Platform, op string, r *http.Request, fields url.Values, body []byte) *Call {
	c := &Call{
		Op:        op,
		Start:     time.Now(),
		RequestID: newRequestID(),
		Path:      r.URL.Path,
		Form:      fields,
		Body:      body,
		Header:    r.Header.Clone(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[p][op]++
	s.calls[p] = append(s.calls[p], c)
	return c
}

func (s *Server) end(c *Call, status int, requestID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.End = time.Now()
	c.Status = status
	if requestID != "" {
		c.RequestID = requestID // a Fault.Header may have replaced it
	}
}

// serveWhoami answers the protected endpoint: 200 with the identity if the
// bearer token is a live access token of this platform, else the platform's 401.
func (s *Server) serveWhoami(w http.ResponseWriter, r *http.Request, api platformAPI) {
	p := api.platform()
	call := s.begin(p, OpWhoami, r, nil, nil)
	w.Header().Set(api.requestIDHeader(), call.RequestID)
	var rep reply
	if r.Method != http.MethodGet {
		rep = errorReply(api, http.StatusMethodNotAllowed)
		rep.header = http.Header{"Allow": {http.MethodGet}}
	} else if tok, ok := s.lookupAccess(p, bearerToken(r)); ok {
		var exp any
		if !tok.expires.IsZero() {
			exp = tok.expires.UTC().Format(time.RFC3339)
		}
		rep = reply{status: http.StatusOK, body: api.success(map[string]any{
			"platform": string(p), "identity": tok.identity, "expires_at": exp,
		})}
	} else {
		rep = api.unauthorized()
	}
	s.end(call, s.writeReply(w, api, rep, nil), "")
}

// isGenericAPIPath tells {base}/api and the paths below it.
func isGenericAPIPath(rest string) bool { return rest == "/api" || strings.HasPrefix(rest, "/api/") }

// serveAPI answers the generic protected API: any method, any path under
// {base}/api, and a platform's own API paths (platformAPI.isAPIPath). With a
// live access token of this platform it reads the body as a stream (so uploads
// of any size work without being held in memory) and echoes what it received;
// otherwise it drains the body and answers the platform's 401.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, api platformAPI) {
	p := api.platform()
	call := s.begin(p, OpAPI, r, nil, nil)
	w.Header().Set(api.requestIDHeader(), call.RequestID)
	tok, ok := s.lookupAccess(p, bearerToken(r))
	h := sha256.New()
	n, err := io.Copy(h, r.Body)
	var rep reply
	switch {
	case err != nil: // the client went away mid-upload
		s.end(call, 0, "")
		abort()
	case !ok:
		rep = api.unauthorized()
	default:
		rep = reply{status: http.StatusOK, body: api.success(map[string]any{
			"platform": string(p), "identity": tok.identity,
			"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"body_bytes": n, "body_sha256": hex.EncodeToString(h.Sum(nil)),
		})}
	}
	s.end(call, s.writeReply(w, api, rep, nil), "")
}

func bearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

func isHTML(contentType string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/html")
}

func htmlPage(status int) string {
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	return strings.ReplaceAll(HTMLBody, "502 Bad Gateway", title)
}

// stripAccessToken removes the access token from a success body (Smartling
// envelope or OAuth2 object).
func stripAccessToken(body any) {
	m, ok := body.(map[string]any)
	if !ok {
		return
	}
	delete(m, "access_token")
	if resp, ok := m["response"].(map[string]any); ok {
		if data, ok := resp["data"].(map[string]any); ok {
			delete(data, "accessToken")
		}
	}
}

// jsonFields reads a JSON object's string and number fields as form values;
// anything else in the body yields no fields.
func jsonFields(body []byte) url.Values {
	fields := url.Values{}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return fields
	}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			fields.Set(k, v)
		case json.Number:
			fields.Set(k, v.String())
		}
	}
	return fields
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("mockapi: marshal: %v", err))
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data := mustJSON(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
