package auth

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// The fuzz targets feed arbitrary answers to the decoders and check three
// properties: no panic; no token from a non-2xx answer, nor one an HTTP
// header cannot carry; and no error text that repeats a token value the body
// carried. Seeds live in testdata/fuzz/.

// headerSafe reports whether a token is visible ASCII only, as an
// Authorization header needs.
func headerSafe(token string) bool {
	return !strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r >= 0x7f })
}

// fuzzStatus maps any int to an HTTP status between 100 and 999.
func fuzzStatus(n int) int {
	if n >= 100 && n <= 999 {
		return n
	}
	if n < 0 {
		n = -(n + 1)
	}
	return 100 + n%900
}

// tokenValues returns the values of every token-named field of a body: the
// scrubber's own extraction, which errors_test.go tests on its own.
func tokenValues(body []byte) []string { return bodyTokens(body) }

// checkNoBodyToken fails if e's text repeats a token value of body. Values
// that the fixed parts of the text contain anyway (the template, the content
// type, "[REDACTED]"), that hold a bracket (they may span a "[REDACTED]") or
// that are too short to be scrubbed are not tokens the text could leak.
func checkNoBodyToken(t *testing.T, e *Error, body []byte) {
	t.Helper()
	text := e.Error()
	skeleton := *e
	skeleton.Code, skeleton.Key, skeleton.Message, skeleton.RequestID = "", "", "", ""
	fixed := skeleton.Error() + " [REDACTED]"
	for _, tok := range tokenValues(body) {
		if len(tok) < 4 || strings.ContainsAny(tok, "[]") || strings.Contains(fixed, tok) {
			continue
		}
		if strings.Contains(text, tok) {
			t.Fatalf("the error repeats the token %q of the body: %s", tok, text)
		}
	}
}

func FuzzDecodeSmartling(f *testing.F) {
	f.Add(200, "application/json", []byte(smartlingSuccess))
	f.Add(401, "application/json", []byte(`{"response":{"code":"AUTHENTICATION_ERROR","errors":[{"key":"invalid_token","message":"Invalid token","details":{}}]}}`))
	f.Add(502, "text/html", []byte("<html><body>502 Bad Gateway</body></html>"))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		status = fuzzStatus(status)
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		tok, e := decodeSmartling(status, h, body, nil, nil)
		if (tok == nil) == (e == nil) {
			t.Fatalf("want exactly one of a token and an error, got %v and %v", tok, e)
		}
		if tok != nil {
			if status < 200 || status > 299 {
				t.Fatalf("HTTP %d gave a token", status)
			}
			if tok.AccessToken == "" || tok.ExpiresIn < 0 || tok.RefreshExpiresIn < 0 || !headerSafe(tok.AccessToken) {
				t.Fatalf("bad token %+v", tok)
			}
			return
		}
		if e.Status != status || e.Kind == KindUnknown {
			t.Fatalf("error with status %d kind %v for HTTP %d", e.Status, e.Kind, status)
		}
		checkNoBodyToken(t, e, body)
	})
}

// fuzzTransport answers every request with one fixed response.
type fuzzTransport struct {
	status      int
	contentType string
	body        []byte
}

func (c fuzzTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	h := http.Header{"X-Request-Id": {"fuzz-request"}}
	if c.contentType != "" {
		h.Set("Content-Type", c.contentType)
	}
	return &http.Response{
		StatusCode: c.status, Status: http.StatusText(c.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)), Request: req,
	}, nil
}

func FuzzOAuthResponse(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"token_type":"Bearer","expires_in":31622400,"access_token":"eyJ0.eyJ1.sig","refresh_token":"def50200abc"}`))
	f.Add(400, "application/json", []byte(`{"error":"invalid_grant","error_description":"The user credentials were incorrect.","message":"The user credentials were incorrect."}`))
	f.Add(200, "application/x-www-form-urlencoded", []byte("access_token=AT&token_type=bearer"))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		status = fuzzStatus(status)
		const secret, password = "fuzz-client-secret", "fuzz-password"
		c := NewClient(ClientOptions{Transport: fuzzTransport{status, contentType, body}, MaxRetries: 0})
		for _, a := range []*OAuthAdapter{
			NewEasyTranslate(c, "https://et.example", OAuthCredentials{ClientID: "c", ClientSecret: secret,
				Username: "u", Password: password, Scope: DefaultEasyTranslateScope}),
			NewSmartConnect(c, "https://sc.example", OAuthCredentials{ClientID: "c", ClientSecret: secret,
				Username: "u", Password: password}),
		} {
			for _, op := range []string{OpAuthenticate, OpRefresh} {
				var tok *Token
				var err error
				if op == OpRefresh {
					tok, err = a.Refresh(context.Background(), "fuzz-refresh-token")
				} else {
					tok, err = a.Authenticate(context.Background())
				}
				if (tok == nil) == (err == nil) {
					t.Fatalf("want exactly one of a token and an error, got %v and %v", tok, err)
				}
				if tok != nil {
					if status < 200 || status > 299 {
						t.Fatalf("HTTP %d gave a token", status)
					}
					if tok.AccessToken == "" || tok.ExpiresIn < 0 || !headerSafe(tok.AccessToken) {
						t.Fatalf("bad token %+v", tok)
					}
					continue
				}
				e, ok := AsError(err)
				if !ok {
					t.Fatalf("error %T is not an *auth.Error: %v", err, err)
				}
				if e.Kind == KindUnknown || e.Platform != a.Platform() || e.Operation != op {
					t.Fatalf("error of kind %v, platform %q, operation %q", e.Kind, e.Platform, e.Operation)
				}
				if e.Kind != KindNetwork && e.Status != status {
					t.Fatalf("error with status %d for HTTP %d: %v", e.Status, status, err)
				}
				text := err.Error()
				for _, s := range []string{secret, password, "fuzz-refresh-token"} {
					if strings.Contains(text, s) {
						t.Fatalf("the error holds a secret: %s", text)
					}
				}
				checkNoBodyToken(t, e, body)
			}
		}
	})
}

// FuzzScrubEncodings puts every encoding of a secret (and of Basic
// credentials with an id) that a request may carry into arbitrary text, and
// checks that none survives the scrubber outside a "[REDACTED]" marker, and
// that a secret shorter than minScrubLen leaves the text unchanged.
func FuzzScrubEncodings(f *testing.F) {
	f.Add("client-id", "s3cr&t p@ss", "error: ", " | ")
	f.Add("cid", `p<a>ss&"word"/\`, "{\"message\":\"", "\"}")
	f.Add("", "pässwörd 🔑\t\u2028", "", "")
	f.Add("id", "abc", "abc a+b ", " ")
	f.Fuzz(func(t *testing.T, id, secret, prefix, suffix string) {
		encs := secretEncodings(id, secret)
		keys := make([]string, 0, len(encs))
		for k := range encs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString(prefix)
		for _, k := range keys {
			b.WriteString(encs[k])
			b.WriteString(suffix)
		}
		text := b.String()
		s := append(scrubber{secret}, basicAuth(id, secret)...)
		got := s.scrub(text)
		if len(secret) < minScrubLen {
			if got != text {
				t.Fatalf("a %d-byte secret changed the text:\n%q\n%q", len(secret), text, got)
			}
			return
		}
		if left := survivors(got, id, secret); len(left) > 0 {
			t.Fatalf("the scrubbed text still holds %v:\n%q", left, got)
		}
	})
}
