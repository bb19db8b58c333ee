package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
)

// fakeAdapter issues numbered tokens and counts its calls.
type fakeAdapter struct {
	key            string
	lifetime       time.Duration // the expires_in reported; 0: none, or 0 or less
	assumed        time.Duration // Token.AssumedLifetime when lifetime is 0
	refreshLife    time.Duration
	authErr        error
	refreshErr     error
	refreshShort   time.Duration // when set, refreshed tokens live this long
	gate           chan struct{} // when set, Authenticate waits for it
	refreshGate    chan struct{} // when set, Refresh waits for it
	noRefreshToken bool          // issue access tokens only
	authCalls      atomic.Int32
	refreshCalls   atomic.Int32
	issued         atomic.Int32
}

func (f *fakeAdapter) Key() string        { return f.key }
func (f *fakeAdapter) Platform() Platform { return Smartling }

func (f *fakeAdapter) Authenticate(ctx context.Context) (*Token, error) {
	if err := f.call(ctx, &f.authCalls, f.gate, f.authErr); err != nil {
		return nil, err
	}
	t := f.issue(f.lifetime)
	t.AssumedLifetime = f.assumed
	if f.noRefreshToken {
		t.RefreshToken, t.RefreshExpiresIn = "", 0
	}
	return t, nil
}

func (f *fakeAdapter) Refresh(ctx context.Context, rt string) (*Token, error) {
	if err := f.call(ctx, &f.refreshCalls, f.refreshGate, f.refreshErr); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(rt, "refresh-") {
		return nil, errors.New("bad refresh token " + rt)
	}
	life := f.lifetime
	if f.refreshShort > 0 {
		life = f.refreshShort
	}
	return f.issue(life), nil
}

// call counts a call, waits for gate when it is set, then fails with err
// when it is set.
func (f *fakeAdapter) call(ctx context.Context, calls *atomic.Int32, gate chan struct{}, err error) error {
	calls.Add(1)
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// issue mints the next numbered access and refresh token.
func (f *fakeAdapter) issue(lifetime time.Duration) *Token {
	n := f.issued.Add(1)
	return &Token{AccessToken: fmt.Sprintf("access-%d", n), RefreshToken: fmt.Sprintf("refresh-%d", n),
		ExpiresIn: lifetime, RefreshExpiresIn: f.refreshLife}
}

// wantCalls stops the test unless the adapter was asked to authenticate and
// to refresh exactly this many times.
func (f *fakeAdapter) wantCalls(t *testing.T, authenticate, refresh int32) {
	t.Helper()
	if got, gotRefresh := f.authCalls.Load(), f.refreshCalls.Load(); got != authenticate || gotRefresh != refresh {
		t.Fatalf("calls: authenticate %d refresh %d, want %d and %d", got, gotRefresh, authenticate, refresh)
	}
}

func smartlingLike(key string) *fakeAdapter {
	return &fakeAdapter{key: key, lifetime: 480 * time.Second, refreshLife: 3660 * time.Second}
}

// wantToken stops the test unless r is the access token named, obtained the
// way named.
func wantToken(t *testing.T, r Result, source Source, accessToken string) {
	t.Helper()
	if r.Source != source || r.Token.AccessToken != accessToken {
		t.Fatalf("got %v %q, want %v %q", r.Source, r.Token.AccessToken, source, accessToken)
	}
}

// newSmartlingCache is an empty cache on a fake clock and a Smartling-like
// adapter for it.
func newSmartlingCache() (*clocktest.Clock, *Cache, *fakeAdapter) {
	clock := clocktest.New()
	return clock, NewCache(clock.Now, nil), smartlingLike("k")
}

func mustToken(t *testing.T, c *Cache, a Adapter, minValidity time.Duration) Result {
	t.Helper()
	r, err := c.Token(context.Background(), a, ScopeState, minValidity)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return r
}

func TestCache_reuseWhileValid(t *testing.T) {
	t.Parallel()
	clock, c, a := newSmartlingCache()

	first := mustToken(t, c, a, time.Minute)
	wantToken(t, first, Authenticated, "access-1")
	if want := clock.Now().Add(480 * time.Second); !first.Token.ExpiresAt().Equal(want) {
		t.Fatalf("ExpiresAt = %v, want %v", first.Token.ExpiresAt(), want)
	}
	// 420 s later exactly 60 s are left: still enough for min_validity 60s.
	clock.Advance(420 * time.Second)
	second := mustToken(t, c, a, time.Minute)
	wantToken(t, second, FromCache, "access-1")
	a.wantCalls(t, 1, 0)
}

func TestCache_refreshWhenTooLittleLeft(t *testing.T) {
	t.Parallel()
	clock, c, a := newSmartlingCache()
	mustToken(t, c, a, time.Minute)

	clock.Advance(421 * time.Second) // 59 s left < 60 s
	r := mustToken(t, c, a, time.Minute)
	wantToken(t, r, Refreshed, "access-2")
	if !r.Token.IssuedAt.Equal(clock.Now()) {
		t.Fatalf("IssuedAt = %v, want the refresh time %v", r.Token.IssuedAt, clock.Now())
	}
	// The refreshed token is saved: the next call is a hit.
	if again := mustToken(t, c, a, time.Minute); again.Source != FromCache || again.Token.AccessToken != "access-2" {
		t.Fatalf("after refresh got %v %q, want cache access-2", again.Source, again.Token.AccessToken)
	}
	a.wantCalls(t, 1, 1)
}

func TestCache_authenticateWhenRefreshTokenExpired(t *testing.T) {
	t.Parallel()
	clock, c, a := newSmartlingCache()
	mustToken(t, c, a, time.Minute)

	clock.Advance(3660*time.Second - refreshMargin) // refresh token in its last seconds
	r := mustToken(t, c, a, time.Minute)
	if r.Source != Authenticated {
		t.Fatalf("source = %v, want authenticate", r.Source)
	}
	a.wantCalls(t, 2, 0)
}

func TestCache_failedRefreshLeadsToAuthenticate(t *testing.T) {
	t.Parallel()
	for name, refreshErr := range map[string]error{
		// The session hit its cap: the API rejects the refresh with 401.
		"rejected": &Error{Platform: Smartling, Operation: OpRefresh, Kind: KindRejected, Status: 401, Code: "AUTHENTICATION_ERROR"},
		"network":  &Error{Platform: Smartling, Operation: OpRefresh, Kind: KindNetwork},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clock, c, a := newSmartlingCache()
			mustToken(t, c, a, time.Minute)

			a.refreshErr = refreshErr
			clock.Advance(450 * time.Second)
			r := mustToken(t, c, a, time.Minute)
			wantToken(t, r, Authenticated, "access-2")
			a.wantCalls(t, 2, 1)
		})
	}
}

func TestCache_refreshedTooShortAuthenticatesAgain(t *testing.T) {
	t.Parallel()
	clock, c, a := newSmartlingCache()
	mustToken(t, c, a, time.Minute)

	// Near the session cap a refresh yields a token with 30 s left.
	a.refreshShort = 30 * time.Second
	clock.Advance(450 * time.Second)
	r := mustToken(t, c, a, time.Minute)
	if r.Source != Authenticated || r.ShortLived {
		t.Fatalf("got %v short=%v, want a full new session", r.Source, r.ShortLived)
	}
	if r.Token.ExpiresIn != 480*time.Second {
		t.Fatalf("ExpiresIn = %v, want 480s", r.Token.ExpiresIn)
	}
	a.wantCalls(t, 2, 1)
}

func TestCache_shortLivedPlatformWarns(t *testing.T) {
	t.Parallel()
	_, c, a := newSmartlingCache()

	r := mustToken(t, c, a, 10*time.Minute) // tokens live 480 s < 600 s
	if r.Source != Authenticated || !r.ShortLived {
		t.Fatalf("got %v short=%v, want authenticate with ShortLived", r.Source, r.ShortLived)
	}
	if ok := mustToken(t, c, a, time.Minute); ok.Source != FromCache || ok.ShortLived {
		t.Fatalf("a smaller min_validity got %v short=%v, want the cached token", ok.Source, ok.ShortLived)
	}
}

// TestCache_lifetimesTheAPILeavesOpen checks the two rules for an answer
// without a usable lifetime: no expires_in means the platform's assumed
// lifetime (never forever), and expires_in of 0 or less means the token is
// never handed out again. What the API reported stays apart: ExpiresAt is
// zero in both cases.
func TestCache_lifetimesTheAPILeavesOpen(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		adapter *fakeAdapter
		// reusedFor is how long the token is handed out again (0: never).
		reusedFor time.Duration
	}{
		{"no expires_in: reused for the assumed lifetime", &fakeAdapter{key: "k", assumed: 1799 * time.Second}, 1799 * time.Second},
		{"expires_in of 0 or less: never reused", &fakeAdapter{key: "k"}, 0},
		{"no expires_in and no refresh token: reused for the assumed lifetime",
			&fakeAdapter{key: "k", assumed: 1799 * time.Second, noRefreshToken: true}, 1799 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := clocktest.New()
			c := NewCache(clock.Now, nil)
			a := tc.adapter
			minValidity := time.Minute

			first := mustToken(t, c, a, minValidity)
			if !first.Token.ExpiresAt().IsZero() || first.Token.ExpiresIn != 0 {
				t.Fatalf("ExpiresIn = %v ExpiresAt = %v, want both zero: the API reported no lifetime", first.Token.ExpiresIn, first.Token.ExpiresAt())
			}
			if tc.reusedFor > 0 {
				clock.Advance(tc.reusedFor - minValidity)
				if r := mustToken(t, c, a, minValidity); r.Source != FromCache || r.Token.AccessToken != first.Token.AccessToken {
					t.Fatalf("with min_validity left of the assumed lifetime: source = %v, want the cached token", r.Source)
				}
			}
			clock.Advance(time.Second)
			r := mustToken(t, c, a, minValidity)
			if r.Source == FromCache || r.Token.AccessToken == first.Token.AccessToken {
				t.Fatalf("after %v: source = %v token %q, want a new token", tc.reusedFor, r.Source, r.Token.AccessToken)
			}
		})
	}
}

func TestCache_errorsAreNotCached(t *testing.T) {
	t.Parallel()
	c := NewCache(clocktest.New().Now, nil)
	a := smartlingLike("k")
	// Not a rejection of the credentials: those are remembered (see
	// TestCache_rejectedCredentialsAreRemembered).
	a.authErr = &Error{Platform: Smartling, Operation: OpAuthenticate, Kind: KindServer, Status: 503}
	if _, err := c.Token(context.Background(), a, ScopeState, time.Minute); err == nil {
		t.Fatal("want an error")
	}
	a.authErr = nil
	if r := mustToken(t, c, a, time.Minute); r.Source != Authenticated {
		t.Fatalf("source = %v, want authenticate", r.Source)
	}
	if a.authCalls.Load() != 2 {
		t.Fatalf("authenticate calls = %d, want 2", a.authCalls.Load())
	}
}

func TestCache_concurrentCallersShareOneRequest(t *testing.T) {
	t.Parallel()
	c := NewCache(clocktest.New().Now, nil)
	a := smartlingLike("k")
	a.gate = make(chan struct{})

	const callers = 50
	var wg sync.WaitGroup
	tokens := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Token(context.Background(), a, ScopeState, time.Minute)
			tokens[i], errs[i] = r.Token.AccessToken, err
		}()
	}
	// Let the callers pile up on the flight, then let it finish.
	for a.authCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(a.gate)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || tokens[i] != "access-1" {
			t.Fatalf("caller %d: %q %v, want access-1", i, tokens[i], errs[i])
		}
	}
	if n := a.authCalls.Load(); n != 1 {
		t.Fatalf("authenticate calls = %d, want 1", n)
	}
}

func TestCache_unrelatedKeysDoNotWait(t *testing.T) {
	t.Parallel()
	c := NewCache(clocktest.New().Now, nil)
	slow := smartlingLike("slow")
	slow.gate = make(chan struct{})
	defer close(slow.gate)
	go func() { _, _ = c.Token(context.Background(), slow, ScopeState, time.Minute) }()
	for slow.authCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Token(ctx, smartlingLike("fast"), ScopeState, time.Minute); err != nil {
		t.Fatalf("an unrelated key waited for a pending one: %v", err)
	}
}

func TestCache_callerCancelStopsWaiting(t *testing.T) {
	t.Parallel()
	c := NewCache(clocktest.New().Now, nil)
	a := smartlingLike("k")
	a.gate = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Token(ctx, a, ScopeState, time.Minute)
		done <- err
	}()
	for a.authCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	err := <-done
	if e, ok := AsError(err); !ok || e.Kind != KindCanceled {
		t.Fatalf("err = %v, want a canceled *Error", err)
	}
	// The flight goes on for others and saves its token.
	close(a.gate)
	if r := mustToken(t, c, a, time.Minute); r.Token.AccessToken != "access-1" {
		t.Fatalf("got %q, want the flight's access-1", r.Token.AccessToken)
	}
}

func TestCache_sharedFlightHonoursEachCallersMinValidity(t *testing.T) {
	t.Parallel()
	clock, c, a := newSmartlingCache()
	mustToken(t, c, a, time.Minute)
	clock.Advance(300 * time.Second) // 180 s left

	// A caller that needs 60 s gets the cached token; one that needs 240 s
	// must not be handed that same token.
	if r := mustToken(t, c, a, time.Minute); r.Source != FromCache {
		t.Fatalf("source = %v, want cache", r.Source)
	}
	r := mustToken(t, c, a, 4*time.Minute)
	if r.Source != Refreshed || !r.Token.validFor(clock.Now(), 4*time.Minute) {
		t.Fatalf("got %v valid-for-4m=%v, want a refreshed token", r.Source, r.Token.validFor(clock.Now(), 4*time.Minute))
	}
}

// waitFor polls cond until it holds, failing the test after five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCache_scopesNeverShareAToken(t *testing.T) {
	t.Parallel()
	t.Run("state then ephemeral", func(t *testing.T) {
		t.Parallel()
		c := NewCache(clocktest.New().Now, nil)
		a := smartlingLike("k")
		state, err := c.Token(context.Background(), a, ScopeState, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		eph, err := c.Token(context.Background(), a, ScopeEphemeral, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if state.Token.AccessToken == eph.Token.AccessToken || eph.Source != Authenticated {
			t.Fatalf("ephemeral got %q from %v, the data source %q: want a token of its own", eph.Token.AccessToken, eph.Source, state.Token.AccessToken)
		}
		if n := a.authCalls.Load(); n != 2 {
			t.Fatalf("authenticate calls = %d, want 2 (one per scope)", n)
		}
		// Each scope keeps its own token.
		for scope, want := range map[Scope]string{ScopeState: state.Token.AccessToken, ScopeEphemeral: eph.Token.AccessToken} {
			r, err := c.Token(context.Background(), a, scope, time.Minute)
			if err != nil || r.Source != FromCache || r.Token.AccessToken != want {
				t.Errorf("%v: got %q from %v (%v), want %q from the cache", scope, r.Token.AccessToken, r.Source, err, want)
			}
		}
	})
	t.Run("concurrent requests of two scopes share no flight", func(t *testing.T) {
		t.Parallel()
		c := NewCache(clocktest.New().Now, nil)
		a := smartlingLike("k")
		a.gate = make(chan struct{})
		got := make(chan string, 2)
		for _, scope := range []Scope{ScopeState, ScopeEphemeral} {
			go func() {
				r, err := c.Token(context.Background(), a, scope, time.Minute)
				if err != nil {
					t.Error(err)
				}
				got <- r.Token.AccessToken
			}()
		}
		// Both flights reach the adapter while neither has finished.
		waitFor(t, "both scopes authenticate", func() bool { return a.authCalls.Load() == 2 })
		close(a.gate)
		if x, y := <-got, <-got; x == y {
			t.Fatalf("both scopes got %q", x)
		}
	})
}

func TestCache_invalidate(t *testing.T) {
	t.Parallel()
	t.Run("the next Token refreshes", func(t *testing.T) {
		t.Parallel()
		c := NewCache(clocktest.New().Now, nil)
		a := smartlingLike("k")
		first := mustToken(t, c, a, time.Minute)
		c.Invalidate(a, ScopeState, first.Token.AccessToken)
		r := mustToken(t, c, a, time.Minute)
		if r.Source != Refreshed || r.Token.AccessToken == first.Token.AccessToken {
			t.Fatalf("after Invalidate got %q from %v, want a refreshed token", r.Token.AccessToken, r.Source)
		}
		a.wantCalls(t, 1, 1)
		if again := mustToken(t, c, a, time.Minute); again.Source != FromCache || again.Token.AccessToken != r.Token.AccessToken {
			t.Fatalf("then got %q from %v, want the refreshed token from the cache", again.Token.AccessToken, again.Source)
		}
	})
	t.Run("without a refresh token the next Token authenticates", func(t *testing.T) {
		t.Parallel()
		c := NewCache(clocktest.New().Now, nil)
		a := &fakeAdapter{key: "k", lifetime: time.Hour, noRefreshToken: true} // as SmartConnect may
		a.refreshErr = errors.New("no refresh expected")
		first := mustToken(t, c, a, time.Minute)
		c.Invalidate(a, ScopeState, first.Token.AccessToken)
		if r := mustToken(t, c, a, time.Minute); r.Source != Authenticated {
			t.Fatalf("got %v, want authenticate", r.Source)
		}
		a.wantCalls(t, 2, 0)
	})
	t.Run("a stale token is ignored", func(t *testing.T) {
		t.Parallel()
		clock, c, a := newSmartlingCache()
		first := mustToken(t, c, a, time.Minute)
		clock.Advance(450 * time.Second)
		second := mustToken(t, c, a, time.Minute) // refreshed: first is replaced
		c.Invalidate(a, ScopeState, first.Token.AccessToken)
		if r := mustToken(t, c, a, time.Minute); r.Source != FromCache || r.Token.AccessToken != second.Token.AccessToken {
			t.Fatalf("got %q from %v, want %q from the cache", r.Token.AccessToken, r.Source, second.Token.AccessToken)
		}
		a.wantCalls(t, 1, 1)
	})
	t.Run("the other scope's token is kept", func(t *testing.T) {
		t.Parallel()
		c := NewCache(clocktest.New().Now, nil)
		a := smartlingLike("k")
		state := mustToken(t, c, a, time.Minute)
		eph, err := c.Token(context.Background(), a, ScopeEphemeral, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		c.Invalidate(a, ScopeEphemeral, state.Token.AccessToken) // not the ephemeral token
		c.Invalidate(a, ScopeState, eph.Token.AccessToken)       // not the state token
		for scope, want := range map[Scope]string{ScopeState: state.Token.AccessToken, ScopeEphemeral: eph.Token.AccessToken} {
			if r, _ := c.Token(context.Background(), a, scope, time.Minute); r.Source != FromCache || r.Token.AccessToken != want {
				t.Errorf("%v: got %q from %v, want %q from the cache", scope, r.Token.AccessToken, r.Source, want)
			}
		}
	})
	t.Run("concurrent Token calls after Invalidate make one refresh", func(t *testing.T) {
		t.Parallel()
		c := NewCache(clocktest.New().Now, nil)
		a := smartlingLike("k")
		first := mustToken(t, c, a, time.Minute)
		a.refreshGate = make(chan struct{})
		c.Invalidate(a, ScopeState, first.Token.AccessToken)
		const callers = 20
		var wg sync.WaitGroup
		tokens := make([]string, callers)
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := c.Token(context.Background(), a, ScopeState, time.Minute)
				if err != nil {
					t.Error(err)
				}
				tokens[i] = r.Token.AccessToken
			}()
		}
		waitFor(t, "the refresh starts", func() bool { return a.refreshCalls.Load() == 1 })
		time.Sleep(20 * time.Millisecond) // let the others pile up on the flight
		close(a.refreshGate)
		wg.Wait()
		for i, tok := range tokens {
			if tok != "access-2" {
				t.Errorf("caller %d got %q, want access-2", i, tok)
			}
		}
		a.wantCalls(t, 1, 1)
	})
}

func TestCache_rejectedCredentialsAreRemembered(t *testing.T) {
	t.Parallel()
	rejected := func(status int, kind ErrorKind, code string) *Error {
		return &Error{Platform: EasyTranslate, Operation: OpAuthenticate, Status: status, Kind: kind, Code: code, Attempts: 1}
	}
	cases := []struct {
		name     string
		err      error
		remember bool
	}{
		{"401 without a code", rejected(401, KindRejected, ""), true},
		{"401 invalid_client", rejected(401, KindRejected, "invalid_client"), true},
		{"400 invalid_grant", rejected(400, KindRejected, "invalid_grant"), true},
		{"400 invalid_client", rejected(400, KindRejected, "invalid_client"), true},
		{"invalid_grant in a 200", rejected(200, KindRejected, "invalid_grant"), true},
		{"Smartling 401 AUTHENTICATION_ERROR", rejected(401, KindRejected, "AUTHENTICATION_ERROR"), true},
		{"Smartling AUTHENTICATION_ERROR in a 400", rejected(400, KindRejected, "AUTHENTICATION_ERROR"), true},
		{"400 invalid_request", rejected(400, KindRejected, "invalid_request"), false},
		{"400 unsupported_grant_type", rejected(400, KindRejected, "unsupported_grant_type"), false},
		{"403 AUTHORIZATION_ERROR", rejected(403, KindRejected, "AUTHORIZATION_ERROR"), false},
		{"429 after retries", rejected(429, KindRateLimited, "MAX_OPERATIONS_LIMIT_EXCEEDED"), false},
		{"503 after retries", rejected(503, KindServer, "invalid_grant"), false},
		{"500 invalid_client", rejected(500, KindServer, "invalid_client"), false},
		{"network error", &Error{Platform: EasyTranslate, Operation: OpAuthenticate, Kind: KindNetwork}, false},
		{"timeout", &Error{Platform: EasyTranslate, Operation: OpAuthenticate, Kind: KindTimeout}, false},
		{"not an *Error", errors.New("boom"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := NewCache(clocktest.New().Now, nil)
			a := smartlingLike("k")
			a.authErr = tc.err
			_, first := c.Token(context.Background(), a, ScopeState, time.Minute)
			if first == nil {
				t.Fatal("want an error")
			}
			for _, scope := range []Scope{ScopeState, ScopeEphemeral, ScopeState} {
				_, err := c.Token(context.Background(), a, scope, time.Minute)
				if err == nil {
					t.Fatal("want an error")
				}
				if !tc.remember {
					continue
				}
				e := mustError(t, err)
				want := *mustError(t, tc.err)
				want.Repeated = true
				if *e != want {
					t.Errorf("%v: got  %+v\nwant %+v", scope, *e, want)
				}
				containsAll(t, err.Error(), "not sent again: this credential set was rejected earlier in this run")
			}
			wantCalls := int32(4)
			if tc.remember {
				wantCalls = 1
			}
			if n := a.authCalls.Load(); n != wantCalls {
				t.Errorf("authenticate calls = %d, want %d", n, wantCalls)
			}
		})
	}
}

func TestCache_rejectedRefreshDoesNotPoisonTheCredentials(t *testing.T) {
	t.Parallel()
	clock, c, a := newSmartlingCache()
	mustToken(t, c, a, time.Minute)
	// Past Smartling's session cap a refresh answers 401.
	a.refreshErr = &Error{Platform: Smartling, Operation: OpRefresh, Kind: KindRejected, Status: 401, Code: "AUTHENTICATION_ERROR"}
	for i := range 3 {
		clock.Advance(450 * time.Second)
		if r := mustToken(t, c, a, time.Minute); r.Source != Authenticated {
			t.Fatalf("read %d: got %v, want authenticate after the rejected refresh", i, r.Source)
		}
	}
	a.wantCalls(t, 4, 3)
}

// If the platform's tokens live shorter than min_validity, the freshest token
// is reused while it has half its lifetime left, and the caller is told to
// warn once per credential set.
func TestCache_shortLivedTokensAreReusedWhileHalfTheirLifeIsLeft(t *testing.T) {
	t.Parallel()
	type read struct {
		after  time.Duration // clock advance before the read
		key    string
		scope  Scope
		source Source
		short  bool
		warn   bool
	}
	cases := []struct {
		name         string
		refreshShort time.Duration // a refresh near the session cap yields this lifetime
		reads        []read
		auths        int32
		refreshes    int32
	}{
		{
			name: "480 s tokens, min_validity 15m: ten reads within 4 min, then one past half-life",
			reads: []read{
				{0, "k", ScopeState, Authenticated, true, true},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{26 * time.Second, "k", ScopeState, FromCache, true, false},
				{32 * time.Second, "k", ScopeState, FromCache, true, false}, // the 10th read, at 240 s: exactly half left
				{1 * time.Second, "k", ScopeState, Refreshed, true, false},  // 241 s: past half-life
				{1 * time.Second, "k", ScopeState, FromCache, true, false},
			},
			auths: 1, refreshes: 1,
		},
		{
			name: "one warning per credential set, whatever the scope",
			reads: []read{
				{0, "k", ScopeState, Authenticated, true, true},
				{0, "k", ScopeEphemeral, Authenticated, true, false},
				{0, "other", ScopeEphemeral, Authenticated, true, true},
				{241 * time.Second, "k", ScopeEphemeral, Refreshed, true, false},
				{0, "other", ScopeState, Authenticated, true, false},
			},
			auths: 4, refreshes: 1,
		},
		{
			name:         "a refresh shorter than a new session authenticates again",
			refreshShort: 100 * time.Second,
			reads: []read{
				{0, "k", ScopeState, Authenticated, true, true},
				{241 * time.Second, "k", ScopeState, Authenticated, true, false},
				{10 * time.Second, "k", ScopeState, FromCache, true, false},
			},
			auths: 2, refreshes: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := clocktest.New()
			c := NewCache(clock.Now, nil)
			adapters := map[string]*fakeAdapter{}
			var auths, refreshes int32
			for i, rd := range tc.reads {
				a := adapters[rd.key]
				if a == nil {
					a = smartlingLike(rd.key)
					a.refreshShort = tc.refreshShort
					adapters[rd.key] = a
				}
				clock.Advance(rd.after)
				r, err := c.Token(context.Background(), a, rd.scope, 15*time.Minute)
				if err != nil {
					t.Fatalf("read %d: %v", i, err)
				}
				if r.Source != rd.source || r.ShortLived != rd.short || r.Warn != rd.warn {
					t.Errorf("read %d (%s, %v): source %v short %v warn %v; want %v %v %v",
						i, rd.key, rd.scope, r.Source, r.ShortLived, r.Warn, rd.source, rd.short, rd.warn)
				}
				if left := r.Token.ExpiresAt().Sub(clock.Now()); left < r.Token.ExpiresIn/2 {
					t.Errorf("read %d: a token with %v of %v left, less than half", i, left, r.Token.ExpiresIn)
				}
			}
			for _, a := range adapters {
				auths += a.authCalls.Load()
				refreshes += a.refreshCalls.Load()
			}
			if auths != tc.auths || refreshes != tc.refreshes {
				t.Errorf("calls: authenticate %d refresh %d, want %d and %d", auths, refreshes, tc.auths, tc.refreshes)
			}
		})
	}
}
