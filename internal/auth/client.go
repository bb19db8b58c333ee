package auth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Defaults of the HTTP client.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRetries   = 4
	DefaultRetryWaitMin = 1 * time.Second
	DefaultRetryWaitMax = 30 * time.Second
	// DefaultRetryAfterMax is the longest Retry-After the client honours
	// unless ClientOptions.RetryAfterMax says otherwise. An answer that asks
	// for a longer wait ends the retries at once, with an *Error whose
	// RetryAfter and RetryAt say when the API asked to come back.
	DefaultRetryAfterMax = 60 * time.Second
	maxResponseBytes     = 1 << 20
)

// Logger receives one structured line per attempt. The provider implements it
// with tflog; fields never hold a body, a secret or a token.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// ClientOptions configure the HTTP client shared by all adapters.
type ClientOptions struct {
	UserAgent     string
	Timeout       time.Duration // per attempt; 0 means DefaultTimeout
	MaxRetries    int           // retries after the first attempt
	RetryWaitMin  time.Duration // first backoff; 0 means DefaultRetryWaitMin
	RetryWaitMax  time.Duration // backoff cap; 0 means DefaultRetryWaitMax
	RetryAfterMax time.Duration // longest Retry-After honoured, beyond it no retry; 0 means DefaultRetryAfterMax
	Logger        Logger
	Transport     http.RoundTripper // nil means a pooled transport
}

// Client sends token requests with retries, a per-attempt timeout, a user
// agent and one log line per attempt.
type Client struct {
	retry    *retryablehttp.Client
	standard *http.Client
	opts     ClientOptions
}

// NewClient builds a Client. It does no network work.
func NewClient(o ClientOptions) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RetryWaitMin <= 0 {
		o.RetryWaitMin = DefaultRetryWaitMin
	}
	if o.RetryWaitMax <= 0 {
		o.RetryWaitMax = DefaultRetryWaitMax
	}
	if o.RetryAfterMax <= 0 {
		o.RetryAfterMax = DefaultRetryAfterMax
	}
	base := o.Transport
	if base == nil {
		base = cleanhttp.DefaultPooledTransport()
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Transport:     &attemptTransport{next: base, userAgent: o.UserAgent, logger: o.Logger},
		Timeout:       o.Timeout,
		CheckRedirect: noRedirect,
	}
	rc.Logger = nil
	rc.RetryMax = o.MaxRetries
	rc.RetryWaitMin = o.RetryWaitMin
	rc.RetryWaitMax = o.RetryWaitMax
	rc.CheckRetry = checkRetry(o.RetryAfterMax)
	rc.Backoff = backoff(o.RetryAfterMax)
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	standard := rc.StandardClient()
	standard.CheckRedirect = noRedirect
	return &Client{retry: rc, standard: standard, opts: o}
}

// noRedirect keeps an http.Client from following redirects. The transport
// turns a 3xx into a *redirectError before any client sees it; this is the
// second line of defence.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// redirectError is a 3xx answer to a token request. Token requests never
// follow redirects: the credentials in the body would go to whatever host the
// answer names.
type redirectError struct {
	status    int
	host      string // the Location's host, "" if it had none
	requestID string
}

func (e *redirectError) Error() string {
	if e.host == "" {
		return fmt.Sprintf("HTTP %d without a Location", e.status)
	}
	return fmt.Sprintf("HTTP %d to %s", e.status, e.host)
}

// newRedirectError reads what a 3xx answer may show of itself: its status and
// the host of its Location, never the Location's path or query.
func newRedirectError(resp *http.Response) *redirectError {
	e := &redirectError{status: resp.StatusCode, requestID: requestID(resp.Header)}
	if loc, err := resp.Location(); err == nil {
		e.host = loc.Host
	}
	return e
}

// Options returns the client's effective options.
func (c *Client) Options() ClientOptions { return c.opts }

// httpClient returns a standard *http.Client whose transport retries, for
// libraries such as golang.org/x/oauth2.
func (c *Client) httpClient() *http.Client { return c.standard }

// checkRetry retries connection errors and 429, 500, 502, 503 and 504; never
// other statuses, a canceled context, a failed certificate check, a host name
// that does not exist, a redirect, or an answer whose Retry-After asks for a
// longer wait than retryAfterMax.
func checkRetry(retryAfterMax time.Duration) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err != nil {
			return !permanent(err), nil
		}
		if !retryableStatus(resp.StatusCode) {
			return false, nil
		}
		_, tooLong := retryAfterBeyond(resp.StatusCode, resp.Header, time.Now(), retryAfterMax)
		return !tooLong, nil
	}
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfterBeyond returns the wait a retryable answer's Retry-After asks for
// when it is longer than retryAfterMax: the client then stops at once rather
// than wait longer than documented or retry before the API is ready.
func retryAfterBeyond(status int, h http.Header, now time.Time, retryAfterMax time.Duration) (time.Duration, bool) {
	if !retryableStatus(status) {
		return 0, false
	}
	d, ok := RetryAfter(h.Get("Retry-After"), now)
	return d, ok && d > retryAfterMax
}

// finish completes an adapter's error with what the client saw (operation,
// URL, attempts, a Retry-After that stopped the retries) and scrubs it of
// s's secrets and of the tokens the last answer carried.
func (c *Client) finish(e *Error, op, tokenURL string, info *requestInfo, s scrubber) *Error {
	e.Operation, e.URL, e.Attempts = op, tokenURL, attempts(info)
	if ans := info.answer(); ans != nil {
		if d, ok := retryAfterBeyond(ans.status, ans.header, ans.at, c.opts.RetryAfterMax); ok && e.Status == ans.status {
			e.RetryAfter, e.RetryAt = d, ans.at.Add(d).UTC()
		}
		s = append(s[:len(s):len(s)], bodyTokens(ans.body)...)
	}
	return s.scrubError(e)
}

func permanent(err error) bool {
	var dnsErr *net.DNSError
	var redirect *redirectError
	if errors.As(err, &redirect) {
		return true
	}
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	if p, ok := errors.AsType[*ProxyError](err); ok && p.Status == http.StatusProxyAuthRequired {
		return true
	}
	return tlsFailure(err)
}

func tlsFailure(err error) bool {
	var (
		verifyErr   *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
	)
	return errors.As(err, &verifyErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidErr) || errors.As(err, &recordErr) || errors.As(err, &alertErr)
}

// tlsProblem says which check a TLS failure failed: an unknown authority
// (naming the issuer, such as a TLS-inspecting proxy's CA), a name mismatch or
// an expired certificate.
func tlsProblem(err error) string {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &unknownAuth):
		if unknownAuth.Cert == nil {
			return "unknown authority: the server's certificate is issued by a CA this machine does not trust"
		}
		return fmt.Sprintf("unknown authority: the server's certificate is issued by %q, a CA this machine does not trust",
			unknownAuth.Cert.Issuer.String())
	case errors.As(err, &hostErr):
		return "name mismatch: " + strings.TrimPrefix(hostErr.Error(), "x509: ")
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return "expired: " + strings.TrimPrefix(invalidErr.Error(), "x509: ")
	case errors.As(err, &invalidErr):
		return "invalid certificate: " + strings.TrimPrefix(invalidErr.Error(), "x509: ")
	default:
		return "handshake failed: " + err.Error()
	}
}

// proxyUnreachable reports a failure to connect to the forward proxy itself.
func proxyUnreachable(err error) bool {
	op, ok := errors.AsType[*net.OpError](err)
	return ok && op.Op == "proxyconnect"
}

// classify maps a transport error to its kind.
func classify(err error) ErrorKind {
	var netErr net.Error
	var dnsErr *net.DNSError
	var redirect *redirectError
	var proxyErr *ProxyError
	switch {
	case errors.As(err, &redirect):
		return KindRedirect
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.As(err, &proxyErr), proxyUnreachable(err):
		return KindProxy
	case errors.As(err, &dnsErr):
		return KindDNS
	case tlsFailure(err):
		return KindTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	default:
		return KindNetwork
	}
}

// transportError builds the Error of a request that got no usable response.
func transportError(p Platform, op, tokenURL string, info *requestInfo, err error) *Error {
	kind := classify(err)
	e := &Error{Platform: p, Operation: op, URL: tokenURL, Kind: kind, Err: err, Attempts: attempts(info)}
	switch kind {
	case KindTimeout:
		e.Detail = "no answer within the request timeout"
	case KindDNS:
		e.Detail = "the host name did not resolve"
	case KindTLS:
		e.Detail = "the TLS connection or certificate check failed: " + tlsProblem(err)
	case KindProxy:
		if p, ok := errors.AsType[*ProxyError](err); ok {
			e.Detail = p.Error()
		} else {
			e.Detail = "could not connect to the forward proxy that HTTPS_PROXY or HTTP_PROXY names: " + err.Error()
		}
	case KindCanceled:
		e.Detail = "the operation was canceled"
	case KindRedirect:
		var redirect *redirectError
		errors.As(err, &redirect)
		e.Status, e.RequestID = redirect.status, redirect.requestID
		if redirect.host == "" {
			e.Detail = "the token endpoint answered with a redirect status; token requests never follow redirects"
		} else {
			e.Detail = "the token endpoint redirected to " + redirect.host + "; token requests never follow redirects"
		}
	default:
		e.Detail = "could not connect: " + err.Error()
	}
	return e
}

func attempts(info *requestInfo) int {
	if info == nil {
		return 0
	}
	return int(info.attempts.Load())
}
