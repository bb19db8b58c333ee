package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// OAuthCredentials are the inputs of an OAuth2 resource owner password grant
// with the client credentials in the form body.
type OAuthCredentials struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Username     string
	Password     string
	Scope        string // sent on the password and refresh grants when not empty
}

// OAuthAdapter obtains tokens with golang.org/x/oauth2's password grant and
// refreshes them with its refresh_token grant. EasyTranslate and SmartConnect
// are both this adapter with their own token URL and scope.
type OAuthAdapter struct {
	client   *Client
	platform Platform
	creds    OAuthCredentials
	lifetime time.Duration // assumed for an answer without expires_in
	config   *oauth2.Config
	http     *http.Client
	key      string
	secret   scrubber // the credentials' secrets, in every form
}

var _ Adapter = (*OAuthAdapter)(nil)

// newOAuth returns the adapter of platform p; an answer without expires_in
// is assumed to live lifetime.
func newOAuth(c *Client, p Platform, creds OAuthCredentials, lifetime time.Duration) *OAuthAdapter {
	var scopes []string
	if creds.Scope != "" {
		scopes = strings.Fields(creds.Scope)
	}
	return &OAuthAdapter{
		client:   c,
		platform: p,
		creds:    creds,
		lifetime: lifetime,
		config: &oauth2.Config{
			ClientID:     creds.ClientID,
			ClientSecret: creds.ClientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: creds.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
			Scopes:       scopes,
		},
		http: &http.Client{Transport: &tokenFormTransport{next: c.httpClient().Transport, scope: creds.Scope},
			CheckRedirect: noRedirect},
		key: cacheKey(p, creds.TokenURL, []string{creds.ClientID, creds.Username, creds.Scope},
			[]string{creds.ClientSecret, creds.Password}),
		secret: append(scrubber{creds.ClientSecret, creds.Password}, basicAuth(creds.ClientID, creds.ClientSecret)...),
	}
}

// Key implements Adapter.
func (a *OAuthAdapter) Key() string { return a.key }

// Platform implements Adapter.
func (a *OAuthAdapter) Platform() Platform { return a.platform }

// Authenticate implements Adapter with the password grant.
func (a *OAuthAdapter) Authenticate(ctx context.Context) (*Token, error) {
	s := a.secrets()
	ctx, info := withRequestInfo(ctx, a.platform, OpAuthenticate, s)
	tok, err := a.config.PasswordCredentialsToken(a.withClient(ctx), a.creds.Username, a.creds.Password)
	return a.result(OpAuthenticate, info, tok, err, s)
}

// Refresh implements Adapter with the refresh_token grant.
func (a *OAuthAdapter) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	s := a.secrets(refreshToken)
	ctx, info := withRequestInfo(ctx, a.platform, OpRefresh, s)
	tok, err := a.config.TokenSource(a.withClient(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	return a.result(OpRefresh, info, tok, err, s)
}

// secrets returns a scrubber for the credentials and any other secret a
// request carries.
func (a *OAuthAdapter) secrets(more ...string) scrubber {
	return append(a.secret[:len(a.secret):len(a.secret)], more...)
}

func (a *OAuthAdapter) withClient(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, a.http)
}

func (a *OAuthAdapter) result(op string, info *requestInfo, tok *oauth2.Token, err error, s scrubber) (*Token, error) {
	ans := info.answer()
	var e *Error
	var re *oauth2.RetrieveError
	var ue *url.Error
	switch {
	case errors.As(err, &ue) || (err != nil && ans == nil):
		// http.Client.Do failed: no answer reached x/oauth2 (the retry
		// loop may have kept an earlier one, as when canceled in a backoff).
		e = transportError(a.platform, op, a.creds.TokenURL, info, err)
	case ans != nil && errors.Is(ans.readErr, errTooLarge):
		// Cut at the cap, the answer may still have parsed (a form-encoded
		// one does), with a token cut short.
		e = answerError(a.platform, ans, kindForStatus(ans.status), detailTooLarge)
	case err == nil:
		if d := unusableToken(tok.AccessToken, tok.TokenType, "token_type"); d != "" {
			e = answerError(a.platform, ans, KindBadResponse, d)
			break
		}
		expiresIn, reported := seconds(expiresInField(tok))
		return &Token{
			AccessToken:     tok.AccessToken,
			RefreshToken:    tok.RefreshToken,
			ExpiresIn:       expiresIn,
			AssumedLifetime: assumedLifetime(reported, a.lifetime),
			RequestID:       info.requestID(),
		}, nil
	case errors.As(err, &re):
		e = oauthError(a.platform, re)
	default:
		// The answer reached x/oauth2, which could not use it.
		e = unusableAnswer(a.platform, ans)
	}
	return nil, a.client.finish(e, op, a.creds.TokenURL, info, s)
}

// expiresInField is the answer's expires_in as a number, nil when it has
// none. x/oauth2 keeps the field as it was sent, for JSON and form answers.
func expiresInField(tok *oauth2.Token) *json.Number {
	v := tok.Extra("expires_in")
	if v == nil || v == "" {
		return nil
	}
	n := json.Number(strings.TrimSpace(fmt.Sprint(v)))
	return &n
}

// oauthError turns an error answer that golang.org/x/oauth2 parsed into an
// *Error, not yet scrubbed.
func oauthError(p Platform, re *oauth2.RetrieveError) *Error {
	e := &Error{Platform: p, Code: re.ErrorCode, Message: re.ErrorDescription}
	if re.Response != nil {
		e.Status = re.Response.StatusCode
		e.RequestID = requestID(re.Response.Header)
		e.Kind = kindForStatus(e.Status)
		if e.Status >= 200 && e.Status < 300 {
			e.Kind = KindRejected // an "error" field in a 200 answer
		}
		if !isJSON(re.Response.Header.Get("Content-Type"), re.Body) {
			e.Detail = notJSON(re.Response.Header)
		} else if e.Code == "" {
			e.Detail = "the answer carries no OAuth2 error code"
		}
	}
	if e.Message == "" {
		e.Message = laravelMessage(re.Body)
	}
	return e // Client.finish scrubs it, with the tokens of the body
}

// unusableAnswer explains why golang.org/x/oauth2 could not use an answer
// that was not an OAuth2 error: its body broke off, it lacks the access
// token, or it does not parse as a token response. x/oauth2 returns these
// as plain errors; the answer itself, as the transport kept it, tells
// them apart.
func unusableAnswer(p Platform, ans *answer) *Error {
	switch {
	case ans.readErr != nil:
		return answerError(p, ans, KindBadResponse, detailCutOff)
	case parsesAsTokenResponse(ans):
		return answerError(p, ans, KindNoToken, "the answer carries no access_token")
	default:
		return answerError(p, ans, KindBadResponse, "the answer is not a valid token response")
	}
}

// answerError is an *Error about an answer as a whole, with its status and
// request id.
func answerError(p Platform, ans *answer, kind ErrorKind, detail string) *Error {
	e := &Error{Platform: p, Kind: kind, Detail: detail}
	if ans != nil {
		e.Status, e.RequestID = ans.status, requestID(ans.header)
	}
	return e
}

// parsesAsTokenResponse reports whether a body reads as x/oauth2 reads a
// token response: a query string for a form or text/plain content type, else
// a JSON object (or null).
func parsesAsTokenResponse(ans *answer) bool {
	mt, _, _ := mime.ParseMediaType(ans.header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" || mt == "text/plain" {
		_, err := url.ParseQuery(string(ans.body))
		return err == nil
	}
	var v map[string]json.RawMessage
	return json.Unmarshal(ans.body, &v) == nil
}

// laravelMessage reads the "message" field EasyTranslate adds to its errors.
func laravelMessage(body []byte) string {
	var v struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	return v.Message
}

// tokenFormTransport sends what golang.org/x/oauth2 cannot express: the Accept
// header EasyTranslate asks for, and the scope on the refresh_token grant.
type tokenFormTransport struct {
	next  http.RoundTripper
	scope string
}

func (t *tokenFormTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Accept", "application/json")
	if t.scope != "" && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(body))
		if err == nil && form.Get("grant_type") == "refresh_token" && form.Get("scope") == "" {
			form.Set("scope", t.scope)
			body = []byte(form.Encode())
		}
		req.Body = io.NopCloser(strings.NewReader(string(body)))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(body))), nil }
	}
	return t.next.RoundTrip(req)
}
