package auth

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestClient_redirectsAreNeverFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, p := range platformCases {
			for _, op := range []string{OpAuthenticate, OpRefresh} {
				t.Run(fmt.Sprintf("%s %s answered %d", p.name, op, status), func(t *testing.T) {
					t.Parallel()
					var elsewhere, here atomic.Int32
					other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
					t.Cleanup(other.Close)
					// The Location holds a path and a query that must not reach the error.
					location := other.URL + "/collect/secret-path?stolen=secret-query"
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
						here.Add(1)
						w.Header().Set("Location", location)
						w.WriteHeader(status)
					}))
					t.Cleanup(srv.Close)

					a := p.adapter(testClient(ClientOptions{MaxRetries: 3}), srv.URL)
					_, err := request(a, op)
					e := mustError(t, err)
					otherHost := strings.TrimPrefix(other.URL, "http://")
					if e.Kind != KindRedirect || e.Status != status || e.Attempts != 1 {
						t.Errorf("kind %v, status %d, %d attempts; want redirect, %d, 1: %v", e.Kind, e.Status, e.Attempts, status, err)
					}
					containsAll(t, err.Error(), fmt.Sprintf("HTTP %d", status), "redirected to "+otherHost,
						"token requests never follow redirects")
					lacksSecrets(t, err.Error(), "secret-path", "secret-query", "/collect")
					if strings.Contains(err.Error(), "after ") {
						t.Errorf("a redirect was retried: %v", err)
					}
					if n := here.Load(); n != 1 {
						t.Errorf("the token endpoint got %d requests, want 1", n)
					}
					if n := elsewhere.Load(); n != 0 {
						t.Errorf("the host the redirect named got %d requests, want none", n)
					}
				})
			}
		}
	}
}
