package auth

import (
	"context"
	"encoding/json"
	"errors"
	"io"
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
	platform Platform
	creds    OAuthCredentials
	config   *oauth2.Config
	http     *http.Client
	key      string
}

var _ Adapter = (*OAuthAdapter)(nil)

// NewEasyTranslate returns an adapter for EasyTranslate's {base_url}/oauth/token.
func NewEasyTranslate(c *Client, baseURL string, creds OAuthCredentials) *OAuthAdapter {
	creds.TokenURL = TrimBaseURL(baseURL) + easyTranslateTokenPath
	return newOAuth(c, EasyTranslate, creds)
}

// NewSmartConnect returns an adapter for SmartConnect's {base_url}/token.
func NewSmartConnect(c *Client, baseURL string, creds OAuthCredentials) *OAuthAdapter {
	creds.TokenURL = TrimBaseURL(baseURL) + smartConnectTokenPath
	return newOAuth(c, SmartConnect, creds)
}

func newOAuth(c *Client, p Platform, creds OAuthCredentials) *OAuthAdapter {
	var scopes []string
	if creds.Scope != "" {
		scopes = strings.Fields(creds.Scope)
	}
	return &OAuthAdapter{
		platform: p,
		creds:    creds,
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
	}
}

// Key implements Adapter.
func (a *OAuthAdapter) Key() string { return a.key }

// Platform implements Adapter.
func (a *OAuthAdapter) Platform() Platform { return a.platform }

// Authenticate implements Adapter with the password grant.
func (a *OAuthAdapter) Authenticate(ctx context.Context) (*Token, error) {
	ctx, info := withRequestInfo(ctx, a.platform, OpAuthenticate)
	tok, err := a.config.PasswordCredentialsToken(a.withClient(ctx), a.creds.Username, a.creds.Password)
	return a.result(OpAuthenticate, info, tok, err, scrubber{a.creds.ClientSecret, a.creds.Password})
}

// Refresh implements Adapter with the refresh_token grant.
func (a *OAuthAdapter) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	ctx, info := withRequestInfo(ctx, a.platform, OpRefresh)
	tok, err := a.config.TokenSource(a.withClient(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	return a.result(OpRefresh, info, tok, err, scrubber{a.creds.ClientSecret, a.creds.Password, refreshToken})
}

func (a *OAuthAdapter) withClient(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, a.http)
}

func (a *OAuthAdapter) result(op string, info *requestInfo, tok *oauth2.Token, err error, s scrubber) (*Token, error) {
	if ans := info.answer(); ans != nil && errors.Is(ans.readErr, errTooLarge) {
		// Cut at the cap, the answer may still have parsed (a form-encoded
		// one does), with a token cut short.
		e := &Error{Platform: a.platform, Status: ans.status, Kind: kindForStatus(ans.status),
			RequestID: requestID(ans.header), Detail: detailTooLarge}
		if ans.status >= 200 && ans.status <= 299 {
			e.Kind = KindBadResponse
		}
		e.Operation, e.URL, e.Attempts = op, a.creds.TokenURL, attempts(info)
		return nil, s.scrubError(e)
	}
	if err == nil {
		return &Token{
			AccessToken:  tok.AccessToken,
			RefreshToken: tok.RefreshToken,
			ExpiresIn:    lifetime(tok),
			RequestID:    info.requestID(),
		}, nil
	}
	e := oauthError(a.platform, err)
	if e == nil {
		e = transportError(a.platform, op, a.creds.TokenURL, info, err)
	} else if re := (*oauth2.RetrieveError)(nil); !errors.As(err, &re) {
		// golang.org/x/oauth2 keeps neither the status nor the headers of a
		// success answer it could not use: take them from the last attempt.
		if st := info.status(); st != 0 {
			e.Status = st
		}
		e.RequestID = info.requestID()
	}
	e.Operation, e.URL, e.Attempts = op, a.creds.TokenURL, attempts(info)
	return nil, s.scrubError(e)
}

// lifetime reads expires_in; oauth2 keeps it only for JSON answers.
func lifetime(tok *oauth2.Token) time.Duration {
	if tok.ExpiresIn > 0 {
		return time.Duration(tok.ExpiresIn) * time.Second
	}
	return 0
}

// oauthError turns what golang.org/x/oauth2 returned into an *Error, or nil if
// err is a transport error (no answer arrived).
func oauthError(p Platform, err error) *Error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		e := &Error{Platform: p, Code: shorten(re.ErrorCode), Message: shorten(re.ErrorDescription)}
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
			e.Message = shorten(laravelMessage(re.Body))
		}
		return bodyTokens(re.Body).scrubError(e)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "server response missing access_token"):
		return &Error{Platform: p, Status: 200, Kind: KindNoToken, Detail: "the answer carries no access_token"}
	case strings.Contains(msg, "oauth2: cannot parse"):
		return &Error{Platform: p, Status: 200, Kind: KindBadResponse, Detail: "the answer is not a valid token response"}
	case strings.Contains(msg, "oauth2: cannot fetch token"):
		return &Error{Platform: p, Kind: KindBadResponse, Detail: detailCutOff}
	}
	return nil
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
