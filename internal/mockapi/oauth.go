package mockapi

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The OAuth2 password-grant APIs (EasyTranslate, SmartConnect) share one
// implementation; they differ by an oauthStyle (paths, error statuses and
// bodies, token shapes) and by their OAuthConfig.

// oauthErr is a kind of token error; each style maps it to a status and body.
type oauthErr int

const (
	errMissingParam     oauthErr = iota // a required field is absent or empty
	errInvalidClient                    // unknown client_id or wrong client_secret
	errInvalidGrant                     // wrong username or password
	errBadRefresh                       // unknown, revoked, expired or foreign refresh token
	errInvalidScope                     // scope not allowed
	errUnsupportedGrant                 // grant_type other than password and refresh_token
	errMethodNotAllowed                 // not a POST
)

type oauthErrSpec struct {
	status      int
	code        string
	description string // "" → no error_description field
}

type oauthStyle struct {
	tokenPath string
	errors    map[oauthErr]oauthErrSpec
	// laravel adds Laravel Passport's "message" (a copy of the description)
	// and "hint" fields to error bodies.
	laravel      bool
	unauthorized map[string]any // body of a 401 from a protected endpoint
	jwtAlg       string
	jwtSigLen    int
	refreshToken func() string
}

// easyTranslateStyle imitates Laravel Passport (league/oauth2-server).
var easyTranslateStyle = oauthStyle{
	tokenPath: "/oauth/token",
	errors: map[oauthErr]oauthErrSpec{
		errMissingParam:     {400, "invalid_request", "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."},
		errInvalidClient:    {401, "invalid_client", "Client authentication failed"},
		errInvalidGrant:     {400, "invalid_grant", "The user credentials were incorrect."},
		errBadRefresh:       {401, "invalid_request", "The refresh token is invalid."},
		errInvalidScope:     {400, "invalid_scope", "The requested scope is invalid, unknown, or malformed"},
		errUnsupportedGrant: {400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."},
		errMethodNotAllowed: {405, "invalid_request", "The token endpoint only accepts POST requests."},
	},
	laravel:      true,
	unauthorized: map[string]any{"message": "Unauthenticated."},
	jwtAlg:       "RS256",
	jwtSigLen:    512,
	refreshToken: func() string { return "def50200" + randomHex(352) },
}

// smartConnectStyle imitates an ASP.NET (OWIN) OAuth authorization server:
// every token error is a 400, descriptions are rare.
var smartConnectStyle = oauthStyle{
	tokenPath: "/token",
	errors: map[oauthErr]oauthErrSpec{
		errMissingParam:     {400, "invalid_request", ""},
		errInvalidClient:    {400, "invalid_client", ""},
		errInvalidGrant:     {400, "invalid_grant", "The user name or password is incorrect."},
		errBadRefresh:       {400, "invalid_grant", ""},
		errInvalidScope:     {400, "invalid_scope", ""},
		errUnsupportedGrant: {400, "unsupported_grant_type", ""},
		errMethodNotAllowed: {405, "invalid_request", ""},
	},
	unauthorized: map[string]any{"Message": "Authorization has been denied for this request."},
	jwtAlg:       "HS256",
	jwtSigLen:    32,
	refreshToken: func() string { return randomHex(16) },
}

type oauthAPI struct {
	s     *Server
	p     Platform
	cfg   OAuthConfig
	style oauthStyle
}

func newOAuthAPI(s *Server, p Platform, cfg OAuthConfig, style oauthStyle) *oauthAPI {
	if cfg.TokenType == "" {
		cfg.TokenType = "Bearer"
	}
	return &oauthAPI{s: s, p: p, cfg: cfg, style: style}
}

func (a *oauthAPI) platform() Platform           { return a.p }
func (a *oauthAPI) requestIDHeader() string      { return "X-Request-Id" }
func (a *oauthAPI) isTokenPath(rest string) bool { return rest == a.style.tokenPath }
func (a *oauthAPI) isAPIPath(rest string) bool   { return isGenericAPIPath(rest) }

// parse reads a form-encoded body with the standard library, so values with
// &, =, +, % and spaces arrive exactly as the client meant them, or a JSON
// object's string and number fields, as Laravel Passport (and EasyTranslate's
// own PHP client) does. A body of another content type yields no fields.
func (a *oauthAPI) parse(r *http.Request, _ string, body []byte) (string, url.Values) {
	form := url.Values{}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
	case mt == "application/x-www-form-urlencoded":
		if f, err := url.ParseQuery(string(body)); err == nil {
			form = f
		}
	case mt == "application/json":
		form = jsonFields(body)
	}
	if form.Get("grant_type") == "refresh_token" {
		return OpRefresh, form
	}
	return OpAuthenticate, form
}

// fail renders an error of a kind; detail becomes Passport's "hint".
func (a *oauthAPI) fail(kind oauthErr, hint string) reply {
	spec := a.style.errors[kind]
	return reply{status: spec.status, body: a.errorObject(spec.code, spec.description, hint)}
}

func (a *oauthAPI) errorObject(code, description, hint string) map[string]any {
	body := map[string]any{"error": code}
	if description != "" {
		body["error_description"] = description
	}
	if a.style.laravel {
		body["message"] = description
		if hint != "" {
			body["hint"] = hint
		}
	}
	return body
}

func (a *oauthAPI) errorBody(status int) any {
	code := "server_error"
	switch status {
	case http.StatusBadRequest:
		code = "invalid_request"
	case http.StatusUnauthorized:
		code = "invalid_client"
	}
	description := ""
	if a.style.laravel {
		description = http.StatusText(status)
	}
	return a.errorObject(code, description, "")
}

// success answers a protected endpoint with data as it is.
func (a *oauthAPI) success(data map[string]any) any { return data }

func (a *oauthAPI) unauthorized() reply {
	return reply{status: http.StatusUnauthorized, body: a.style.unauthorized,
		header: http.Header{"Www-Authenticate": {"Bearer"}}}
}

func (a *oauthAPI) token(r *http.Request, rest string, body []byte) reply {
	if r.Method != http.MethodPost {
		rep := a.fail(errMethodNotAllowed, "")
		rep.header = http.Header{"Allow": {http.MethodPost}}
		return rep
	}
	_, form := a.parse(r, rest, body)
	var rep reply
	switch grant := form.Get("grant_type"); grant {
	case "":
		rep = a.fail(errMissingParam, "Check the `grant_type` parameter")
	case "password":
		rep = a.passwordGrant(form)
	case "refresh_token":
		rep = a.refreshGrant(form)
	default:
		rep = a.fail(errUnsupportedGrant, "Check that all required parameters have been provided")
	}
	rep.header = noStore(rep.header)
	return rep
}

// noStore adds the cache headers RFC 6749 requires on token responses.
func noStore(h http.Header) http.Header {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	return h
}

// checkClient validates client_id and client_secret.
func (a *oauthAPI) checkClient(form url.Values) (string, *reply) {
	id := form.Get("client_id")
	if id == "" {
		rep := a.fail(errMissingParam, "Check the `client_id` parameter")
		return "", &rep
	}
	want, ok := a.cfg.Clients[id]
	if !ok || !equal(want, form.Get("client_secret")) {
		rep := a.fail(errInvalidClient, "")
		return "", &rep
	}
	return id, nil
}

// missing returns an error for the first absent or empty field.
func (a *oauthAPI) missing(form url.Values, names ...string) *reply {
	for _, name := range names {
		if form.Get(name) == "" {
			rep := a.fail(errMissingParam, "Check the `"+name+"` parameter")
			return &rep
		}
	}
	return nil
}

func (a *oauthAPI) passwordGrant(form url.Values) reply {
	client, bad := a.checkClient(form)
	if bad != nil {
		return *bad
	}
	scope := form.Get("scope")
	if a.cfg.Scope != "" {
		if bad := a.missing(form, "scope"); bad != nil {
			return *bad
		}
		if s, ok := subsetOf(scope, a.cfg.Scope); !ok {
			return a.fail(errInvalidScope, "Check the `"+s+"` scope")
		}
	}
	if bad := a.missing(form, "username", "password"); bad != nil {
		return *bad
	}
	user := form.Get("username")
	want, ok := a.cfg.Users[user]
	if !ok || !equal(want, form.Get("password")) {
		return a.fail(errInvalidGrant, "")
	}
	return a.issue(user, client, scope)
}

var errForeignClient = errors.New("refresh token issued to another client")

func (a *oauthAPI) refreshGrant(form url.Values) reply {
	client, bad := a.checkClient(form)
	if bad != nil {
		return *bad
	}
	if bad := a.missing(form, "refresh_token"); bad != nil {
		return *bad
	}
	requested := form.Get("scope")
	var badScope string
	old, err := a.s.useRefresh(a.p, form.Get("refresh_token"), a.s.now(), func(t refreshToken) error {
		if t.clientID != client {
			return errForeignClient
		}
		if requested != "" && a.cfg.Scope != "" {
			var ok bool
			if badScope, ok = subsetOf(requested, t.scope); !ok {
				return errInvalidScopeRequested
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errInvalidScopeRequested):
		return a.fail(errInvalidScope, "Check the `"+badScope+"` scope")
	case errors.Is(err, errForeignClient):
		return a.fail(errBadRefresh, "Token is not linked to client")
	case err != nil:
		return a.fail(errBadRefresh, "Token has been revoked or has expired")
	}
	scope := old.scope
	if requested != "" {
		scope = requested
	}
	return a.issue(old.identity, client, scope)
}

var errInvalidScopeRequested = errors.New("invalid scope")

// subsetOf reports whether every space-separated scope in requested is in
// allowed; if not, it returns the first one that is not.
func subsetOf(requested, allowed string) (string, bool) {
	ok := strings.Fields(allowed)
	for _, s := range strings.Fields(requested) {
		if !slices.Contains(ok, s) {
			return s, false
		}
	}
	return "", true
}

func equal(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// issue creates an access token (and a refresh token if configured).
func (a *oauthAPI) issue(user, client, scope string) reply {
	now := a.s.now()
	var exp time.Time
	if a.cfg.AccessTTL > 0 {
		exp = now.Add(a.cfg.AccessTTL)
	}
	claims := map[string]any{
		"aud": client, "jti": randomHex(40), "iat": now.Unix(), "nbf": now.Unix(),
		"sub": randomHex(4), "scopes": strings.Fields(scope),
	}
	if !exp.IsZero() {
		claims["exp"] = exp.Unix()
	}
	access := newJWT(a.style.jwtAlg, claims, a.style.jwtSigLen)
	a.s.storeAccess(access, accessToken{platform: a.p, identity: user, expires: exp})

	body := map[string]any{}
	info := TokenInfo{Platform: a.p, Identity: user, ClientID: client, Issued: now, Expires: exp}
	for k, v := range a.cfg.Extra {
		switch f := v.(type) {
		case ExtraFunc:
			body[k] = f(info)
		case func(TokenInfo) any:
			body[k] = f(info)
		default:
			body[k] = v
		}
	}
	body["token_type"] = a.cfg.TokenType
	body["access_token"] = access
	if !exp.IsZero() {
		body["expires_in"] = int64(a.cfg.AccessTTL / time.Second)
	}
	if a.cfg.RefreshTokens {
		refresh := a.style.refreshToken()
		var rexp time.Time
		if a.cfg.RefreshTTL > 0 {
			rexp = now.Add(a.cfg.RefreshTTL)
		}
		a.s.storeRefresh(refresh, refreshToken{platform: a.p, identity: user, clientID: client, scope: scope, expires: rexp})
		body["refresh_token"] = refresh
	}
	return reply{status: http.StatusOK, body: body}
}
