package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrorKind classifies a failed token request, so that callers can give a hint
// that fits the failure.
type ErrorKind int

// The failure classes.
const (
	KindUnknown     ErrorKind = iota
	KindRejected              // the API answered 4xx (other than 429): credentials, client or request
	KindRateLimited           // 429 after all retries
	KindServer                // 5xx after all retries
	KindTimeout               // an attempt hit the per-attempt timeout
	KindNetwork               // connection refused, reset, or similar
	KindDNS                   // the host name did not resolve
	KindTLS                   // the TLS handshake or certificate check failed
	KindBadResponse           // a body that is not the documented JSON (HTML page, truncated, malformed)
	KindNoToken               // a success answer without an access token
	KindCanceled              // the operation was canceled or its deadline passed
	KindRedirect              // the token endpoint answered 3xx: token requests never follow redirects
)

func (k ErrorKind) String() string {
	switch k {
	case KindRejected:
		return "rejected"
	case KindRateLimited:
		return "rate limited"
	case KindServer:
		return "server error"
	case KindTimeout:
		return "timeout"
	case KindNetwork:
		return "network error"
	case KindDNS:
		return "DNS failure"
	case KindTLS:
		return "TLS failure"
	case KindBadResponse:
		return "unexpected response"
	case KindNoToken:
		return "no token in response"
	case KindCanceled:
		return "canceled"
	case KindRedirect:
		return "redirect"
	default:
		return "error"
	}
}

// Error is a failed token request. Its text names the platform, the operation,
// the HTTP status, the API's own error code and message and the request id; it
// never contains a secret or a token (adapters scrub their secrets from every
// field taken from a response).
type Error struct {
	Platform  Platform
	Operation string // "authenticate" or "refresh"
	URL       string // the token URL, without query
	Kind      ErrorKind
	Status    int    // HTTP status, 0 when no response arrived
	Code      string // Smartling response.code, OAuth2 error
	Key       string // Smartling errors[].key
	Message   string // Smartling errors[].message, OAuth2 error_description or message
	RequestID string
	Attempts  int
	Detail    string // what went wrong when the API's own words are missing
	Err       error  // the transport error, if any
	// RetryAfter and RetryAt are set when the answer's Retry-After asked
	// for a longer wait than ClientOptions.RetryAfterMax: the client stopped
	// at once instead of retrying. RetryAt is when the API asked to come back.
	RetryAfter time.Duration
	RetryAt    time.Time
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s request failed", e.Platform, e.Operation)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	} else {
		b.WriteString(": " + e.Kind.String())
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, " (%s)", e.Key)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Detail != "" {
		b.WriteString("; " + e.Detail)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; the API asked to retry in %d s, at %s, longer than the provider waits",
			int64(e.RetryAfter/time.Second), e.RetryAt.UTC().Format(time.RFC3339))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Details shared by the adapters, so that callers can tell these cases apart.
const (
	detailCutOff   = "the answer was cut off before its end"
	detailTooLarge = "the answer is larger than 1 MiB" // maxResponseBytes
	notJSONPrefix  = "the answer is not JSON"
)

func notJSON(h http.Header) string {
	return notJSONPrefix + " (" + contentTypeOf(h) + "); a proxy or gateway may have answered instead of the API"
}

// CutOff reports whether the connection broke in the middle of the answer.
func (e *Error) CutOff() bool { return e.Detail == detailCutOff }

// NotJSON reports whether the answer was not JSON, as from a proxy's error page.
func (e *Error) NotJSON() bool { return strings.HasPrefix(e.Detail, notJSONPrefix) }

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// shorten keeps text taken from a response to a readable length.
func shorten(s string) string {
	const limit = 300
	s = strings.TrimSpace(s)
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}

// kindForStatus classifies an HTTP error status.
func kindForStatus(status int) ErrorKind {
	switch {
	case status == 429:
		return KindRateLimited
	case status >= 500:
		return KindServer
	case status >= 400:
		return KindRejected
	default:
		return KindBadResponse
	}
}

// scrubber replaces secret values in text taken from a response, as a second
// line of defence against an API that echoes its input.
type scrubber []string

func (s scrubber) scrub(text string) string {
	for _, secret := range s {
		if len(secret) >= 4 && strings.Contains(text, secret) {
			text = strings.ReplaceAll(text, secret, "[REDACTED]")
		}
	}
	return text
}

func (s scrubber) scrubError(e *Error) *Error {
	e.Code = s.scrub(e.Code)
	e.Key = s.scrub(e.Key)
	e.Message = s.scrub(e.Message)
	e.Detail = s.scrub(e.Detail)
	e.RequestID = s.scrub(e.RequestID)
	return e
}

// tokenFields name the fields in which the platforms send tokens.
var tokenFields = []string{"access_token", "refresh_token", "accessToken", "refreshToken"}

func isTokenField(name string) bool {
	for _, f := range tokenFields {
		if strings.EqualFold(name, f) { // encoding/json matches names this way
			return true
		}
	}
	return false
}

// bodyTokens returns a scrubber for every token value a response body
// carries, at any depth of a JSON document or in a form-encoded body, so
// that an error built from an answer never repeats a token it also held.
func bodyTokens(body []byte) scrubber {
	var out scrubber
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && isTokenField(k) {
					out = append(out, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers too large for float64 must not hide the rest
	var doc any
	if dec.Decode(&doc) == nil {
		walk(doc)
	}
	form, _ := url.ParseQuery(string(body)) // partial results are still values
	for k, vs := range form {
		if isTokenField(k) {
			out = append(out, vs...)
		}
	}
	return out
}
