package proxy_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// noLeaks returns a check that fails the test if goroutines started since
// are still running (goleak waits a while for them to end). Called after
// the upstream started and checked while it still runs, it also catches
// connections to it that the proxy left open. Tests that use it are not
// parallel.
func noLeaks(t *testing.T) (check func()) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	return func() {
		t.Helper()
		goleak.VerifyNone(t, ignore)
	}
}

// holdUpstream answers only when released, and reports each arrival and
// each cancellation.
func holdUpstream(t *testing.T) (up *httptest.Server, arrived, canceled chan struct{}, release chan struct{}) {
	t.Helper()
	arrived, canceled, release = make(chan struct{}, 10), make(chan struct{}, 10), make(chan struct{})
	up = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
			_, _ = io.WriteString(w, "ok")
		case <-r.Context().Done():
			canceled <- struct{}{}
		case <-time.After(20 * time.Second): // so that a broken Close fails the test instead of hanging it
		}
	}))
	t.Cleanup(up.Close)
	return up, arrived, canceled, release
}

func dialFails(t *testing.T, addr string) bool {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		_ = conn.Close()
		return false
	}
	return true
}

type result struct {
	status int
	body   string
	err    error
}

func getAsync(c *http.Client, u string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		resp, err := c.Get(u)
		if err != nil {
			ch <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		ch <- result{resp.StatusCode, string(b), err}
	}()
	return ch
}

func within[T any](t *testing.T, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("%s did not happen within %s", what, d)
		panic("unreachable")
	}
}

// Close stops accepting at once, lets a request in flight finish, then
// returns; later connections are refused and no goroutine is left.
func TestCloseDrainsRequestsInFlight(t *testing.T) {
	up, arrived, _, release := holdUpstream(t)
	c := client(t)
	checkLeaks := noLeaks(t)
	p, err := proxy.Start(proxy.Config{Upstream: up.URL, Tokens: newTokens(), GracePeriod: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	addr := hostOf(t, p)
	res := getAsync(c, p.URL()+"/api/slow")
	within(t, arrived, 5*time.Second, "the request reaching the upstream")

	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	deadline := time.Now().Add(5 * time.Second)
	for !dialFails(t, addr) {
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections while closing")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a request was in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if r := within(t, res, 5*time.Second, "the answer"); r.err != nil || r.status != 200 || r.body != "ok" {
		t.Errorf("request in flight got %d %q %v, want 200 ok", r.status, r.body, r.err)
	}
	if err := within(t, closed, 5*time.Second, "Close returning"); err != nil {
		t.Errorf("Close = %v", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if !dialFails(t, addr) {
		t.Error("a connection was accepted after Close")
	}
	c.CloseIdleConnections()
	checkLeaks()
}

// A request still in flight after the grace period is cancelled, upstream
// too; Close says so and returns promptly.
func TestCloseCutsOffAfterGracePeriod(t *testing.T) {
	up, arrived, canceled, _ := holdUpstream(t)
	c := client(t)
	checkLeaks := noLeaks(t)
	const grace = 300 * time.Millisecond
	logger := &captureLogger{}
	p, err := proxy.Start(proxy.Config{Upstream: up.URL, Tokens: newTokens(), GracePeriod: grace, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	addr := hostOf(t, p)
	res := getAsync(c, p.URL()+"/api/hang")
	within(t, arrived, 5*time.Second, "the request reaching the upstream")

	begin := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	err = within(t, closed, grace+5*time.Second, "Close returning")
	if n := len(logger.all()); n != 1 {
		t.Errorf("%d log lines when Close returned, want the cut-off request's: Close must wait for its handler", n)
	}
	if took := time.Since(begin); took < grace {
		t.Errorf("Close took %s, less than the grace period", took)
	}
	if !errors.Is(err, proxy.ErrCutOff) {
		t.Errorf("Close = %v, want ErrCutOff", err)
	}
	within(t, canceled, 5*time.Second, "the upstream request being cancelled")
	if r := within(t, res, 5*time.Second, "the client's answer"); r.err == nil && r.status == 200 {
		t.Errorf("the cut-off request succeeded: %d %q", r.status, r.body)
	}
	if err2 := p.Close(); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("second Close = %v, want %v", err2, err)
	}
	if !dialFails(t, addr) {
		t.Error("a connection was accepted after Close")
	}
	checkLeaks()
}

// Closing an idle proxy is quick, and repeated Closes are harmless.
func TestCloseIdle(t *testing.T) {
	up := newUpstream(t, nil)
	c := client(t)
	checkLeaks := noLeaks(t)
	p, err := proxy.Start(proxy.Config{Upstream: up.URL, Tokens: newTokens()})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // leaves keep-alive connections on both sides
		if a := get(t, c, p.URL()+"/api/x"); a.status != 200 {
			t.Fatalf("status %d", a.status)
		}
	}
	begin := time.Now()
	for i := range 3 {
		if err := p.Close(); err != nil {
			t.Errorf("Close %d = %v", i+1, err)
		}
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("closing an idle proxy took %s", took)
	}
	if !dialFails(t, hostOf(t, p)) {
		t.Error("a connection was accepted after Close")
	}
	checkLeaks()
}
