package auth

import (
	"context"
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
	// validity asked for: the platform issues no longer-lived tokens.
	ShortLived bool
}

// Clock returns the current time; tests inject their own.
type Clock func() time.Time

// Cache keeps one token per credential set (Adapter.Key) and decides between
// reusing it, refreshing it and authenticating again:
//  1. a saved access token with at least minValidity left is returned as it is;
//  2. else, if a saved refresh token has not expired, the token is refreshed;
//  3. else, or if the refresh fails or yields too short a token, the adapter
//     authenticates again.
//
// Concurrent requests for one key share one HTTP call; requests for different
// keys never wait for each other.
type Cache struct {
	now     Clock
	log     Logger
	mu      sync.RWMutex
	entries map[string]*Token
	flights singleflight.Group
}

// NewCache returns an empty cache. A nil clock means time.Now.
func NewCache(now Clock, log Logger) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{now: now, log: log, entries: map[string]*Token{}}
}

// Token returns a token of a's credential set that stays valid for at least
// minValidity, from the cache when it can.
func (c *Cache) Token(ctx context.Context, a Adapter, minValidity time.Duration) (Result, error) {
	key := a.Key()
	if t, ok := c.fresh(key, minValidity); ok {
		return Result{Token: *t, Source: FromCache}, nil
	}
	// The flight outlives a caller that gives up: the others may still want
	// its token. Its HTTP client bounds it with timeouts and retries.
	flightCtx := context.WithoutCancel(ctx)
	for retried := false; ; retried = true {
		ch := c.flights.DoChan(key, func() (any, error) {
			return c.obtain(flightCtx, a, minValidity)
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
		if !r.Shared {
			return res, nil
		}
		// The flight ran for another caller, who may have asked for less
		// validity than this one.
		res.ShortLived = !res.Token.validFor(c.now(), minValidity)
		if !res.ShortLived || res.Source == Authenticated || retried {
			return res, nil
		}
	}
}

// forget drops the saved token of a key.
func (c *Cache) forget(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

func (c *Cache) fresh(key string, minValidity time.Duration) (*Token, bool) {
	c.mu.RLock()
	t := c.entries[key]
	c.mu.RUnlock()
	if t != nil && t.validFor(c.now(), minValidity) {
		return t, true
	}
	return t, false
}

func (c *Cache) save(key string, t *Token) {
	c.mu.Lock()
	c.entries[key] = t
	c.mu.Unlock()
}

func (c *Cache) obtain(ctx context.Context, a Adapter, minValidity time.Duration) (Result, error) {
	key := a.Key()
	saved, ok := c.fresh(key, minValidity)
	if ok {
		return Result{Token: *saved, Source: FromCache}, nil
	}
	if saved != nil && saved.RefreshToken != "" && c.refreshUsable(saved) {
		start := c.now()
		t, err := a.Refresh(ctx, saved.RefreshToken)
		if err == nil {
			t.IssuedAt = start
			c.save(key, t)
			if t.validFor(c.now(), minValidity) {
				c.debug(ctx, a, "token refreshed", t)
				return Result{Token: *t, Source: Refreshed}, nil
			}
			c.debug(ctx, a, "refreshed token too short-lived, authenticating again", t)
		} else {
			if ctx.Err() != nil {
				return Result{}, err
			}
			c.debug(ctx, a, "refresh failed, authenticating again: "+err.Error(), nil)
			c.forget(key)
		}
	}
	start := c.now()
	t, err := a.Authenticate(ctx)
	if err != nil {
		return Result{}, err
	}
	t.IssuedAt = start
	c.save(key, t)
	c.debug(ctx, a, "token obtained", t)
	return Result{Token: *t, Source: Authenticated, ShortLived: !t.validFor(c.now(), minValidity)}, nil
}

func (c *Cache) refreshUsable(t *Token) bool {
	exp := t.RefreshExpiresAt()
	return exp.IsZero() || c.now().Add(refreshMargin).Before(exp)
}

func (c *Cache) debug(ctx context.Context, a Adapter, msg string, t *Token) {
	if c.log == nil {
		return
	}
	fields := map[string]any{"platform": string(a.Platform())}
	if t != nil {
		fields["expires_in_s"] = int64(t.ExpiresIn / time.Second)
		if exp := t.ExpiresAt(); !exp.IsZero() {
			fields["expires_at"] = exp.UTC().Format(time.RFC3339)
		}
		fields["has_refresh_token"] = t.RefreshToken != ""
	}
	c.log.Debug(ctx, msg, fields)
}
