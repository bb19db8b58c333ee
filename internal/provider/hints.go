package provider

import (
	"fmt"
	"strings"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// explain turns an error into a diagnostic detail with a hint at what to check.
func (p *platform) explain(err error, s settings, pd *providerData) string {
	e, ok := auth.AsError(err)
	if !ok {
		return err.Error()
	}
	baseURL := p.describe(s, attrBaseURL)
	hint := ""
	switch e.Kind {
	case auth.KindRejected:
		if e.Status == 404 || e.Status == 405 {
			hint = fmt.Sprintf("No token endpoint answered at %s: the provider appends the token path to the API root. "+
				"Check %s and its path prefix.", e.URL, baseURL)
			break
		}
		names := p.defaultHint
		if h, ok := p.hints[e.Code]; ok {
			names = h
		}
		hint = "Check " + p.describe(s, names...) + "."
	case auth.KindRedirect:
		hint = fmt.Sprintf("Token requests never follow redirects, so that credentials go only where they were configured "+
			"to go. Check %s: it should be the API root itself.", baseURL)
	case auth.KindRateLimited:
		hint = fmt.Sprintf("%s kept answering 429 Too Many Requests. Wait and run again, or raise max_retries in the provider block (now %d).",
			p.name, pd.client.Options().MaxRetries)
	case auth.KindServer:
		hint = fmt.Sprintf("%s answered with a server error on every attempt. Wait and run again; the platform's status page may say more.", p.name)
		if e.NotJSON() {
			hint += fmt.Sprintf(" The answer came from something other than the API: if %s points at a proxy or gateway, check it too.", baseURL)
		}
	case auth.KindTimeout:
		hint = fmt.Sprintf("No answer came within request_timeout (%s) per attempt. Check %s and the network, or raise request_timeout in the provider block.",
			pd.client.Options().Timeout, baseURL)
	case auth.KindDNS, auth.KindNetwork, auth.KindTLS:
		hint = fmt.Sprintf("Check %s and that this machine can reach %s.", baseURL, e.URL)
	case auth.KindBadResponse:
		if e.CutOff() {
			hint = "The connection broke in the middle of the answer. Run again; if it keeps happening, check the network or proxy between this machine and " + e.URL + "."
			break
		}
		hint = fmt.Sprintf("Check that %s is the API root of %s, not a web page or a proxy that answers in its place.", baseURL, p.name)
	case auth.KindNoToken:
		hint = fmt.Sprintf("%s reported success without a token. Run again; if it persists, contact %s support", p.name, p.name)
		if e.RequestID != "" {
			hint += " with the request id " + e.RequestID
		}
		hint += "."
	}
	if e.Repeated {
		hint += " This credential set was rejected earlier in this run, so it was not sent again: fix it and run again."
	}
	if !e.RetryAt.IsZero() {
		hint += fmt.Sprintf(" %s asked to be called again at %s, later than the provider waits (%s); run again after that.",
			p.name, e.RetryAt.UTC().Format(time.RFC3339), auth.DefaultRetryAfterMax)
	}
	hint = strings.TrimSpace(hint)
	if hint == "" {
		return err.Error()
	}
	return err.Error() + "\n\n" + hint
}

// describe names inputs for hints: where each can be set, where its value
// came from, and whether the value has whitespace that a copy and paste may
// have brought along.
func (p *platform) describe(s settings, names ...string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		in, v := p.input(n), s[n]
		part := fmt.Sprintf("%s (provider attribute %s.%s", n, p.block, n)
		if in.env != "" {
			part += ", environment variable " + in.env
		}
		switch {
		case !v.set():
			part += "; not set anywhere"
		case v.level == levelDefault:
			part += "; this value is the default"
		default:
			part += "; this value came from the " + v.source
		}
		switch {
		case strings.ContainsAny(v.value, "\r\n"):
			part += ", and it contains a line break"
		case v.value != strings.TrimSpace(v.value):
			part += ", and it has leading or trailing whitespace"
		}
		parts[i] = part + ")"
	}
	return strings.Join(parts, " and ")
}
