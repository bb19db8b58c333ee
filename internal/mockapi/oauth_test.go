package mockapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

// jsonBody is a form's fields as the JSON object a client such as
// EasyTranslate's PHP client sends instead.
func jsonBody(form url.Values) map[string]string {
	out := map[string]string{}
	for k := range form {
		out[k] = form.Get(k)
	}
	return out
}

// TestOAuthTokenRequestAsJSON sends the password and refresh grants as JSON,
// which Laravel Passport accepts as well as a form (EasyTranslate's own PHP
// client sends JSON): the answers are those of the form requests.
func TestOAuthTokenRequestAsJSON(t *testing.T) {
	t.Parallel()
	for _, c := range oauthCases {
		t.Run(string(c.p), func(t *testing.T) {
			t.Parallel()
			s := mocktest.New(t, mockapi.DefaultConfig())

			first := postJSON(t, c.url(s), jsonBody(c.passwordForm()))
			wantStatus(t, first, http.StatusOK)
			if first.str("access_token") == "" || first.str("refresh_token") == "" {
				t.Fatalf("password grant as JSON: no token pair in %s", first.raw)
			}
			if got := whoami(t, s, c.p, first.str("access_token")); got.status != http.StatusOK {
				t.Errorf("whoami with the token of a JSON request: status %d", got.status)
			}

			second := postJSON(t, c.url(s), jsonBody(c.refreshForm(first.str("refresh_token"))))
			wantStatus(t, second, http.StatusOK)
			if second.str("access_token") == "" || second.str("access_token") == first.str("access_token") {
				t.Errorf("refresh grant as JSON: no new access token in %s", second.raw)
			}

			wrong := c.passwordForm()
			wrong.Set("password", "wrong-password")
			c.checkError(t, postJSON(t, c.url(s), jsonBody(wrong)), 400, "invalid_grant")

			calls := s.Calls(c.p)
			// password grant, whoami, refresh grant, wrong password
			if len(calls) != 4 || calls[0].Form.Get("username") != c.username || calls[2].Op != mockapi.OpRefresh {
				t.Errorf("calls logged: %d, first username %q, third op %q, want 4, %q, %q",
					len(calls), calls[0].Form.Get("username"), calls[2].Op, c.username, mockapi.OpRefresh)
			}
		})
	}
}
