package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Smartling's token paths below its API root, and the lifetime assumed for an
// access token whose answer has no expiresIn: the 480 s its documentation
// gives.
const (
	smartlingAuthenticatePath = "/auth-api/v2/authenticate"
	smartlingRefreshPath      = "/auth-api/v2/authenticate/refresh"
	smartlingLifetime         = 480 * time.Second
)

// SmartlingCredentials are an API token's user identifier and secret.
type SmartlingCredentials struct {
	BaseURL        string // API root; empty means SmartlingDefaultBaseURL
	UserIdentifier string
	UserSecret     string
}

// SmartlingAdapter authenticates with Smartling's auth-api v2.
type SmartlingAdapter struct {
	client  *Client
	creds   SmartlingCredentials
	secret  scrubber // the credentials' secrets, in every form
	authURL string
	refURL  string
	key     string
}

var _ Adapter = (*SmartlingAdapter)(nil)

// NewSmartling returns an adapter for one Smartling API token.
func NewSmartling(c *Client, creds SmartlingCredentials) *SmartlingAdapter {
	if creds.BaseURL == "" {
		creds.BaseURL = SmartlingDefaultBaseURL
	}
	root := TrimBaseURL(creds.BaseURL)
	a := &SmartlingAdapter{
		client:  c,
		creds:   creds,
		authURL: root + smartlingAuthenticatePath,
		refURL:  root + smartlingRefreshPath,
	}
	a.key = cacheKey(Smartling, a.authURL, []string{creds.UserIdentifier}, []string{creds.UserSecret})
	a.secret = append(scrubber{creds.UserSecret}, basicAuth(creds.UserIdentifier, creds.UserSecret)...)
	return a
}

// Key implements Adapter.
func (a *SmartlingAdapter) Key() string { return a.key }

// Platform implements Adapter.
func (a *SmartlingAdapter) Platform() Platform { return Smartling }

// Authenticate implements Adapter.
func (a *SmartlingAdapter) Authenticate(ctx context.Context) (*Token, error) {
	body, err := json.Marshal(struct {
		UserIdentifier string `json:"userIdentifier"`
		UserSecret     string `json:"userSecret"`
	}{a.creds.UserIdentifier, a.creds.UserSecret})
	if err != nil {
		return nil, err
	}
	return a.post(ctx, OpAuthenticate, a.authURL, body, a.secrets())
}

// Refresh implements Adapter.
func (a *SmartlingAdapter) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	body, err := json.Marshal(struct {
		RefreshToken string `json:"refreshToken"`
	}{refreshToken})
	if err != nil {
		return nil, err
	}
	return a.post(ctx, OpRefresh, a.refURL, body, a.secrets(refreshToken))
}

// secrets returns a scrubber for the credentials and any other secret a
// request carries.
func (a *SmartlingAdapter) secrets(more ...string) scrubber {
	return append(a.secret[:len(a.secret):len(a.secret)], more...)
}

func (a *SmartlingAdapter) post(ctx context.Context, op, url string, body []byte, s scrubber) (*Token, error) {
	ctx, info := withRequestInfo(ctx, Smartling, op, s)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Platform: Smartling, Operation: op, URL: url, Kind: KindNetwork, Detail: "cannot build the request", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := a.client.retry.Do(req)
	if err != nil {
		return nil, a.client.finish(transportError(Smartling, op, url, info, err), op, url, info, s)
	}
	data, readErr := readBody(resp)
	tok, apiErr := decodeSmartling(resp.StatusCode, resp.Header, data, readErr, s)
	if apiErr != nil {
		return nil, a.client.finish(apiErr, op, url, info, s)
	}
	tok.RequestID = info.requestID()
	return tok, nil
}

// smartlingEnvelope is the {"response":{...}} wrapper of every answer.
type smartlingEnvelope struct {
	Response *struct {
		Code string `json:"code"`
		Data *struct {
			AccessToken      string       `json:"accessToken"`
			RefreshToken     string       `json:"refreshToken"`
			ExpiresIn        *json.Number `json:"expiresIn"`
			RefreshExpiresIn *json.Number `json:"refreshExpiresIn"`
			TokenType        string       `json:"tokenType"`
		} `json:"data"`
		Errors []struct {
			Key     *string `json:"key"`
			Message string  `json:"message"`
		} `json:"errors"`
	} `json:"response"`
}

// decodeSmartling turns a Smartling answer into a token or an *Error. readErr
// is the error of reading the body, if any (a connection cut mid-body). The
// envelope is parsed only when the answer is JSON: a proxy may send HTML. An
// error is scrubbed of s's secrets and of every token the body carried; a
// token's RequestID is the header as sent.
func decodeSmartling(status int, header http.Header, body []byte, readErr error, s scrubber) (*Token, *Error) {
	tok, e := parseSmartling(status, header, body, readErr)
	if e != nil {
		// Only error paths pay for scrubbing: an error never repeats a
		// secret the request sent or a token the answer carried.
		return nil, append(s[:len(s):len(s)], bodyTokens(body)...).scrubError(e)
	}
	return tok, nil
}

func parseSmartling(status int, header http.Header, body []byte, readErr error) (*Token, *Error) {
	e := &Error{Platform: Smartling, Status: status, RequestID: requestID(header)}
	if status < 200 || status > 299 {
		e.Kind = kindForStatus(status)
	}
	orBadResponse := func() {
		if e.Kind == KindUnknown {
			e.Kind = KindBadResponse
		}
	}
	if !isJSON(header.Get("Content-Type"), body) {
		orBadResponse()
		e.Detail = notJSON(header)
		return nil, e
	}
	if errors.Is(readErr, errTooLarge) {
		orBadResponse()
		e.Detail = detailTooLarge
		return nil, e
	}
	var env smartlingEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.Response == nil {
		orBadResponse()
		switch {
		case readErr != nil:
			e.Detail = detailCutOff
		case err != nil:
			e.Detail = "the answer is not valid JSON"
		default:
			e.Detail = `the answer has no "response" envelope`
		}
		return nil, e
	}
	r := env.Response
	e.Code = r.Code
	if len(r.Errors) > 0 {
		if r.Errors[0].Key != nil {
			e.Key = *r.Errors[0].Key
		}
		e.Message = r.Errors[0].Message
	}
	switch {
	case e.Kind != KindUnknown:
	case r.Code != "SUCCESS":
		e.Kind = KindRejected
		e.Detail = "the API did not report SUCCESS"
	case r.Data == nil || r.Data.AccessToken == "":
		e.Kind = KindNoToken
		e.Detail = "the answer reports SUCCESS but carries no access token"
	default:
		if d := unusableToken(r.Data.AccessToken, r.Data.TokenType, "tokenType"); d != "" {
			e.Kind = KindBadResponse
			e.Detail = d
			break
		}
		expiresIn, reported := seconds(r.Data.ExpiresIn)
		refreshExpiresIn, _ := seconds(r.Data.RefreshExpiresIn)
		return &Token{
			AccessToken:      r.Data.AccessToken,
			RefreshToken:     r.Data.RefreshToken,
			ExpiresIn:        expiresIn,
			AssumedLifetime:  assumedLifetime(reported, smartlingLifetime),
			RefreshExpiresIn: refreshExpiresIn,
			RequestID:        e.RequestID,
		}, nil
	}
	return nil, e
}

// seconds reads a lifetime in seconds that may be an integer or a decimal,
// and reports whether the answer had a usable one. A lifetime of 0 or less
// is reported (as 0): the token must not be reused. A missing value, one that
// is not a number or one beyond 1e10 s is not reported.
func seconds(n *json.Number) (time.Duration, bool) {
	if n == nil {
		return 0, false
	}
	f, err := n.Float64()
	switch {
	case err != nil || f > 1e10:
		return 0, false
	case f <= 0:
		return 0, true
	}
	return time.Duration(f * float64(time.Second)), true
}

// isJSON reports whether a body should be parsed as JSON: a JSON media type,
// or no media type and a body that starts like an object.
func isJSON(contentType string, body []byte) bool {
	if contentType == "" {
		b := bytes.TrimSpace(body)
		return len(b) > 0 && b[0] == '{'
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || (len(mt) > 5 && mt[len(mt)-5:] == "+json")
}

func contentTypeOf(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return ct // scrubError shortens the detail
	}
	return "no Content-Type"
}
