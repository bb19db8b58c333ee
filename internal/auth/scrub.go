package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

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
