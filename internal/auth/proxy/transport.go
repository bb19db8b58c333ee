package proxy

import (
	"io"
	"net/http"
)

// retryTransport sends a request upstream and, when the upstream answers 401,
// reports the token as invalid and sends a replayable request once more with
// a new token.
type retryTransport struct {
	next   http.RoundTripper
	tokens TokenSource
}

// drainLimit bounds how much of a discarded 401 body is read so that its
// connection can be reused.
const drainLimit = 64 << 10

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchangeOf(req.Context())
	if ex == nil { // not sent by the handler; nothing to retry with
		return t.next.RoundTrip(req)
	}
	ex.attempts = 1
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	t.tokens.Invalidate(ex.token)
	if !ex.replayable {
		return resp, nil
	}
	// Without a new token or a body to send again, the 401 is the best
	// answer there is: it goes back to the client as it came.
	token, tokenErr := t.tokens.Token(req.Context())
	if tokenErr != nil {
		return resp, nil //nolint:nilerr // the upstream's answer, not the token error, goes back
	}
	retry := req.Clone(req.Context())
	if req.GetBody != nil {
		body, bodyErr := req.GetBody()
		if bodyErr != nil {
			return resp, nil //nolint:nilerr // as above
		}
		retry.Body = body
	}
	retry.Header.Set("Authorization", "Bearer "+token)
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	_ = resp.Body.Close()
	ex.token, ex.attempts = token, 2
	return t.next.RoundTrip(retry)
}
