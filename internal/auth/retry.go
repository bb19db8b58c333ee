package auth

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Backoff is the wait before a retry: what the answer's Retry-After header
// asks for (seconds or an HTTP-date, read against now), capped at
// retryAfterMax; without one, lo doubled attempt times and capped at hi, half
// of it fixed and half random (jitter). The token client and the proxy both
// wait this way; each stops before a Retry-After longer than retryAfterMax,
// so the cap here is a second line.
func Backoff(lo, hi, retryAfterMax time.Duration, attempt int, h http.Header, now time.Time) time.Duration {
	if h != nil {
		if d, ok := RetryAfter(h.Get("Retry-After"), now); ok {
			return min(d, retryAfterMax)
		}
	}
	wait := lo << min(attempt, 30)
	if wait <= 0 || wait > hi {
		wait = hi
	}
	half := wait / 2
	return half + rand.N(half+1)
}

// RetryAfter parses a Retry-After value given as seconds or as an HTTP-date
// (relative to now). Values beyond a day read as a day.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// backoff is Backoff as go-retryablehttp calls it, for the token client.
func backoff(retryAfterMax time.Duration) retryablehttp.Backoff {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		var h http.Header
		if resp != nil {
			h = resp.Header
		}
		return Backoff(lo, hi, retryAfterMax, attempt, h, time.Now())
	}
}
