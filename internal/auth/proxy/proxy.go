package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/net/netutil"

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
	// Transport sends requests upstream; nil means a transport of the
	// proxy's own from auth.NewTransport (the system's roots and the
	// environment's proxy variables), closed by Proxy.Close.
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

	// MaxConcurrent is how many requests may be upstream at once; the others
	// wait their turn (until their client goes away). 0 means no limit.
	MaxConcurrent int
	// MaxRetries is how many times a request answered 429 or 423 (any
	// method), or 502, 503 or 504 (idempotent methods), is sent again, if its
	// body can be: after the answer's Retry-After (up to RetryAfterMax; a
	// longer one passes the answer through at once) or a jittered backoff
	// from RetryWaitMin. 0 means none.
	MaxRetries int
	// RetryWaitMin is the first backoff of those retries; 0 means
	// auth.DefaultRetryWaitMin. Backoffs double up to auth.DefaultRetryWaitMax.
	RetryWaitMin time.Duration
	// RequestTimeout bounds the wait for the upstream's response headers,
	// not a streamed body; 0 means DefaultRequestTimeout. The proxy applies it
	// to its own transport and to a copy of an *http.Transport given in
	// Transport; another RoundTripper must bound the wait itself.
	RequestTimeout time.Duration

	// For tests (export_test.go): the clock of the retry waits, and the
	// number of client connections open at once (0 means maxConns).
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	maxConns int
}

const (
	// DefaultGracePeriod is Config.GracePeriod's default.
	DefaultGracePeriod = 5 * time.Second
	// DefaultRequestTimeout is Config.RequestTimeout's default.
	DefaultRequestTimeout = auth.DefaultTimeout
	// RetryAfterMax is the longest Retry-After the proxy waits for.
	RetryAfterMax = auth.DefaultRetryAfterMax
	// MaxReplayBody is the largest request body buffered so that a request
	// answered 401 can be sent again with a new token.
	MaxReplayBody = 1 << 20
	// maxConns is how many client connections may be open at once; more
	// wait in the listen queue until one closes.
	maxConns = 256
	// refusalReadTimeout bounds what the server still reads of a refused
	// request (a body it announced) before it closes the connection.
	refusalReadTimeout = time.Second
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
	own, err := ownTransport(&cfg)
	if err != nil {
		return nil, fmt.Errorf("proxy for %s: %w", displayName(cfg), err)
	}
	h, err := newHandler(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("proxy for %s: cannot listen on the loopback address: %w", h.name, err)
	}
	if cfg.maxConns <= 0 {
		cfg.maxConns = maxConns
	}
	baseCtx, cancel := context.WithCancel(context.Background())
	h.self = "http://" + ln.Addr().String() + "/" + h.prefix
	p := &Proxy{
		url:       h.self,
		ln:        netutil.LimitListener(ln, cfg.maxConns),
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
		_ = p.srv.Serve(p.ln) // http.ErrServerClosed after Shutdown or Close
	}()
	return p, nil
}

// ownTransport puts in cfg.Transport the transport the proxy sends with: its
// own if there is none (auth.NewTransport, the one every request to a
// platform goes through, with the environment's proxy variables and the
// system's roots), or a copy of an *http.Transport, either bounding the wait
// for response headers by the request timeout. It returns the transport that
// Close must close, if the proxy made it.
func ownTransport(cfg *Config) (*http.Transport, error) {
	var t *http.Transport
	switch given := cfg.Transport.(type) {
	case nil:
		var err error
		if t, err = auth.NewTransport(auth.TransportOptions{}); err != nil {
			return nil, err
		}
	case *http.Transport:
		t = given.Clone()
	default:
		return nil, nil
	}
	t.ResponseHeaderTimeout = requestTimeout(*cfg)
	cfg.Transport = t
	return t, nil
}

func requestTimeout(cfg Config) time.Duration {
	if cfg.RequestTimeout > 0 {
		return cfg.RequestTimeout
	}
	return DefaultRequestTimeout
}

// track counts handlers in flight so that Close can wait for them, and
// refuses requests that arrive once Close has waited out the grace period.
func (p *Proxy) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		if p.closing {
			p.mu.Unlock()
			refuse(w, refuseClosed)
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
