package auth

import (
	"context"
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
