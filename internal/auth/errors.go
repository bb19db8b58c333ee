package auth

import (
	"errors"
	"fmt"
	"net/http"
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
	// Repeated is set when this error was not sent: the platform rejected
	// the same credential set earlier in this process, with this error.
	Repeated bool
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
	if e.Repeated {
		b.WriteString("; not sent again: this credential set was rejected earlier in this run")
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

// credentialsRejected reports whether err is the platform's rejection of a
// credential set on authentication: HTTP 401 on any platform, or an
// invalid_client, invalid_grant (OAuth2) or AUTHENTICATION_ERROR (Smartling)
// code in an answer of the rejected kind. Rate limits, server errors and
// transport errors never are; nor is a rejected refresh, whose refresh token
// alone was refused.
func credentialsRejected(err error) bool {
	e, ok := AsError(err)
	if !ok || e.Operation != OpAuthenticate || e.Kind != KindRejected {
		return false
	}
	switch e.Code {
	case "invalid_client", "invalid_grant", "AUTHENTICATION_ERROR":
		return true
	}
	return e.Status == 401
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
