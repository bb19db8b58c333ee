package mockapi

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/platforms"
)

const (
	smartlingAuthPath    = "/auth-api/v2/authenticate"
	smartlingRefreshPath = "/auth-api/v2/authenticate/refresh"
	smartlingIssuer      = "https://sso.smartling.com/auth/realms/Smartling"
)

// smartlingAPI imitates the Smartling authentication API (JSON in, the
// {"response":{"code":…}} envelope out).
type smartlingAPI struct {
	s   *Server
	cfg SmartlingConfig
}

func newSmartlingAPI(s *Server, cfg SmartlingConfig) *smartlingAPI {
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = 480 * time.Second
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 3660 * time.Second
	}
	if cfg.SessionCap <= 0 {
		cfg.SessionCap = 12 * time.Hour
	}
	return &smartlingAPI{s: s, cfg: cfg}
}

func (a *smartlingAPI) platform() Platform      { return platforms.Smartling }
func (a *smartlingAPI) requestIDHeader() string { return "X-SL-RequestId" }

func (a *smartlingAPI) isTokenPath(rest string) bool {
	return rest == smartlingAuthPath || rest == smartlingRefreshPath
}

// isAPIPath also takes Smartling's own API paths, /<name>-api/... (its
// families are accounts-api, projects-api, files-api, jobs-api and so on), so
// that its SDKs and the paths of its documentation reach the protected API;
// auth-api has only the two token paths.
func (a *smartlingAPI) isAPIPath(rest string) bool {
	family, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	return isGenericAPIPath(rest) ||
		(strings.HasSuffix(family, "-api") && len(family) > len("-api") && family != "auth-api")
}

func (a *smartlingAPI) op(rest string) string {
	if rest == smartlingRefreshPath {
		return OpRefresh
	}
	return OpAuthenticate
}

// parse logs the JSON body's string and number fields as form values.
func (a *smartlingAPI) parse(_ *http.Request, rest string, body []byte) (string, url.Values) {
	return a.op(rest), jsonFields(body)
}

type smartlingError struct {
	status    int
	code, key string
	message   string
	details   map[string]any
	// nulls sends key and details as null, as Smartling's Java SDK
	// fixture for bad credentials records them.
	nulls bool
}

func (e smartlingError) reply() reply {
	var key, details any = e.key, e.details
	switch {
	case e.nulls:
		key, details = nil, nil
	case e.details == nil:
		details = map[string]any{}
	}
	return reply{status: e.status, body: map[string]any{"response": map[string]any{
		"code":   e.code,
		"errors": []any{map[string]any{"key": key, "message": e.message, "details": details}},
	}}}
}

// success wraps the data of a protected endpoint's answer in Smartling's
// envelope, as every Smartling API answers (its Go SDK needs it).
func (a *smartlingAPI) success(data map[string]any) any {
	return map[string]any{"response": map[string]any{"code": "SUCCESS", "data": data}}
}

func validationError(key, message string, details map[string]any) reply {
	return smartlingError{status: http.StatusBadRequest, code: "VALIDATION_ERROR", key: key, message: message, details: details}.reply()
}

func authenticationError(key, message string) reply {
	return smartlingError{status: http.StatusUnauthorized, code: "AUTHENTICATION_ERROR", key: key, message: message}.reply()
}

// smartlingStatusErrors are the bodies of errors known only by their status
// (faults, unknown paths, bad bearer tokens). Other statuses from 500 up get
// GENERAL_ERROR, the rest a VALIDATION_ERROR.
var smartlingStatusErrors = map[int]smartlingError{
	http.StatusUnauthorized:       {code: "AUTHENTICATION_ERROR", key: "invalid_token", message: "Invalid token"},
	http.StatusForbidden:          {code: "AUTHORIZATION_ERROR", key: "forbidden", message: "Access is denied"},
	http.StatusNotFound:           {code: "NOT_FOUND_ERROR", key: "not_found", message: "Resource not found"},
	http.StatusMethodNotAllowed:   {code: "VALIDATION_ERROR", key: "method_not_allowed", message: "Request method is not supported"},
	http.StatusTooManyRequests:    {code: "MAX_OPERATIONS_LIMIT_EXCEEDED", key: "too.many.requests", message: "Too many simultaneous API requests"},
	http.StatusServiceUnavailable: {code: "MAINTENANCE_MODE_ERROR", key: "maintenance_mode", message: "Service is under maintenance, please try later"},
}

func (a *smartlingAPI) errorBody(status int) any {
	e, known := smartlingStatusErrors[status]
	switch {
	case known:
	case status >= 500:
		e = smartlingError{code: "GENERAL_ERROR", key: "general_error", message: "Unexpected server error"}
	default:
		e = smartlingError{code: "VALIDATION_ERROR", key: "validation_error", message: http.StatusText(status)}
	}
	e.status = status
	return e.reply().body
}

func (a *smartlingAPI) unauthorized() reply {
	rep := errorReply(a, http.StatusUnauthorized)
	rep.header = http.Header{"Www-Authenticate": {`Bearer realm="Smartling"`}}
	return rep
}

func (a *smartlingAPI) token(r *http.Request, rest string, body []byte) reply {
	if r.Method != http.MethodPost {
		rep := errorReply(a, http.StatusMethodNotAllowed)
		rep.header = http.Header{"Allow": {http.MethodPost}}
		return rep
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return validationError("unsupported_content_type", "Content-Type must be application/json", map[string]any{"contentType": r.Header.Get("Content-Type")})
	}
	var in map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&in); err != nil || in == nil || dec.More() {
		return validationError("invalid_json", "Request body is not a valid JSON object", nil)
	}
	if a.op(rest) == OpRefresh {
		tok, bad := requireStrings(in, "refreshToken")
		if bad.status != 0 {
			return bad
		}
		return a.refresh(tok[0])
	}
	creds, bad := requireStrings(in, "userIdentifier", "userSecret")
	if bad.status != 0 {
		return bad
	}
	return a.authenticate(creds[0], creds[1])
}

// requireStrings reads required non-empty string fields.
func requireStrings(in map[string]any, names ...string) ([]string, reply) {
	out := make([]string, len(names))
	for i, name := range names {
		v, ok := in[name]
		if !ok || v == nil {
			return nil, validationError("required", name+" is required", map[string]any{"field": name})
		}
		str, ok := v.(string)
		if !ok {
			return nil, validationError("invalid_type", name+" must be a string", map[string]any{"field": name})
		}
		if str == "" {
			return nil, validationError("empty", name+" must not be empty", map[string]any{"field": name})
		}
		out[i] = str
	}
	return out, reply{}
}

func (a *smartlingAPI) authenticate(user, secret string) reply {
	want, ok := a.cfg.Users[user]
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(secret)) != 1 {
		if a.cfg.JavaFixtureRejection {
			return smartlingError{status: http.StatusUnauthorized, code: "VALIDATION_ERROR", message: "HTTP 401 Unauthorized", nulls: true}.reply()
		}
		return authenticationError("invalid_credentials", "Invalid user identifier or user secret")
	}
	now := a.s.now()
	return a.issue(user, newUUID(), now, now)
}

func (a *smartlingAPI) refresh(token string) reply {
	now := a.s.now()
	old, err := a.s.useRefresh(platforms.Smartling, token, now, func(t refreshToken) error {
		if !now.Before(t.sessionStart.Add(a.cfg.SessionCap)) {
			return errSessionCap
		}
		return nil
	})
	switch {
	case errors.Is(err, errSessionCap):
		return authenticationError("invalid_token", "Session expired, please authenticate again")
	case err != nil:
		return authenticationError("invalid_token", "Invalid or expired refresh token")
	}
	return a.issue(old.identity, old.session, old.sessionStart, now)
}

// issue creates a token pair for a session; lifetimes never pass the cap.
func (a *smartlingAPI) issue(user, session string, start, now time.Time) reply {
	capAt := start.Add(a.cfg.SessionCap)
	accessExp := earliest(now.Add(a.cfg.AccessTTL), capAt)
	refreshExp := earliest(now.Add(a.cfg.RefreshTTL), capAt)
	subject := newUUID()
	claims := func(typ string, exp time.Time) map[string]any {
		return map[string]any{
			"jti": newUUID(), "exp": exp.Unix(), "nbf": 0, "iat": now.Unix(), "auth_time": start.Unix(),
			"iss": smartlingIssuer, "aud": "authentication-service", "sub": subject, "typ": typ,
			"azp": "authentication-service", "session_state": session, "client_session": newUUID(),
			"realm_access":    map[string]any{"roles": []string{"ROLE_API_USER", "user"}},
			"resource_access": map[string]any{"account": map[string]any{"roles": []string{"manage-account", "view-profile"}}},
			"uid":             randomHex(6), "name": "Mock API Token",
			"preferred_username": "api:" + randomHex(12),
		}
	}
	access := newJWT("RS256", claims("Bearer", accessExp), 256)
	refresh := newJWT("RS256", claims("Refresh", refreshExp), 256)
	a.s.storeAccess(access, accessToken{platform: platforms.Smartling, identity: user, expires: accessExp})
	a.s.storeRefresh(refresh, refreshToken{platform: platforms.Smartling, identity: user, session: session,
		sessionStart: start, expires: refreshExp})
	return reply{status: http.StatusOK, body: map[string]any{"response": map[string]any{
		"code": "SUCCESS",
		"data": map[string]any{
			"accessToken":      access,
			"refreshToken":     refresh,
			"expiresIn":        secondsUntil(accessExp, now),
			"refreshExpiresIn": secondsUntil(refreshExp, now),
			"tokenType":        "Bearer",
			"sessionState":     session,
		},
	}}}
}

var errSessionCap = errors.New("session cap reached")

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
