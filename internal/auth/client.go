package auth

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
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

// requestInfo travels in a request's context through the retrying client to
// the per-attempt transport.
type requestInfo struct {
	platform   Platform
	operation  string
	secrets    scrubber // what the request carries, to scrub from request ids
	redactOnce sync.Once
	redacted   []string // secrets.variants(), computed once
	attempts   atomic.Int32
	last       atomic.Pointer[answer] // the last attempt's answer; nil if it got none
}

// answer is what one attempt received: the status, the headers and the body,
// read within the attempt's deadline and up to maxResponseBytes.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	readErr error     // the body broke off; errTooLarge when it passed maxResponseBytes
	at      time.Time // when the headers arrived
}

// answer returns the last attempt's answer, nil if it got none.
func (i *requestInfo) answer() *answer {
	if i == nil {
		return nil
	}
	return i.last.Load()
}

// requestID is the request id of the last attempt's answer, if it carried
// one, scrubbed and cut.
func (i *requestInfo) requestID() string {
	if a := i.answer(); a != nil {
		return i.scrubID(requestID(a.header))
	}
	return ""
}

// scrubID scrubs a request id of the request's secrets, then cuts it.
func (i *requestInfo) scrubID(id string) string {
	if i != nil && id != "" {
		i.redactOnce.Do(func() { i.redacted = i.secrets.variants() })
		id = redact(id, i.redacted)
	}
	return cutRequestID(id)
}

type requestInfoKey struct{}

func withRequestInfo(ctx context.Context, p Platform, op string, secrets scrubber) (context.Context, *requestInfo) {
	info := &requestInfo{platform: p, operation: op, secrets: secrets}
	return context.WithValue(ctx, requestInfoKey{}, info), info
}

// attemptTransport sets the user agent, counts attempts, reads each answer
// within its attempt (receive) and logs each attempt.
type attemptTransport struct {
	next      http.RoundTripper
	userAgent string
	logger    Logger
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	attempt := 1
	if info != nil {
		attempt = int(info.attempts.Add(1))
		info.last.Store(nil)
	}
	if t.userAgent != "" {
		req = req.Clone(ctx)
		req.Header.Set("User-Agent", t.userAgent)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	var id string
	status := 0
	if err == nil {
		status, id = resp.StatusCode, info.scrubID(requestID(resp.Header))
		var ans *answer
		resp, ans, err = receive(req, resp)
		if info != nil && ans != nil {
			info.last.Store(ans)
		}
	}
	if t.logger != nil {
		fields := map[string]any{
			"method":      req.Method,
			"url":         redactedURL(req.URL),
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if info != nil {
			fields["platform"] = string(info.platform)
			fields["operation"] = info.operation
		}
		if status != 0 {
			fields["status"] = status
			if id != "" {
				fields["request_id"] = id
			}
		}
		if err != nil {
			fields["error"] = classify(err).String()
		}
		t.logger.Debug(ctx, "token request attempt", fields)
	}
	return resp, err
}

// errTooLarge ends the body of an answer larger than maxResponseBytes.
var errTooLarge = errors.New(detailTooLarge)

// receive reads an answer's body within its attempt, so that the attempt's
// timeout covers the whole answer: a body that trickles past it fails the
// attempt as a timeout, and is retried like one. The body is kept up to
// maxResponseBytes and replayed to the caller, followed by the error that
// ended it, if any. A 3xx is refused without reading its body.
func receive(req *http.Request, resp *http.Response) (*http.Response, *answer, error) {
	at := time.Now()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		resp.Body.Close()
		return nil, nil, newRedirectError(resp)
	}
	body, readErr := readAnswer(resp.Body, resp.ContentLength)
	resp.Body.Close()
	if readErr != nil {
		if err := attemptEnded(req.Context()); err != nil {
			return nil, nil, fmt.Errorf("reading the answer: %w", err)
		}
	}
	if len(body) > maxResponseBytes {
		body, readErr = body[:maxResponseBytes], errTooLarge
	}
	resp.Body = &replayBody{r: bytes.NewReader(body), err: readErr}
	resp.ContentLength = int64(len(body))
	return resp, &answer{status: resp.StatusCode, header: resp.Header, body: body, readErr: readErr, at: at}, nil
}

// readAnswer reads a body up to one byte past maxResponseBytes, in a buffer
// the size the answer declared (one read more tells its end).
func readAnswer(r io.Reader, declared int64) ([]byte, error) {
	size := 512
	if declared > 0 && declared <= maxResponseBytes {
		size = int(declared) + 1
	}
	b := make([]byte, 0, size)
	r = io.LimitReader(r, maxResponseBytes+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
	}
}

// attemptEnded returns why an attempt's context ended, if it did: canceled,
// or past its deadline. http.Client's timer may abort the read an instant
// before the context itself reports its deadline.
func attemptEnded(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// replayBody is a body read in advance: its bytes, then the error that ended
// the original (io.EOF if none).
type replayBody struct {
	r   *bytes.Reader
	err error
}

func (b *replayBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF && b.err != nil {
		err = b.err
	}
	return n, err
}

func (b *replayBody) Close() error { return nil }

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *attemptTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func redactedURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	c.Fragment = ""
	return c.String()
}

// requestID returns the request id header of any of the three platforms, as
// sent: scrub it, then cut it (cutRequestID), before it goes anywhere.
func requestID(h http.Header) string {
	for _, k := range []string{"X-SL-RequestId", "X-Request-Id", "X-Correlation-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// cutRequestID keeps a request id to a readable length.
func cutRequestID(id string) string {
	if len(id) > 128 {
		return id[:128]
	}
	return id
}

// classify maps a transport error to its kind.
func classify(err error) ErrorKind {
	var netErr net.Error
	var dnsErr *net.DNSError
	var redirect *redirectError
	switch {
	case errors.As(err, &redirect):
		return KindRedirect
	case errors.Is(err, context.Canceled):
		return KindCanceled
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

// readBody reads a body that the transport has read in advance, and closes it.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
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
		e.Detail = "the TLS connection or certificate check failed: " + err.Error()
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
