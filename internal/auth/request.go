package auth

// The request plumbing of the token client: what travels with a request
// through the retrying client, the per-attempt transport that sets the user
// agent, counts and logs attempts, and reads each answer within its attempt.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

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

// readBody reads a body that the transport has read in advance, and closes it.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
