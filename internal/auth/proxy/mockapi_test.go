package proxy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

// mockTokens logs in to the mock's SmartConnect with the demo account when
// it has no token, as the provider's cache would after an invalidation.
type mockTokens struct {
	s      *mockapi.Server
	mu     sync.Mutex
	cur    string
	logins atomic.Int32
}

func (m *mockTokens) Token(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur != "" {
		return m.cur, nil
	}
	form := url.Values{
		"grant_type": {"password"}, "client_id": {mockapi.DemoSmartConnectClientID},
		"client_secret": {mockapi.DemoSmartConnectClientSecret},
		"username":      {mockapi.DemoSmartConnectUsername}, "password": {mockapi.DemoSmartConnectPassword},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.s.BaseURL(auth.SmartConnect)+"/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		return "", fmt.Errorf("login: status %d", resp.StatusCode)
	}
	m.logins.Add(1)
	m.cur = body.AccessToken
	return m.cur, nil
}

func (m *mockTokens) Invalidate(tok string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if tok == m.cur {
		m.cur = ""
	}
}

// End to end against the mock API: paths below the base URL's own prefix,
// streamed uploads, and a new token when the mock has expired the old one.
func TestThroughMockAPI(t *testing.T) {
	t.Parallel()
	s := mocktest.New(t, mockapi.DefaultConfig())
	src := &mockTokens{s: s}
	p := start(t, proxy.Config{Upstream: s.BaseURL(auth.SmartConnect), Tokens: src, Platform: "SmartConnect"})
	c := client(t)
	send := func(method, path string, size int64) (answer, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, p.URL()+path, &pattern{left: size})
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = size
		req.Header.Set("Authorization", "Bearer not-a-smartconnect-token")
		a := do(t, c, req)
		var echo map[string]any
		_ = json.Unmarshal([]byte(a.body), &echo)
		return a, echo
	}

	a, echo := send(http.MethodGet, "/api/v1/projects?page=2&q=a%20b", 0)
	if a.status != 200 || echo["identity"] != mockapi.DemoSmartConnectUsername || echo["path"] != "/smartconnect/api/v1/projects" ||
		echo["query"] != "page=2&q=a%20b" || echo["method"] != "GET" {
		t.Errorf("GET: %d %s", a.status, a.body)
	}
	const big = 3 << 20
	a, echo = send(http.MethodPut, "/api/v1/files/f1", big)
	if a.status != 200 || echo["body_bytes"] != float64(big) || echo["body_sha256"] != patternSHA(big) {
		t.Errorf("PUT %d bytes: %d %s", big, a.status, a.body)
	}
	if n := src.logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}

	t.Run("expired token, small body: new token and one retry", func(t *testing.T) {
		s.ExpireAccessTokens(auth.SmartConnect)
		before := s.Count(auth.SmartConnect, mockapi.OpAPI)
		a, echo := send(http.MethodPost, "/api/v1/jobs", 100)
		if a.status != 200 || echo["body_bytes"] != float64(100) {
			t.Errorf("POST: %d %s", a.status, a.body)
		}
		if n := s.Count(auth.SmartConnect, mockapi.OpAPI) - before; n != 2 {
			t.Errorf("the mock saw %d API calls, want the 401 and the retry", n)
		}
		if n := src.logins.Load(); n != 2 {
			t.Errorf("%d logins, want 2", n)
		}
	})
	t.Run("expired token, streamed body: the mock's 401 passed through", func(t *testing.T) {
		s.ExpireAccessTokens(auth.SmartConnect)
		a, _ := send(http.MethodPut, "/api/v1/files/f2", big)
		if a.status != 401 || !strings.Contains(a.body, `"Message"`) {
			t.Errorf("PUT: %d %s", a.status, a.body)
		}
		if a, _ := send(http.MethodGet, "/api/v1/projects", 0); a.status != 200 {
			t.Errorf("next GET: %d %s", a.status, a.body)
		}
		if n := src.logins.Load(); n != 3 {
			t.Errorf("%d logins, want 3", n)
		}
	})
}
