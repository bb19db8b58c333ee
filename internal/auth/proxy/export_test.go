package proxy

import (
	"net/http"

	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
)

// NewHandler returns the proxy's handler and its prefix, for serving it some
// other way (tests, benchmarks): requests must come to /<prefix>/X. If
// cfg.Transport is nil the handler gets a pooled transport that nothing
// closes; pass one to control idle connections.
func NewHandler(cfg Config) (http.Handler, string, error) {
	if _, err := ownTransport(&cfg); err != nil {
		return nil, "", err
	}
	h, err := newHandler(cfg)
	if err != nil {
		return nil, "", err
	}
	return h, h.prefix, nil
}

// WithClock returns cfg with the retry waits taken from c: they are recorded
// (c.Waits) and move c, instead of sleeping.
func WithClock(cfg Config, c *clocktest.Clock) Config {
	cfg.now, cfg.sleep = c.Now, c.Sleep
	return cfg
}

// WithMaxConns returns cfg with at most n client connections open at once.
func WithMaxConns(cfg Config, n int) Config {
	cfg.maxConns = n
	return cfg
}
