package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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
	KindProxy                 // the forward proxy of HTTPS_PROXY or HTTP_PROXY failed: unreachable, refused the tunnel (407), invalid
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
	case KindProxy:
		return "forward proxy failure"
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

// minScrubLen is the shortest secret the scrubber redacts. A secret of one to
// three bytes ("a", "x1") would match inside ordinary words and shred every
// message, while the little it hides is guessable anyway; the platforms'
// secrets are far longer.
const minScrubLen = 4

// scrubber redacts secrets from text taken from a response, as a second line
// of defence against an API that echoes its input. It redacts each secret in
// every form a request may have carried it: raw; form-encoded (url.QueryEscape,
// + for a space) and percent-encoded (%20 for a space, or url.PathEscape),
// with upper- or lower-case hex; and JSON-escaped, as encoding/json writes it
// (with its HTML-safe \u0026 \u003c \u003e escapes) and without them, with
// "/" escaped as "\/" or not, with lower- or upper-case hex. Basic
// credentials are added as secrets of their own (basicAuth).
type scrubber []string

// basicAuth returns the forms an HTTP Basic Authorization header carries id
// and secret in: base64 (standard and URL-safe, unpadded, so that the padded
// forms are redacted too) of "id:secret", and of the pair form-encoded first,
// as golang.org/x/oauth2 sends it.
func basicAuth(id, secret string) []string {
	if len(secret) < minScrubLen {
		return nil
	}
	var out []string
	for _, pair := range []string{id + ":" + secret, url.QueryEscape(id) + ":" + url.QueryEscape(secret)} {
		out = append(out, base64.RawStdEncoding.EncodeToString([]byte(pair)), base64.RawURLEncoding.EncodeToString([]byte(pair)))
	}
	return out
}

func (s scrubber) scrub(text string) string {
	if text == "" {
		return text
	}
	return redact(text, s.variants())
}

// redact replaces each of variants in text, in order.
func redact(text string, variants []string) string {
	for _, v := range variants {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, "[REDACTED]")
		}
	}
	return text
}

// variants returns every form of every secret, longest first: a longer form
// goes before any form it contains, so that nothing of it is left around a
// "[REDACTED]".
func (s scrubber) variants() []string {
	var out []string
	for _, secret := range s {
		if len(secret) < minScrubLen {
			continue
		}
		for _, v := range encodings(secret) {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// encodings returns the forms of one secret that scrubber redacts. Most
// secrets need few: only characters outside A-Z a-z 0-9 - _ . ~ make the
// percent-encoded forms differ, and only quotes, backslashes, control
// characters, < > &, U+2028, U+2029 and invalid UTF-8 the JSON ones.
func encodings(secret string) []string {
	out := []string{secret}
	add := func(v string) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if form := url.QueryEscape(secret); form != secret {
		for _, p := range []string{form, strings.ReplaceAll(form, "+", "%20"), url.PathEscape(secret)} {
			add(p)
			add(lowerPercentHex(p))
		}
	}
	jsonForms := []string{secret}
	if strings.ContainsFunc(secret, jsonEscaped) {
		jsonForms = []string{jsonString(secret, true), jsonString(secret, false)}
	}
	for _, j := range jsonForms {
		for _, v := range []string{j, strings.ReplaceAll(j, "/", `\/`)} {
			add(v)
			add(upperJSONHex(v))
		}
	}
	return out
}

// jsonEscaped reports whether encoding/json escapes r in a string (with or
// without its HTML-safe escapes).
func jsonEscaped(r rune) bool {
	switch r {
	case '"', '\\', '<', '>', '&', '\u2028', '\u2029', utf8.RuneError:
		return true
	}
	return r < 0x20
}

// jsonString is secret as encoding/json writes it inside a string's quotes.
func jsonString(secret string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(secret) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// lowerPercentHex writes the hex digits of every %XX escape in lower case.
func lowerPercentHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = asciiLower(b[i+1]), asciiLower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

// upperJSONHex writes the hex digits of every \uXXXX escape of a JSON
// string in upper case, as some encoders do.
func upperJSONHex(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	b := []byte(s)
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) {
			for k := i + 2; k < i+6; k++ {
				b[k] = asciiUpper(b[k])
			}
			i += 5
			continue
		}
		i++ // an escaped character, such as \\ before a u of the secret
	}
	return string(b)
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func asciiUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// scrubError scrubs every field of e taken from a response, then shortens
// them: scrubbing first, so that a cut never leaves part of a secret behind.
func (s scrubber) scrubError(e *Error) *Error {
	e.Code = shorten(s.scrub(e.Code))
	e.Key = shorten(s.scrub(e.Key))
	e.Message = shorten(s.scrub(e.Message))
	e.Detail = shorten(s.scrub(e.Detail))
	e.RequestID = cutRequestID(s.scrub(e.RequestID))
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
