package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// secretEncodings are the forms in which a request may carry secret (and,
// for Basic credentials, id), each computed here with the standard library
// the way an encoder would, not with the scrubber's own code.
func secretEncodings(id, secret string) map[string]string {
	out := map[string]string{"raw": secret}
	form := strings.TrimPrefix(url.Values{"k": {secret}}.Encode(), "k=")
	out["form-encoded, + for space"] = form
	out["percent-encoded, %20 for space"] = strings.ReplaceAll(form, "+", "%20")
	out["path-escaped"] = url.PathEscape(secret)
	lowerHex := regexp.MustCompile(`%[0-9A-F]{2}`)
	for _, k := range []string{"form-encoded, + for space", "percent-encoded, %20 for space", "path-escaped"} {
		out[k+", lower-case hex"] = lowerHex.ReplaceAllStringFunc(out[k], strings.ToLower)
	}
	htmlSafe, _ := json.Marshal(secret)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	// Each JSON escape is a backslash and what follows it: \\ before a u of
	// the secret is not the start of a \uXXXX escape.
	upperHex := regexp.MustCompile(`\\(u[0-9a-f]{4}|.)`)
	for name, quoted := range map[string]string{"JSON with HTML escapes": string(htmlSafe), "JSON without HTML escapes": strings.TrimSpace(plain.String())} {
		j := quoted[1 : len(quoted)-1]
		out[name] = j
		out[name+", escaped slashes"] = strings.ReplaceAll(j, "/", `\/`)
		out[name+", upper-case hex"] = upperHex.ReplaceAllStringFunc(j, func(m string) string {
			if len(m) == 6 && m[1] == 'u' {
				return `\u` + strings.ToUpper(m[2:])
			}
			return m
		})
	}
	basic := func(user, pass string) string {
		r, _ := http.NewRequest(http.MethodGet, "https://x.example", nil)
		r.SetBasicAuth(user, pass)
		return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
	}
	if id != "" {
		pair := []byte(id + ":" + secret)
		out["Basic credentials, base64"] = basic(id, secret)
		out["Basic credentials, base64 unpadded"] = strings.TrimRight(basic(id, secret), "=")
		out["Basic credentials, URL-safe base64"] = base64.URLEncoding.EncodeToString(pair)
		out["Basic credentials, URL-safe base64 unpadded"] = base64.RawURLEncoding.EncodeToString(pair)
		out["Basic credentials of the form-encoded pair, base64"] = basic(url.QueryEscape(id), url.QueryEscape(secret))
	}
	return out
}

// survivors returns the encodings of secret that text still holds outside
// the "[REDACTED]" markers (an encoding that spans a marker was cut by it).
func survivors(text, id, secret string) []string {
	var found []string
	pieces := strings.Split(text, "[REDACTED]")
	for name, enc := range secretEncodings(id, secret) {
		for _, p := range pieces {
			if strings.Contains(p, enc) {
				found = append(found, fmt.Sprintf("%s %q", name, enc))
				break
			}
		}
	}
	sort.Strings(found)
	return found
}

func TestScrubber_redactsEveryEncodingOfTheSecret(t *testing.T) {
	t.Parallel()
	const id = "client-id"
	secrets := map[string]string{
		"ampersand, space and at sign": "s3cr&t p@ss",
		"HTML-special characters":      `p<a>ss&"word"`,
		"slashes and backslashes":      `a/b\c/d+e=f`,
		"control characters":           "tab\there\nnew\u2028line",
		"non-ASCII":                    "pässwörd 🔑",
		"percent sequences":            "100%25 sure %zz",
	}
	for secretName, secret := range secrets {
		for name, enc := range secretEncodings(id, secret) {
			t.Run(secretName+" "+name, func(t *testing.T) {
				t.Parallel()
				s := append(scrubber{secret}, basicAuth(id, secret)...)
				text := "the API says: " + enc + ", again: " + enc + "."
				got := s.scrub(text)
				if left := survivors(got, id, secret); len(left) > 0 {
					t.Errorf("scrub(%q) = %q still holds %v", text, got, left)
				}
				if !strings.Contains(got, "[REDACTED]") || !strings.HasPrefix(got, "the API says: ") {
					t.Errorf("scrub(%q) = %q, want the text with [REDACTED] in place of the secret", text, got)
				}
			})
		}
	}
}

// Secrets shorter than four bytes stay: "abc" or "1" would match inside
// ordinary words and shred every message while hiding next to nothing.
func TestScrubber_leavesShortSecrets(t *testing.T) {
	t.Parallel()
	s := append(scrubber{"a b", "x&"}, basicAuth("id", "a b")...)
	const text = "a b, a+b, a%20b, x%26, x\\u0026 and aWQ6YSBi stay"
	if got := s.scrub(text); got != text {
		t.Errorf("scrub(%q) = %q, want it unchanged", text, got)
	}
}

func TestAdapters_echoedEncodingsOfSecretsAreScrubbed(t *testing.T) {
	t.Parallel()
	const (
		clientID = "client id+&"
		secret   = `s3cr&t p@ss/<x>"q'\`
	)
	for _, p := range platformCases {
		for _, op := range []string{OpAuthenticate, OpRefresh} {
			t.Run(p.name+" "+op, func(t *testing.T) {
				t.Parallel()
				// Every encoding of every secret the request carried, and the
				// request body itself, come back in the error, and one per
				// attempt in the request id header.
				secrets := map[string]string{secret: clientID}
				if op == OpRefresh {
					secrets[testRefreshToken] = ""
				}
				var echo []string
				for sec, id := range secrets {
					for _, enc := range secretEncodings(id, sec) {
						echo = append(echo, enc)
					}
				}
				sort.Strings(echo)
				var attempt int
				srv := newRecordingServer(t, func(w http.ResponseWriter, r recordedRequest) {
					attempt++
					w.Header().Set("X-Request-Id", echo[attempt%len(echo)])
					w.Header().Set("X-SL-RequestId", echo[(attempt+1)%len(echo)])
					w.Header().Set("Content-Type", "application/json")
					status := http.StatusBadRequest
					if attempt < 4 {
						status = http.StatusServiceUnavailable // retried: more log lines
					}
					w.WriteHeader(status)
					message := "you sent " + string(r.Body) + " | " + strings.Join(echo, " | ")
					body, _ := json.Marshal(map[string]any{
						"error": "invalid_grant " + message, "error_description": message, "message": message,
						"response": map[string]any{"code": "VALIDATION_ERROR " + message,
							"errors": []map[string]any{{"key": message, "message": message}}},
					})
					_, _ = w.Write(body)
				})
				log := &recordingLogger{}
				c := testClient(ClientOptions{MaxRetries: 3, Logger: log})
				oauth := OAuthCredentials{ClientID: clientID, ClientSecret: secret, Username: "user", Password: secret}
				a := map[string]Adapter{
					"Smartling":     NewSmartling(c, SmartlingCredentials{BaseURL: srv.URL, UserIdentifier: clientID, UserSecret: secret}),
					"EasyTranslate": NewEasyTranslate(c, srv.URL, oauth),
					"SmartConnect":  NewSmartConnect(c, srv.URL, oauth),
				}[p.name]
				_, err := request(a, op)
				e := mustError(t, err)
				if e.Status != http.StatusBadRequest || e.Attempts != 4 {
					t.Fatalf("status %d after %d attempts, want 400 after 4: %v", e.Status, e.Attempts, err)
				}
				for sec, id := range secrets {
					if left := survivors(err.Error(), id, sec); len(left) > 0 {
						t.Errorf("the error holds %v: %s", left, err)
					}
				}
				if len(log.lines) != 4 {
					t.Fatalf("%d log lines, want 4", len(log.lines))
				}
				for i, l := range log.lines {
					text := l.msg
					for k, v := range l.fields {
						text += fmt.Sprintf(" %s=%v", k, v)
					}
					for sec, id := range secrets {
						if left := survivors(text, id, sec); len(left) > 0 {
							t.Errorf("log line %d holds %v: %s", i, left, text)
						}
					}
				}
			})
		}
	}
}

// Texts are scrubbed before they are shortened: a cut through a secret
// would leave its first bytes behind, unrecognised.
func TestScrubber_scrubsBeforeShortening(t *testing.T) {
	t.Parallel()
	const secret = "s3cret-value-0123456789"
	pad := strings.Repeat("x", 290)
	e := scrubber{secret}.scrubError(&Error{Code: pad + secret, Key: pad + secret, Message: pad + secret,
		Detail: pad + secret, RequestID: strings.Repeat("r", 120) + secret})
	for name, v := range map[string]string{"code": e.Code, "key": e.Key, "message": e.Message, "detail": e.Detail, "request id": e.RequestID} {
		if strings.Contains(v, secret[:6]) {
			t.Errorf("the %s keeps the start of the secret: %q", name, v)
		}
		if len(v) > 310 {
			t.Errorf("the %s was not shortened: %d bytes", name, len(v))
		}
	}
}

func TestScrubber(t *testing.T) {
	t.Parallel()
	s := scrubber{"hunter22", "abc", ""}
	e := s.scrubError(&Error{Code: "x hunter22", Key: "hunter22", Message: "pw hunter22 abc", Detail: "hunter22!", RequestID: "hunter22"})
	for _, v := range []string{e.Code, e.Key, e.Message, e.Detail, e.RequestID} {
		if v == "" || strings.Contains(v, "hunter22") {
			t.Errorf("not scrubbed: %q", v)
		}
	}
	// Values shorter than four bytes are left alone: they would mangle text.
	if e.Message != "pw [REDACTED] abc" {
		t.Errorf("message %q", e.Message)
	}
}

func TestBodyTokens(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body string
		want []string
	}{
		"smartling envelope": {`{"response":{"data":{"accessToken":"A1","refreshToken":"R1","expiresIn":480}}}`, []string{"A1", "R1"}},
		"oauth, any case":    {`{"Access_Token":"A2","refresh_token":"R2","token_type":"bearer"}`, []string{"A2", "R2"}},
		"nested in an array": {`{"errors":[{"details":{"access_token":"A3"}}]}`, []string{"A3"}},
		"form encoded":       {`access_token=A4&refresh_token=R4&token_type=bearer`, []string{"A4", "R4"}},
		"huge number first":  {`{"n":1e999,"access_token":"A5"}`, []string{"A5"}},
		"no token":           {`{"error":"invalid_grant","error_description":"no"}`, nil},
		"html":               {`<html><body>502</body></html>`, nil},
	} {
		got := map[string]bool{}
		for _, v := range bodyTokens([]byte(tc.body)) {
			got[v] = true
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("%s: %q not found among %v", name, w, got)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %d values %v, want %v", name, len(got), got, tc.want)
		}
	}
}
