package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
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
	var traffic proxyTraffic
	if g.pending == "" {
		traffic, g.pending = readProxyTraffic(g.rec, r.data.client.Options(), &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if g.pending == "" {
		px, err := proxy.Start(proxy.Config{
			Upstream:       g.apiRoot,
			Tokens:         &cacheTokens{cache: r.data.cache, adapter: g.adapter, minValidity: g.minValidity},
			Transport:      r.data.transport,
			Logger:         detachedLogger{ctx: context.WithoutCancel(ctx)},
			Platform:       string(r.platform.name),
			MaxConcurrent:  traffic.maxConcurrent,
			MaxRetries:     traffic.maxRetries,
			RetryWaitMin:   traffic.retryWaitMin,
			RequestTimeout: traffic.requestTimeout,
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

// maxConcurrentLimit bounds max_concurrent_requests: more than the proxy's
// connection cap could never be upstream at once anyway.
const maxConcurrentLimit = 256

// proxyArguments are the arguments of the proxy face alone: how it carries
// the API's traffic.
func proxyArguments() map[string]ephschema.Attribute {
	return map[string]ephschema.Attribute{
		attrMaxConcurrentRequests: ephschema.NumberAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("How many requests the proxy may have with the API at once. The others "+
				"wait their turn in the proxy, with no error, until their client gives up: use it to stay within a "+
				"platform's limit of concurrent operations (Smartling answers 429 `MAX_OPERATIONS_LIMIT_EXCEEDED` "+
				"beyond its limit) instead of retrying past it. A whole number from 0 to %d; defaults to 0, no limit.",
				maxConcurrentLimit),
			Validators: []validator.Number{validators.WholeNumber(0, maxConcurrentLimit)},
		},
		attrMaxRetries: ephschema.NumberAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("How many times the proxy sends a request again when the API answers "+
				"429 or 423 (whatever the method), or 502, 503 or 504 (`GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` "+
				"only: a `POST` or `PATCH` may have taken effect before the failure), if its body can be sent again "+
				"(none, or at most 1 MiB of known length). It waits as the answer's `Retry-After` asks, up to %s (an "+
				"answer asking for longer reaches the client at once), or else with exponential backoff and jitter. "+
				"The last answer reaches the client unchanged. A whole number from 0 to %d; defaults to the "+
				"provider's `max_retries`.", proxy.RetryAfterMax, maxRetriesLimit),
			Validators: []validator.Number{validators.WholeNumber(0, maxRetriesLimit)},
		},
		attrRequestTimeout: ephschema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("How long the proxy waits for the API's response headers, as a duration "+
				"such as `\"30s\"`, from `\"1ms\"` to `\"%s\"`; past it the client gets 504. A response that has "+
				"started is never cut, however long its body streams. Defaults to the provider's `request_timeout`.",
				maxRequestTimeout),
			Validators: stringValidators(validators.Duration(time.Millisecond, maxRequestTimeout)),
		},
	}
}

// proxyTraffic is how one proxy carries the API's traffic.
type proxyTraffic struct {
	maxConcurrent, maxRetries    int
	retryWaitMin, requestTimeout time.Duration
}

// readProxyTraffic reads the proxy face's own arguments over the provider's
// client options; it returns the name of one not known yet, if any.
func readProxyTraffic(r *record, opts auth.ClientOptions, diags *diag.Diagnostics) (proxyTraffic, string) {
	t := proxyTraffic{maxRetries: opts.MaxRetries, retryWaitMin: opts.RetryWaitMin, requestTimeout: opts.Timeout}
	for _, a := range []struct {
		name string
		dst  *int
	}{{attrMaxConcurrentRequests, &t.maxConcurrent}, {attrMaxRetries, &t.maxRetries}} {
		n, set, known := r.whole(a.name)
		if !known {
			return t, a.name
		}
		if set {
			*a.dst = int(n)
		}
	}
	v, set, known := r.input(attrRequestTimeout)
	if !known {
		return t, attrRequestTimeout
	}
	if set {
		d, ok := durationValue(attrRequestTimeout, v, time.Millisecond, maxRequestTimeout, diags)
		if !ok {
			return t, ""
		}
		t.requestTimeout = d
	}
	return t, ""
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
