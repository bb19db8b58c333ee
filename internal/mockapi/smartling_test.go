package mockapi_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

// TestSmartlingProtectedEndpointsAnswerInItsEnvelope: every Smartling API
// answers {"response":{"code":"SUCCESS","data":{…}}}, and Smartling's Go SDK
// fails on an answer without it; the OAuth2 platforms answer the data alone.
func TestSmartlingProtectedEndpointsAnswerInItsEnvelope(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	tok := accessTokenOf(smartlingLogin(t, s))
	for _, tc := range []struct {
		name string
		r    result
	}{
		{"whoami", whoami(t, s, auth.Smartling, tok)},
		{"api", apiRequest(t, http.MethodGet, s.BaseURL(auth.Smartling)+"/api/projects-api/v2/projects/p1", tok, "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, tc.r, http.StatusOK)
			if code := tc.r.str("response", "code"); code != "SUCCESS" {
				t.Errorf("response.code = %q, want SUCCESS; body %s", code, tc.r.raw)
			}
			if id := tc.r.str("response", "data", "identity"); id != mockapi.DemoSmartlingUserIdentifier {
				t.Errorf("response.data.identity = %q; body %s", id, tc.r.raw)
			}
			if len(tc.r.body) != 1 {
				t.Errorf("fields beside the envelope: %s", tc.r.raw)
			}
		})
	}
	for _, c := range oauthCases {
		tok := accessTokenOf(c.login(t, s))
		if r := whoami(t, s, c.p, tok); r.has("response") || r.str("identity") != c.username {
			t.Errorf("%s: whoami answers in an envelope or without the identity: %s", c.p, r.raw)
		}
	}
}

// TestSmartlingOwnAPIPaths: Smartling's protected API answers at its own
// paths too ({base}/<name>-api/..., where its SDKs and documentation send
// requests), in its envelope and only with a live token; auth-api has only its
// token paths, and the OAuth2 platforms have no such paths.
func TestSmartlingOwnAPIPaths(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	tok := accessTokenOf(smartlingLogin(t, s))
	base := s.BaseURL(auth.Smartling)
	for _, tc := range []struct {
		name, path, token string
		status            int
	}{
		{"accounts-api with a token", "/accounts-api/v2/accounts/demo-account/projects", tok, http.StatusOK},
		{"projects-api with a token", "/projects-api/v2/projects/demo-project", tok, http.StatusOK},
		{"projects-api without a token", "/projects-api/v2/projects/demo-project", "", http.StatusUnauthorized},
		{"auth-api beside its token paths", "/auth-api/v2/other", tok, http.StatusNotFound},
		{"a bare -api segment", "/-api/v2/x", tok, http.StatusNotFound},
		{"not an API family", "/projects/demo-project", tok, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := apiRequest(t, http.MethodGet, base+tc.path, tc.token, "")
			wantStatus(t, r, tc.status)
			if tc.status != http.StatusOK {
				return
			}
			if code, path := r.str("response", "code"), r.str("response", "data", "path"); code != "SUCCESS" || path != "/smartling"+tc.path {
				t.Errorf("response.code %q, response.data.path %q, want SUCCESS and the path; body %s", code, path, r.raw)
			}
		})
	}
	for _, c := range oauthCases {
		r := apiRequest(t, http.MethodGet, s.BaseURL(c.p)+"/projects-api/v2/projects/p1", accessTokenOf(c.login(t, s)), "")
		wantStatus(t, r, http.StatusNotFound)
	}
}

// TestSmartlingBadCredentials: wrong credentials get 401 AUTHENTICATION_ERROR
// by default, and with JavaFixtureRejection the shape Smartling's Java SDK
// fixtures record: 401 VALIDATION_ERROR with key and details null.
func TestSmartlingBadCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		javaShape  bool
		wantCode   string
		wantKey    any
		wantDetail any
	}{
		{"default", false, "AUTHENTICATION_ERROR", "invalid_credentials", map[string]any{}},
		{"Java SDK fixture", true, "VALIDATION_ERROR", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := mockapi.DefaultConfig()
			cfg.Smartling.JavaFixtureRejection = tc.javaShape
			s := mocktest.New(t, cfg)
			r := postJSON(t, smartlingAuthURL(s), map[string]string{
				"userIdentifier": mockapi.DemoSmartlingUserIdentifier, "userSecret": "wrong-secret"})
			wantStatus(t, r, http.StatusUnauthorized)
			if code := r.str("response", "code"); code != tc.wantCode {
				t.Errorf("response.code = %q, want %q", code, tc.wantCode)
			}
			if !r.has("response", "errors", "0", "key") || !r.has("response", "errors", "0", "details") {
				t.Fatalf("errors[0] lacks key or details: %s", r.raw)
			}
			if key := r.get("response", "errors", "0", "key"); key != tc.wantKey {
				t.Errorf("errors[0].key = %#v, want %#v", key, tc.wantKey)
			}
			if details := r.get("response", "errors", "0", "details"); !reflect.DeepEqual(details, tc.wantDetail) {
				t.Errorf("errors[0].details = %#v, want %#v", details, tc.wantDetail)
			}
			if r.str("response", "errors", "0", "message") == "" {
				t.Errorf("errors[0].message is empty: %s", r.raw)
			}
		})
	}
}
