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
	token, err := t.tokens.Token(req.Context())
	if err != nil {
		return resp, nil // the 401 is the best answer there is
	}
	retry := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return resp, nil
		}
		retry.Body = body
	}
	retry.Header.Set("Authorization", "Bearer "+token)
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	_ = resp.Body.Close()
	ex.token, ex.attempts = token, 2
	return t.next.RoundTrip(retry)
}
