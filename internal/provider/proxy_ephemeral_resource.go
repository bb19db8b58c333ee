package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// proxyEphemeralResource serves a platform's proxy face: an ephemeral resource
// whose open starts an authenticated local proxy to the platform's API root,
// and whose close stops it. The proxy takes its tokens from the cache's
// ephemeral scope, with the credentials and min_validity of its configuration.
type proxyEphemeralResource struct{ ephemeralFace }

var (
	_ ephemeral.EphemeralResourceWithConfigure = (*proxyEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*proxyEphemeralResource)(nil)
)

func (p *platform) proxyEphemeralResource() ephemeral.EphemeralResource {
	return &proxyEphemeralResource{ephemeralFace{platform: p, face: proxyFace}}
}

// Open gets a first token, so that bad credentials fail here with the same
// diagnostic as the token types, then starts the proxy.
func (r *proxyEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	g, diags := r.platform.open(ctx, r.data, req.Config, auth.ScopeEphemeral)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if g.pending == "" {
		px, err := proxy.Start(proxy.Config{
			Upstream: g.apiRoot,
			Tokens:   &cacheTokens{cache: r.data.cache, adapter: g.adapter, minValidity: g.minValidity},
			Logger:   detachedLogger{ctx: context.WithoutCancel(ctx)},
			Platform: string(r.platform.name),
		})
		if err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("%s Proxy Not Started", r.platform.name),
				fmt.Sprintf("The local proxy could not start: %s.", err))
			return
		}
		handle := r.data.proxies.add(px)
		resp.Diagnostics.Append(setPrivate(ctx, resp.Private, openPrivate{Handle: handle})...)
		g.rec.setString(attrURL, px.URL())
	}
	resp.Result.Raw = g.rec.value(ctx, resp.Result.Schema.Type(), r.platform.computed(proxyFace), g.pending != "")
}

// Close stops the proxy: new connections are refused at once, and requests in
// flight get the proxy's grace period to finish.
func (r *proxyEphemeralResource) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	var p openPrivate
	if ok := getPrivate(ctx, req.Private, &p, &resp.Diagnostics); !ok || r.data == nil {
		return
	}
	if err := r.data.proxies.close(p.Handle); err != nil {
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s Proxy Closed With Requests In Flight", r.platform.name),
			fmt.Sprintf("ephemeral.%s stopped: %s.", r.platform.typeName(proxyFace), err))
	}
}

// cacheTokens is a proxy's token source: the provider's cache, in the
// ephemeral scope, for one credential set.
type cacheTokens struct {
	cache       *auth.Cache
	adapter     auth.Adapter
	minValidity time.Duration
}

func (c *cacheTokens) Token(ctx context.Context) (string, error) {
	res, err := c.cache.Token(ctx, c.adapter, auth.ScopeEphemeral, c.minValidity)
	if err != nil {
		return "", err
	}
	return res.Token.AccessToken, nil
}

func (c *cacheTokens) Invalidate(token string) {
	c.cache.Invalidate(c.adapter, auth.ScopeEphemeral, token)
}

// detachedLogger writes a proxy's log lines through the logger of the open
// that started it: the proxy serves outside any one provider call.
type detachedLogger struct{ ctx context.Context }

func (l detachedLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	tfLogger{}.Debug(l.ctx, msg, fields)
}

// openProxies are the running proxies of one provider process. Terraform may
// close an ephemeral resource through another provider instance than the one
// that opened it, so they belong to the factory, as the cache does.
type openProxies struct{ handles[*proxy.Proxy] }

// close stops and forgets the proxy of a handle; unknown handles are ignored.
func (o *openProxies) close(handle string) error {
	if p, ok := o.remove(handle); ok {
		return p.Close()
	}
	return nil
}
