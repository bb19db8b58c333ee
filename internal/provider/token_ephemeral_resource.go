package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// tokenEphemeralResource serves a platform's token face as an ephemeral
// resource. Its token comes from the cache's ephemeral scope, which a data
// source never reads, so it can never reach state.
type tokenEphemeralResource struct{ ephemeralFace }

var (
	_ ephemeral.EphemeralResourceWithConfigure = (*tokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithRenew     = (*tokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*tokenEphemeralResource)(nil)
)

func (p *platform) tokenEphemeralResource() ephemeral.EphemeralResource {
	return &tokenEphemeralResource{ephemeralFace{platform: p, face: tokenFace}}
}

func (r *tokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	g, diags := r.platform.obtainToken(ctx, r.data, req.Config, auth.ScopeEphemeral)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// While a value is not known yet (plan), the results are unknown too, and
	// Terraform opens the resource again once it is known.
	resp.Result.Raw = g.rec.value(ctx, resp.Result.Schema.Type(), r.platform.computed(tokenFace), g.pending != "")
	if g.pending != "" {
		return
	}
	t := g.result.Token
	if t.UsableUntil().IsZero() {
		return // a token never reused needs no renewal
	}
	resp.RenewAt = renewAt(t, g.minValidity)
	handle := r.data.open.add(&openToken{adapter: g.adapter, minValidity: g.minValidity, expiresAt: t.UsableUntil(),
		renewAt: resp.RenewAt, cached: t.AccessToken})
	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, openPrivate{Handle: handle})...)
}

// renewAt is when Terraform should call Renew: min_validity before expiry, but
// not before half the token's life has passed.
func renewAt(t auth.Token, minValidity time.Duration) time.Time {
	at := t.UsableUntil().Add(-minValidity)
	if half := t.IssuedAt.Add(t.Lifetime() / 2); at.Before(half) {
		at = half
	}
	return at
}

// Renew cannot change the value Terraform already holds. It refreshes the
// cached session so that later opens get a live token, and warns once that
// the token handed out is about to expire.
func (r *tokenEphemeralResource) Renew(ctx context.Context, req ephemeral.RenewRequest, resp *ephemeral.RenewResponse) {
	var p openPrivate
	if ok := getPrivate(ctx, req.Private, &p, &resp.Diagnostics); !ok || r.data == nil {
		return
	}
	o, ok := r.data.open.get(p.Handle)
	if !ok {
		return
	}
	// Once the cached token is due for renewal, drop it (a token the cache
	// replaced already is left alone), so that the cache refreshes the session
	// and later opens get a live token.
	cached, due := r.data.open.due(p.Handle, r.data.cache.Now())
	if due {
		r.data.cache.Invalidate(o.adapter, auth.ScopeEphemeral, cached)
	}
	got, err := r.data.cache.Token(ctx, o.adapter, auth.ScopeEphemeral, o.minValidity)
	if err != nil {
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s Token Renewal Failed", r.platform.name),
			fmt.Sprintf("ephemeral.%s could not refresh its cached session: %s. The token handed out expires at %s.",
				r.platform.typeName(tokenFace), err, o.expiresAt.UTC().Format(time.RFC3339)))
		return
	}
	if !p.Warned {
		p.Warned = true
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s Token About To Expire", r.platform.name),
			fmt.Sprintf("The token that ephemeral.%s handed out expires at %s. Terraform cannot take a new value from an "+
				"open ephemeral resource, so anything that still holds that token fails after that time. The provider "+
				"refreshed its cached session: whatever opens this ephemeral resource again gets a token valid until %s. "+
				"See the guide \"Long applies and token lifetimes\": "+
				"https://registry.terraform.io/providers/translationauth/translationauth/latest/docs/guides/token-lifetimes",
				r.platform.typeName(tokenFace), o.expiresAt.UTC().Format(time.RFC3339),
				got.Token.UsableUntil().UTC().Format(time.RFC3339)))
	}
	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, p)...)
	if exp := got.Token.UsableUntil(); !exp.IsZero() {
		resp.RenewAt = renewAt(got.Token, o.minValidity)
		r.data.open.track(p.Handle, got.Token.AccessToken, resp.RenewAt)
	}
}

// Close forgets the handle. Tokens are not revoked: none of the platforms
// offers revocation, and the cached session stays useful to later opens.
func (r *tokenEphemeralResource) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	var p openPrivate
	if ok := getPrivate(ctx, req.Private, &p, &resp.Diagnostics); ok && r.data != nil {
		r.data.open.remove(p.Handle)
	}
}

// openToken is what Renew needs of an open ephemeral resource.
type openToken struct {
	adapter     auth.Adapter
	minValidity time.Duration
	expiresAt   time.Time
	// The token the cache held at the last open or renewal, and when it is
	// due for renewal: Renew drops it from the cache then. Never shown.
	cached  string
	renewAt time.Time
}

// openTokens tracks the open token ephemeral resources of one provider instance.
type openTokens struct{ handles[*openToken] }

// due returns the cached token of a handle and whether it is due for renewal at now.
func (o *openTokens) due(handle string, now time.Time) (cached string, due bool) {
	o.with(handle, func(t *openToken) { cached, due = t.cached, !now.Before(t.renewAt) })
	return cached, due
}

// track records the token the cache now holds for a handle and its renewal time.
func (o *openTokens) track(handle, cached string, renewAt time.Time) {
	o.with(handle, func(t *openToken) { t.cached, t.renewAt = cached, renewAt })
}
