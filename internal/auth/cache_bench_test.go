package auth

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
)

// benchAdapter issues a token without any I/O, so that the cache's own cost is
// what a benchmark measures.
type benchAdapter struct {
	key   string
	auths atomic.Int64
}

func (a *benchAdapter) Key() string        { return a.key }
func (a *benchAdapter) Platform() Platform { return Smartling }

func (a *benchAdapter) Authenticate(context.Context) (*Token, error) {
	a.auths.Add(1)
	return &Token{AccessToken: "access", RefreshToken: "refresh", ExpiresIn: time.Hour, RefreshExpiresIn: 2 * time.Hour}, nil
}

func (a *benchAdapter) Refresh(context.Context, string) (*Token, error) {
	return &Token{AccessToken: "access", RefreshToken: "refresh", ExpiresIn: time.Hour, RefreshExpiresIn: 2 * time.Hour}, nil
}

// benchKeys returns n adapters with distinct keys shaped like real ones.
func benchKeys(n int) []*benchAdapter {
	out := make([]*benchAdapter, n)
	for i := range out {
		id := "bench-user-" + strconv.Itoa(i)
		out[i] = &benchAdapter{key: cacheKey(Smartling, "https://api.smartling.com/auth-api/v2/authenticate",
			[]string{id}, []string{"bench-secret-" + strconv.Itoa(i)})}
	}
	return out
}

// warm fills the cache with one token per adapter.
func warm(tb testing.TB, c *Cache, as ...*benchAdapter) {
	tb.Helper()
	for _, a := range as {
		if _, err := c.Token(context.Background(), a, ScopeState, time.Minute); err != nil {
			tb.Fatal(err)
		}
	}
}

// warmCache returns a cache on the real clock holding a token for each of n
// adapters, and the adapters.
func warmCache(tb testing.TB, n int) (*Cache, []*benchAdapter) {
	tb.Helper()
	c := NewCache(nil, nil)
	as := benchKeys(n)
	warm(tb, c, as...)
	return c, as
}

// readInParallel reads the tokens of as from every benchmark goroutine, each
// starting stride adapters after the one before and going round the list.
// A failed read fails the benchmark.
func readInParallel(b *testing.B, c *Cache, as []*benchAdapter, stride int64) {
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(stride))
		for pb.Next() {
			i++
			if _, err := c.Token(context.Background(), as[i%len(as)], ScopeState, time.Minute); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCacheHit is the path every read after the first takes: a token
// with enough validity left. It must not allocate.
func BenchmarkCacheHit(b *testing.B) {
	c, as := warmCache(b, 1)
	a := as[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := c.Token(ctx, a, ScopeState, time.Minute)
		if err != nil || r.Source != FromCache {
			b.Fatalf("source %v, err %v", r.Source, err)
		}
	}
	if n := a.auths.Load(); n != 1 {
		b.Fatalf("%d authentications, want 1", n)
	}
}

// TestCacheHitDoesNotAllocate keeps BenchmarkCacheHit's promise under go test.
func TestCacheHitDoesNotAllocate(t *testing.T) {
	c, as := warmCache(t, 1)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := c.Token(ctx, as[0], ScopeState, time.Minute); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("a cache hit allocates %.1f times, want 0", allocs)
	}
}

// BenchmarkCacheHitParallel is many reads of one credential set at once, as
// when Terraform reads a data source with count = 100 (ten at a time by
// default).
func BenchmarkCacheHitParallel(b *testing.B) {
	c, as := warmCache(b, 1)
	readInParallel(b, c, as, 1)
}

// BenchmarkCacheHitParallelDistinctKeys is hits on many unrelated credential
// sets at once: they share only the read lock, never wait for each other.
func BenchmarkCacheHitParallelDistinctKeys(b *testing.B) {
	c, as := warmCache(b, 256)
	readInParallel(b, c, as, 37)
}

// BenchmarkCacheHitWhileOtherKeyInFlight is hits on warm keys while a request
// for another key is stuck: the stuck flight must not slow them down (no lock
// is held across an adapter call).
func BenchmarkCacheHitWhileOtherKeyInFlight(b *testing.B) {
	c, as := warmCache(b, 64)
	stuck := &fakeAdapter{key: "stuck", lifetime: time.Hour, gate: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.Token(ctx, stuck, ScopeState, time.Minute)
	}()
	for stuck.authCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	readInParallel(b, c, as, 11)
	b.StopTimer()
	close(stuck.gate)
	cancel()
	<-done
}

// BenchmarkCacheMiss is the first read of a credential set: the cache misses,
// starts a flight and saves what the (instant) adapter returns.
func BenchmarkCacheMiss(b *testing.B) {
	c := NewCache(nil, nil)
	a := benchKeys(1)[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.forget(entryKey{ScopeState, a.key})
		r, err := c.Token(ctx, a, ScopeState, time.Minute)
		if err != nil || r.Source != Authenticated {
			b.Fatalf("source %v, err %v", r.Source, err)
		}
	}
}

// BenchmarkCacheRefresh is a read that finds a token with too little validity
// left and a live refresh token.
func BenchmarkCacheRefresh(b *testing.B) {
	clock := clocktest.New()
	c := NewCache(clock.Now, nil)
	a := benchKeys(1)[0]
	warm(b, c, a)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clock.Advance(59 * time.Minute) // one minute left: too little for 2m
		r, err := c.Token(ctx, a, ScopeState, 2*time.Minute)
		if err != nil || r.Source != Refreshed {
			b.Fatalf("source %v, err %v", r.Source, err)
		}
	}
}
