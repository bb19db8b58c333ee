package auth

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Source says how the cache produced a token.
type Source int

// Token sources.
const (
	FromCache Source = iota
	Refreshed
	Authenticated
)

func (s Source) String() string {
	switch s {
	case FromCache:
		return "cache"
	case Refreshed:
		return "refresh"
	default:
		return "authenticate"
	}
}

// refreshMargin keeps a refresh token from being used in its last seconds,
// when the request could arrive after it expired.
const refreshMargin = 10 * time.Second

// Result is a token and how it was obtained.
type Result struct {
	Token  Token
	Source Source
	// ShortLived is set when even a new token lives shorter than the minimum
	// validity asked for: the platform issues no longer-lived tokens. The
	// token is then the freshest there can be, with at least half its
	// lifetime left.
	ShortLived bool
	// Warn is set on the first short-lived result of a credential set in
	// this Cache, so that a caller warns once per credential set.
	Warn bool
}

// Scope keeps apart token uses that must never share a token.
type Scope uint8

// The scopes.
const (
	ScopeState     Scope = iota // data sources: the token is written to state
	ScopeEphemeral              // ephemeral resources and proxies: never in state
)

func (s Scope) String() string {
	if s == ScopeEphemeral {
		return "ephemeral"
	}
	return "state"
}

// Clock returns the current time; tests inject their own.
type Clock func() time.Time

// Cache keeps one token per credential set (Adapter.Key) and Scope, and
// decides between reusing it, refreshing it and authenticating again:
//  1. a saved access token with at least minValidity left is returned as it is;
//  2. else, if a saved refresh token has not expired, the token is refreshed;
//  3. else, or if the refresh fails or yields too short a token, the adapter
//     authenticates again.
//
// If the platform's tokens live shorter than minValidity, rule 1 reuses the
// freshest token while it has at least half its lifetime left.
//
// A token's lifetime for reuse is the one the API reported; for an answer
// without one, the platform's default (Token.AssumedLifetime), never
// forever; a reported lifetime of 0 or less means the token is never handed
// out again.
//
// A credential set that the platform rejected on authentication (see
// credentialsRejected) is not sent again for the life of the Cache: later
// requests get the same error, marked Repeated, without a request.
//
// Concurrent requests for one credential set and scope share one HTTP call;
// other requests never wait for them. The scopes of one credential set never
// share a token: a data source's token goes to state, an ephemeral one must
// not.
type Cache struct {
	now     Clock
	log     Logger
	mu      sync.RWMutex
	entries map[entryKey]*entry
	flights singleflight.Group
	// rejected holds, by Adapter.Key, the error with which the platform
	// rejected a credential set: it is not sent again, in any scope.
	rejected map[string]*Error
	// warned holds the Adapter.Keys that got a short-lived result.
	warned map[string]bool
}

// entryKey is a credential set (Adapter.Key) in a scope: the scopes of one
// credential set never share a token, nor a flight.
type entryKey struct {
	scope Scope
	key   string
}

// flightKey names k's flight. The scope's digits end at the first "|", so
// distinct entry keys have distinct flight names.
func (k entryKey) flightKey() string { return strconv.Itoa(int(k.scope)) + "|" + k.key }

// entry is a saved token. Entries are replaced, never changed in place:
// readers hold them without the lock.
type entry struct {
	tok Token
	// authLifetime is the lifetime of the last token an authentication
	// issued in this entry's line: the longest the platform gives (0: none).
	authLifetime time.Duration
}

// serves reports whether e's token serves a caller who needs minValidity,
// and whether only as a short-lived token. That is the case when the
// platform issues no token living minValidity (a new session lives
// authLifetime), the token is as long-lived as a new one, and at least half
// its lifetime is left: the freshest token there can be is reused until then.
func (e *entry) serves(now time.Time, minValidity time.Duration) (ok, short bool) {
	if e == nil {
		return false, false
	}
	t := &e.tok
	if t.validFor(now, minValidity) {
		return true, false
	}
	life := t.Lifetime()
	if t.AccessToken == "" || e.authLifetime <= 0 || e.authLifetime >= minValidity || life < e.authLifetime {
		return false, false
	}
	return !t.IssuedAt.Add(life).Before(now.Add(life / 2)), true
}

// NewCache returns an empty cache. A nil clock means time.Now.
func NewCache(now Clock, log Logger) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{now: now, log: log, entries: map[entryKey]*entry{}, rejected: map[string]*Error{}, warned: map[string]bool{}}
}

// Now is the time on the cache's clock.
func (c *Cache) Now() time.Time { return c.now() }

// Token returns a token of a's credential set that stays valid for at least
// minValidity, from the cache when it can. Tokens of one scope are never
// returned in another. If the platform's tokens live shorter than
// minValidity, the freshest token is returned while it has half its lifetime
// left, with ShortLived set (and Warn, the first time for a's credential
// set).
func (c *Cache) Token(ctx context.Context, a Adapter, scope Scope, minValidity time.Duration) (Result, error) {
	k := entryKey{scope, a.Key()}
	if e := c.entry(k); e != nil {
		if ok, short := e.serves(c.now(), minValidity); ok {
			return c.warnOnce(k, Result{Token: e.tok, Source: FromCache, ShortLived: short}), nil
		}
	}
	// The flight outlives a caller that gives up: the others may still want
	// its token. Its HTTP client bounds it with timeouts and retries.
	flightCtx := context.WithoutCancel(ctx)
	for retried := false; ; retried = true {
		ch := c.flights.DoChan(k.flightKey(), func() (any, error) {
			return c.obtain(flightCtx, a, k, minValidity)
		})
		var r singleflight.Result
		select {
		case <-ctx.Done():
			return Result{}, &Error{Platform: a.Platform(), Operation: OpAuthenticate, Kind: KindCanceled,
				Detail: "the operation was canceled while waiting for a token", Err: ctx.Err()}
		case r = <-ch:
		}
		if r.Err != nil {
			return Result{}, r.Err
		}
		res, _ := r.Val.(Result)
		if r.Shared {
			// The flight ran for another caller, who may have asked for
			// less validity than this one.
			ok, short := res.Token.validFor(c.now(), minValidity), false
			if e := c.entry(k); e != nil && e.tok.AccessToken == res.Token.AccessToken {
				ok, short = e.serves(c.now(), minValidity)
			}
			if !ok && res.Source != Authenticated && !retried {
				continue
			}
			res.ShortLived = short || !ok
		}
		return c.warnOnce(k, res), nil
	}
}

// warnOnce sets r.Warn on the first short-lived result of k's credential set.
func (c *Cache) warnOnce(k entryKey, r Result) Result {
	if !r.ShortLived {
		return r
	}
	c.mu.RLock()
	warned := c.warned[k.key]
	c.mu.RUnlock()
	if warned {
		return r
	}
	c.mu.Lock()
	r.Warn = !c.warned[k.key]
	c.warned[k.key] = true
	c.mu.Unlock()
	return r
}

// Invalidate drops accessToken if it is still the saved token of a in scope
// (the API answered 401 to it), keeping the refresh token, so that the next
// Token refreshes or authenticates. It is a no-op for any other token.
func (c *Cache) Invalidate(a Adapter, scope Scope, accessToken string) {
	k := entryKey{scope, a.Key()}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[k]
	if e == nil || accessToken == "" || e.tok.AccessToken != accessToken {
		return
	}
	kept := *e
	kept.tok.AccessToken = ""
	c.entries[k] = &kept
}

// forget drops the saved token of k.
func (c *Cache) forget(k entryKey) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

func (c *Cache) entry(k entryKey) *entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.entries[k]
}

func (c *Cache) save(k entryKey, e *entry) {
	c.mu.Lock()
	c.entries[k] = e
	c.mu.Unlock()
}

func (c *Cache) obtain(ctx context.Context, a Adapter, k entryKey, minValidity time.Duration) (Result, error) {
	saved := c.entry(k)
	if ok, short := saved.serves(c.now(), minValidity); ok {
		return Result{Token: saved.tok, Source: FromCache, ShortLived: short}, nil
	}
	if saved != nil && saved.tok.RefreshToken != "" && c.refreshUsable(&saved.tok) {
		start := c.now()
		t, err := a.Refresh(ctx, saved.tok.RefreshToken)
		if err == nil {
			t.IssuedAt = start
			e := &entry{tok: *t, authLifetime: saved.authLifetime}
			c.save(k, e)
			if ok, short := e.serves(c.now(), minValidity); ok {
				c.debug(ctx, a, k, "token refreshed", t)
				return Result{Token: *t, Source: Refreshed, ShortLived: short}, nil
			}
			c.debug(ctx, a, k, "refreshed token too short-lived, authenticating again", t)
		} else {
			if ctx.Err() != nil {
				return Result{}, err
			}
			c.debug(ctx, a, k, "refresh failed, authenticating again: "+err.Error(), nil)
			c.forget(k)
		}
	}
	if err := c.rejection(k.key); err != nil {
		return Result{}, err
	}
	start := c.now()
	t, err := a.Authenticate(ctx)
	if err != nil {
		if credentialsRejected(err) {
			c.reject(k.key, err)
		}
		return Result{}, err
	}
	t.IssuedAt = start
	c.save(k, &entry{tok: *t, authLifetime: t.Lifetime()})
	c.debug(ctx, a, k, "token obtained", t)
	return Result{Token: *t, Source: Authenticated, ShortLived: !t.validFor(c.now(), minValidity)}, nil
}

// reject remembers that the platform rejected the credential set of key.
func (c *Cache) reject(key string, err error) {
	e, _ := AsError(err)
	c.mu.Lock()
	c.rejected[key] = e
	c.mu.Unlock()
}

// rejection returns the error with which the platform rejected the
// credential set of key, marked as not sent again; nil if it did not.
func (c *Cache) rejection(key string) error {
	c.mu.RLock()
	e := c.rejected[key]
	c.mu.RUnlock()
	if e == nil {
		return nil
	}
	again := *e
	again.Repeated = true
	return &again
}

func (c *Cache) refreshUsable(t *Token) bool {
	exp := t.RefreshExpiresAt()
	return exp.IsZero() || c.now().Add(refreshMargin).Before(exp)
}

func (c *Cache) debug(ctx context.Context, a Adapter, k entryKey, msg string, t *Token) {
	if c.log == nil {
		return
	}
	fields := map[string]any{"platform": string(a.Platform()), "scope": k.scope.String()}
	if t != nil {
		fields["expires_in_s"] = int64(t.ExpiresIn / time.Second)
		if exp := t.ExpiresAt(); !exp.IsZero() {
			fields["expires_at"] = exp.UTC().Format(time.RFC3339)
		}
		fields["has_refresh_token"] = t.RefreshToken != ""
	}
	c.log.Debug(ctx, msg, fields)
}
