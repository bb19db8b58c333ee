package proxy

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// retryTransport sends a request upstream and sends it again, if its body
// can be replayed (exchange.replayable):
//   - once with a new token after a 401, unless the token was itself the
//     fresh one fetched after an earlier 401 and had not worked yet: then
//     the 401 is the API's answer (a permission problem, not an expired
//     token), passes through, and later 401s to that token fetch no token;
//   - up to maxRetries times after a 429 or 423 (any method) or a 502, 503
//     or 504 (idempotent methods), waiting as auth.Backoff says, unless the
//     answer's Retry-After asks for more than RetryAfterMax.
//
// Any other answer, and the last one when the retries are spent, passes
// through unchanged.
type retryTransport struct {
	next       http.RoundTripper
	h          *handler
	maxRetries int
	waitMin    time.Duration
	now        func() time.Time
	sleep      func(context.Context, time.Duration) error

	invalidated atomic.Pointer[string] // the last token reported to Invalidate
	renewed     atomic.Pointer[string] // fetched after the last invalidation and not seen to work yet
	refused     atomic.Pointer[string] // a renewed token answered 401
}

// drainLimit bounds how much of a discarded answer is read so that its
// connection can be reused.
const drainLimit = 64 << 10

func newRetryTransport(cfg Config, h *handler) *retryTransport {
	t := &retryTransport{next: cfg.Transport, h: h, maxRetries: cfg.MaxRetries, waitMin: cfg.RetryWaitMin,
		now: cfg.now, sleep: cfg.sleep}
	if t.waitMin <= 0 {
		t.waitMin = auth.DefaultRetryWaitMin
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.sleep == nil {
		t.sleep = sleep
	}
	return t
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchangeOf(req.Context())
	if ex == nil { // not sent by the handler; nothing to retry with
		return t.next.RoundTrip(req)
	}
	for {
		ex.attempts++
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		var token string
		var again bool
		if resp.StatusCode != http.StatusUnauthorized {
			if r := t.renewed.Load(); r != nil && *r == ex.token { // the renewed token works
				t.renewed.CompareAndSwap(r, nil)
			}
		}
		switch {
		case !ex.replayable && resp.StatusCode != http.StatusUnauthorized:
		case resp.StatusCode == http.StatusUnauthorized:
			if ex.renewed { // the second 401 of the request passes through
				return resp, nil
			}
			token, again = t.renew(req.Context(), ex)
			ex.renewed = true
		case retryable(req.Method, resp.StatusCode) && ex.retries < t.maxRetries:
			token, again, err = t.wait(req.Context(), ex, resp)
			if err != nil { // the client went away, or Close cut it off
				return nil, err
			}
		}
		if !again {
			return resp, nil
		}
		retry := req.Clone(req.Context())
		if req.GetBody != nil {
			body, bodyErr := req.GetBody()
			if bodyErr != nil {
				return resp, nil //nolint:nilerr // the upstream's answer goes back
			}
			retry.Body = body
		}
		retry.Header.Set("Authorization", "Bearer "+token)
		drain(resp)
		ex.token, req = token, retry
	}
}

// renew handles a 401 to ex.token: it reports the token once, and returns a
// new token to send the request again with, if there is one worth trying.
func (t *retryTransport) renew(ctx context.Context, ex *exchange) (string, bool) {
	used := ex.token
	if r := t.refused.Load(); r != nil && *r == used {
		return "", false
	}
	if r := t.renewed.Load(); r != nil && *r == used {
		t.refused.Store(r) // a fresh token refused: the API means it
		return "", false
	}
	if old := t.invalidated.Load(); (old == nil || *old != used) && t.invalidated.CompareAndSwap(old, &used) {
		t.h.tokens.Invalidate(used)
	}
	if !ex.replayable {
		return "", false
	}
	// Without a new token the 401 is the best answer there is: it goes back
	// to the client as it came.
	token, err := t.h.tokens.Token(ctx)
	if err != nil || token == used {
		return "", false
	}
	t.renewed.Store(&token)
	return token, true
}

// wait waits before a retry of a 429, 423 or 5xx answer, and returns the
// token to send it with. It reports false, without waiting, when the answer
// asks for a longer wait than RetryAfterMax or no token is to be had.
func (t *retryTransport) wait(ctx context.Context, ex *exchange, resp *http.Response) (string, bool, error) {
	now := t.now()
	if d, ok := auth.RetryAfter(resp.Header.Get("Retry-After"), now); ok && d > RetryAfterMax {
		return "", false, nil
	}
	d := auth.Backoff(t.waitMin, max(auth.DefaultRetryWaitMax, t.waitMin), RetryAfterMax, ex.retries, resp.Header, now)
	ex.retries++
	if t.h.logger != nil {
		t.h.logger.Debug(ctx, "proxy request retried", map[string]any{
			"platform": t.h.platform, "status": resp.StatusCode, "retry": ex.retries, "wait_ms": d.Milliseconds(),
		})
	}
	if err := t.sleep(ctx, d); err != nil {
		drain(resp)
		return "", false, err
	}
	// The wait may have been long: a token as live as the first.
	token, err := t.h.tokens.Token(ctx)
	if err != nil {
		return "", false, nil //nolint:nilerr // the upstream's answer goes back
	}
	return token, true, nil
}

// retryable reports whether an answer is worth sending the request again
// for: 429 and 423 (the API asks to come back), and 502, 503 and 504 for
// methods that may be repeated (the request may have had effects).
func retryable(method string, status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusLocked:
		return true
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
			return true
		}
	}
	return false
}

// drain reads a little of a discarded answer, so that its connection can be
// reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	_ = resp.Body.Close()
}
