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
	return a.post(ctx, OpAuthenticate, a.authURL, body, scrubber{a.creds.UserSecret})
}

// Refresh implements Adapter.
func (a *SmartlingAdapter) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	body, err := json.Marshal(struct {
		RefreshToken string `json:"refreshToken"`
	}{refreshToken})
	if err != nil {
		return nil, err
	}
	return a.post(ctx, OpRefresh, a.refURL, body, scrubber{a.creds.UserSecret, refreshToken})
}

func (a *SmartlingAdapter) post(ctx context.Context, op, url string, body []byte, s scrubber) (*Token, error) {
	ctx, info := withRequestInfo(ctx, Smartling, op)
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
	tok, apiErr := decodeSmartling(resp.StatusCode, resp.Header, data, readErr)
	if apiErr != nil {
		return nil, a.client.finish(apiErr, op, url, info, s)
	}
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
// envelope is parsed only when the answer is JSON: a proxy may send HTML.
func decodeSmartling(status int, header http.Header, body []byte, readErr error) (*Token, *Error) {
	e := &Error{Platform: Smartling, Status: status, RequestID: requestID(header)}
	if status < 200 || status > 299 {
		e.Kind = kindForStatus(status)
	}
	if !isJSON(header.Get("Content-Type"), body) {
		if e.Kind == KindUnknown {
			e.Kind = KindBadResponse
		}
		e.Detail = notJSON(header)
		return nil, e
	}
	if errors.Is(readErr, errTooLarge) {
		if e.Kind == KindUnknown {
			e.Kind = KindBadResponse
		}
		e.Detail = detailTooLarge
		return nil, e
	}
	var env smartlingEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.Response == nil {
		if e.Kind == KindUnknown {
			e.Kind = KindBadResponse
		}
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
	e.Code = shorten(r.Code)
	if len(r.Errors) > 0 {
		if r.Errors[0].Key != nil {
			e.Key = shorten(*r.Errors[0].Key)
		}
		e.Message = shorten(r.Errors[0].Message)
	}
	// Only error paths pay for scrubbing: an error never repeats a token the
	// answer carried.
	fail := func() (*Token, *Error) { return nil, bodyTokens(body).scrubError(e) }
	if e.Kind != KindUnknown {
		return fail()
	}
	if r.Code != "SUCCESS" {
		e.Kind = KindRejected
		e.Detail = "the API did not report SUCCESS"
		return fail()
	}
	if r.Data == nil || r.Data.AccessToken == "" {
		e.Kind = KindNoToken
		e.Detail = "the answer reports SUCCESS but carries no access token"
		return fail()
	}
	if d := unusableToken(r.Data.AccessToken, r.Data.TokenType, "tokenType"); d != "" {
		e.Kind = KindBadResponse
		e.Detail = d
		return fail()
	}
	return &Token{
		AccessToken:      r.Data.AccessToken,
		RefreshToken:     r.Data.RefreshToken,
		ExpiresIn:        seconds(r.Data.ExpiresIn),
		RefreshExpiresIn: seconds(r.Data.RefreshExpiresIn),
		RequestID:        e.RequestID,
	}, nil
}

// seconds reads a lifetime in seconds that may be an integer or a decimal.
func seconds(n *json.Number) time.Duration {
	if n == nil {
		return 0
	}
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 1e10 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
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
		return shorten(ct)
	}
	return "no Content-Type"
}
