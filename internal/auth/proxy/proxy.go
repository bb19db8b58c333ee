package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// TokenSource hands the proxy live access tokens. The provider implements it
// with its token cache.
type TokenSource interface {
	// Token returns an access token valid for at least the source's minimum
	// validity. Its error message must hold no secret: the proxy sends it to
	// the client.
	Token(ctx context.Context) (string, error)
	// Invalidate reports that the upstream answered 401 to token; the next
	// Token returns a new one.
	Invalidate(token string)
}

// Config configures a proxy.
type Config struct {
	// Upstream is the API root: https, or http on a loopback host only.
	Upstream string
	Tokens   TokenSource
	// Transport sends requests upstream; nil means a pooled transport of the
	// proxy's own (go-cleanhttp's, keeping up to 64 idle connections), closed
	// by Proxy.Close.
	Transport http.RoundTripper
	// Logger, if set, gets one line per request: platform, method, status,
	// duration, attempts and an error class. Never the prefix, the path, the
	// query, a token, a header or a body.
	Logger auth.Logger
	// GracePeriod is how long Close waits for requests in flight; 0 means
	// DefaultGracePeriod.
	GracePeriod time.Duration
	// Platform names the API in messages, such as "Smartling".
	Platform string
}

const (
	// DefaultGracePeriod is Config.GracePeriod's default.
	DefaultGracePeriod = 5 * time.Second
	// MaxReplayBody is the largest request body buffered so that a request
	// answered 401 can be sent again with a new token.
	MaxReplayBody = 1 << 20
)

// ErrCutOff is wrapped by Close's error when requests were still in flight
// at the end of the grace period and were cancelled.
var ErrCutOff = errors.New("requests still in flight were cut off")

// Proxy is a running proxy.
type Proxy struct {
	url       string
	ln        net.Listener
	srv       *http.Server
	grace     time.Duration
	cancel    context.CancelFunc // cancels every request's context
	served    chan struct{}      // closed when Serve has returned
	transport *http.Transport    // ours to close, or nil

	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// Start listens on 127.0.0.1 on a free port under a new random prefix and
// serves until Close.
func Start(cfg Config) (*Proxy, error) {
	var own *http.Transport
	if cfg.Transport == nil {
		own = newTransport()
		cfg.Transport = own
	}
	h, err := newHandler(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("proxy for %s: cannot listen on the loopback address: %w", h.name, err)
	}
	baseCtx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		url:       "http://" + ln.Addr().String() + "/" + h.prefix,
		ln:        ln,
		grace:     cfg.GracePeriod,
		cancel:    cancel,
		served:    make(chan struct{}),
		transport: own,
	}
	if p.grace <= 0 {
		p.grace = DefaultGracePeriod
	}
	p.srv = &http.Server{
		Handler:           p.track(h),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       90 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ErrorLog:          discardLog,
	}
	go func() {
		defer close(p.served)
		_ = p.srv.Serve(ln) // http.ErrServerClosed after Shutdown or Close
	}()
	return p, nil
}

// newTransport is the default upstream transport: pooled, with go-cleanhttp's
// dial, TLS and idle timeouts, and enough idle connections per host that a
// parallel apply does not open a connection per request.
func newTransport() *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConnsPerHost = 64
	return t
}

// track counts handlers in flight so that Close can wait for them, and
// refuses requests that arrive once Close has waited out the grace period.
func (p *Proxy) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		if p.closing {
			p.mu.Unlock()
			writeError(w, http.StatusServiceUnavailable, "closed", "the proxy is closed")
			return
		}
		p.inflight.Add(1)
		p.mu.Unlock()
		defer p.inflight.Done()
		h.ServeHTTP(w, r)
	})
}

// URL is the proxy's base URL, http://127.0.0.1:<port>/<prefix>, without a
// trailing slash. It is a secret.
func (p *Proxy) URL() string { return p.url }

// Close stops accepting connections, lets requests in flight finish within
// the grace period, then cancels the rest and closes their connections. It
// returns once every handler has returned. It is idempotent; its error wraps
// ErrCutOff if requests were cut off.
func (p *Proxy) Close() error {
	p.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), p.grace)
		defer cancel()
		switch err := p.srv.Shutdown(ctx); {
		case errors.Is(err, context.DeadlineExceeded):
			p.closeErr = fmt.Errorf("proxy closed: %w after the %s grace period", ErrCutOff, p.grace)
		case err != nil:
			p.closeErr = fmt.Errorf("proxy closed: %w", err)
		}
		p.cancel()
		_ = p.srv.Close()
		<-p.served
		p.mu.Lock()
		p.closing = true
		p.mu.Unlock()
		p.inflight.Wait()
		if p.transport != nil {
			p.transport.CloseIdleConnections()
		}
	})
	return p.closeErr
}
