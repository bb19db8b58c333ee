package proxy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

type logLine struct {
	msg    string
	fields map[string]any
}

// captureLogger is an auth.Logger that keeps every line.
type captureLogger struct {
	mu    sync.Mutex
	lines []logLine
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := make(map[string]any, len(fields))
	for k, v := range fields {
		f[k] = v
	}
	l.lines = append(l.lines, logLine{msg, f})
}

func (l *captureLogger) all() []logLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logLine(nil), l.lines...)
}

// No log line, no line of the standard logger and no error body carries the
// prefix, a token, the path, the query or the body; every request gets one
// log line with its method, status and duration. Not parallel: it captures
// the standard logger, where httputil.ReverseProxy and http.Server write by
// default.
func TestNothingSecretIsLogged(t *testing.T) {
	var std bytes.Buffer
	prev := log.Writer()
	log.SetOutput(&std)
	t.Cleanup(func() { log.SetOutput(prev) })

	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/retry"):
			onlyToken("tok-2-secret")(w, r)
		case strings.HasSuffix(r.URL.Path, "/cut"):
			// Promise more than is sent, then drop the connection:
			// ReverseProxy fails mid-body.
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, "BODYMARK-partial")
			http.NewResponseController(w).Flush()
			panic(http.ErrAbortHandler)
		default:
			_, _ = io.WriteString(w, "ok")
		}
	})
	logger := &captureLogger{}
	src := newTokens()
	p := start(t, proxy.Config{Upstream: up.URL, Tokens: src, Logger: logger})
	down := start(t, proxy.Config{Upstream: "http://127.0.0.1:1", Tokens: newTokens(), Logger: logger})
	prefix, downPrefix := prefixOf(t, p), prefixOf(t, down)
	// A prefix one character off: its first hex digit changed.
	wrongPrefix := "0" + prefix[1:]
	if prefix[0] == '0' {
		wrongPrefix = "1" + prefix[1:]
	}
	c := client(t)

	type step struct {
		name       string
		url        string
		body       string
		wantStatus int
		before     func()
	}
	steps := []step{
		{name: "ok", url: p.URL() + "/api/PATHMARK?QUERYMARK=1", body: "BODYMARK", wantStatus: 200},
		{name: "retried", url: p.URL() + "/api/PATHMARK/retry?QUERYMARK=1", body: "BODYMARK", wantStatus: 200},
		{name: "cut off mid-body", url: p.URL() + "/api/PATHMARK/cut?QUERYMARK=1", wantStatus: 200},
		{name: "wrong prefix", url: strings.Replace(p.URL(), prefix, wrongPrefix, 1) + "/api/PATHMARK", wantStatus: 404},
		{name: "dot segment", url: p.URL() + "/api/%2e%2e/PATHMARK?QUERYMARK=1", wantStatus: 400},
		{name: "upstream down", url: down.URL() + "/api/PATHMARK?QUERYMARK=1", body: "BODYMARK", wantStatus: 502},
		{name: "token unavailable", url: p.URL() + "/api/PATHMARK?QUERYMARK=1", wantStatus: 502, before: func() {
			// An error text that somehow carries the prefix is scrubbed.
			src.setErr(fmt.Errorf("cannot refresh for %s", prefix))
		}},
	}
	secrets := []string{prefix, downPrefix, "tok-1-secret", "tok-2-secret", "tok-3-secret", "Bearer", "PATHMARK", "QUERYMARK", "BODYMARK"}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		req, err := http.NewRequest(http.MethodPost, s.url, strings.NewReader(s.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		b, _ := io.ReadAll(resp.Body) // the cut-off body ends early
		_ = resp.Body.Close()
		if resp.StatusCode != s.wantStatus {
			t.Errorf("%s: status %d, want %d", s.name, resp.StatusCode, s.wantStatus)
		}
		if resp.StatusCode >= 400 {
			for _, secret := range secrets {
				if strings.Contains(string(b), secret) {
					t.Errorf("%s: the error body carries %q: %s", s.name, secret, b)
				}
			}
		}
	}

	lines := logger.all()
	if len(lines) != len(steps) {
		t.Errorf("%d log lines for %d requests: %v", len(lines), len(steps), lines)
	}
	for i, l := range lines {
		for _, k := range []string{"method", "status", "duration_ms", "platform"} {
			if _, ok := l.fields[k]; !ok {
				t.Errorf("log line %d has no %s: %v", i, k, l.fields)
			}
		}
		text := fmt.Sprint(l.msg, l.fields)
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("log line %d carries %q: %s", i, secret, text)
			}
		}
	}
	if len(lines) == len(steps) {
		if lines[1].fields["attempts"] != 2 || lines[2].fields["error"] != "response_aborted" || lines[5].fields["error"] != "upstream_unreachable" {
			t.Errorf("log lines do not say what happened: %v", lines)
		}
	}
	if std.Len() != 0 {
		t.Errorf("the standard logger got: %q", std.String())
	}
}
