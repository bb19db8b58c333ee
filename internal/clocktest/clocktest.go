// Package clocktest is the one fake clock of the project's tests: the token
// cache, the mock APIs and the proxy take a clock (a Now function, and where
// they wait, a Sleep function), and every test that needs to move time does
// it through a Clock from here. It imports no testing package, so that test
// helpers in any package can use it.
package clocktest

import (
	"context"
	"sync"
	"time"
)

// Start is the time a Clock from New shows first.
var Start = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// Clock is a clock that moves only when told to. It is safe for concurrent use.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

// New returns a clock showing Start.
func New() *Clock { return At(Start) }

// At returns a clock showing t.
func At(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Sleep records a wait of d and moves the clock forward by it at once,
// instead of waiting; it returns ctx's error if ctx has ended. It fits code
// that takes a func(context.Context, time.Duration) error to wait with.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.t = c.t.Add(d)
	return nil
}

// Waits returns the waits Sleep recorded, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}
