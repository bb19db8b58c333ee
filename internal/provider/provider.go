// Package provider holds the Terraform types of the translationauth provider:
// the provider, its data sources, ephemeral resources and functions.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

const providerTypeName = "translationauth"

// maxRetriesLimit bounds max_retries and maxRequestTimeout request_timeout:
// beyond them a failing endpoint would hold an apply for many minutes.
const (
	maxRetriesLimit   = 10
	maxRequestTimeout = 5 * time.Minute
)

var (
	_ provider.Provider                       = (*translationAuthProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*translationAuthProvider)(nil)
	_ provider.ProviderWithFunctions          = (*translationAuthProvider)(nil)
)

// translationAuthProvider is the provider. Every provider instance a factory
// makes shares the factory's token cache, so that all token types, all
// provider configurations and all reads of one provider process share it.
type translationAuthProvider struct {
	version string
	cache   *auth.Cache
	proxies *openProxies
	// retryWaitMin shortens the retry backoff in tests; zero means the default.
	retryWaitMin time.Duration
}

// New returns the provider factory of a given version.
func New(version string) func() provider.Provider {
	return newFactory(version, nil, 0)
}

// newFactory returns a factory with an injected clock and retry backoff, for tests.
func newFactory(version string, clock auth.Clock, retryWaitMin time.Duration) func() provider.Provider {
	cache, proxies := auth.NewCache(clock, tfLogger{}), &openProxies{}
	return func() provider.Provider {
		return &translationAuthProvider{version: version, cache: cache, proxies: proxies, retryWaitMin: retryWaitMin}
	}
}

// providerModel is the provider block's settings shared by every platform,
// each read by its attribute name; the platform blocks are read by name from
// the registry.
type providerModel struct {
	RequestTimeout types.String
	MaxRetries     types.Number
}

// providerData is what the provider hands its data sources and ephemeral resources.
type providerData struct {
	// transport carries every request to a platform: token requests and
	// the proxies' upstream requests.
	transport http.RoundTripper
	cache     *auth.Cache
	client    *auth.Client
	settings  map[string]settings // by platform block name
	open      *openTokens
	proxies   *openProxies
}

// platformBlocks reads the platform blocks of the provider configuration.
func platformBlocks(ctx context.Context, cfg tfsdk.Config) (map[string]types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := make(map[string]types.Object, len(platforms))
	for _, p := range platforms {
		var obj types.Object
		diags.Append(cfg.GetAttribute(ctx, path.Root(p.block), &obj)...)
		out[p.block] = obj
	}
	return out, diags
}

func (p *translationAuthProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = providerTypeName
	resp.Version = p.version
}

func (p *translationAuthProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		attrRequestTimeout: schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("How long one HTTP attempt may take, as a duration such as `\"30s\"`, "+
				"from `\"1ms\"` to `\"%s\"`. Defaults to `\"30s\"`.", maxRequestTimeout),
			Validators: stringValidators(validators.Duration(time.Millisecond, maxRequestTimeout)),
		},
		attrMaxRetries: schema.NumberAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("How many times a token request is retried after a connection error or "+
				"an HTTP 429, 500, 502, 503 or 504 answer, with exponential backoff and jitter, honouring "+
				"`Retry-After` up to %s. A whole number from 0 to %d; defaults to %d.",
				auth.DefaultRetryAfterMax, maxRetriesLimit, auth.DefaultMaxRetries),
			Validators: []validator.Number{validators.WholeNumber(0, maxRetriesLimit)},
		},
	}
	for name, a := range networkAttributes() {
		attrs[name] = a
	}
	for _, pl := range platforms {
		attrs[pl.block] = pl.providerBlock()
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Obtains access tokens for the Smartling, EasyTranslate and SmartConnect APIs, with " +
			"their expiry times and regional endpoints, and serves authenticated local proxies to those APIs, for " +
			"use by other providers and provisioners. Every attribute is optional: a value set on a data source or " +
			"ephemeral resource wins over this block, which wins over the environment variable, which wins over the default.",
		Attributes: attrs,
	}
}

func (p *translationAuthProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrRequestTimeout), &m.RequestTimeout)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrMaxRetries), &m.MaxRetries)...)
	if resp.Diagnostics.HasError() {
		return
	}
	transport := networkTransport(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	opts := auth.ClientOptions{
		UserAgent:    auth.UserAgent("terraform-provider-"+providerTypeName, p.version, req.TerraformVersion),
		Transport:    transport,
		Timeout:      auth.DefaultTimeout,
		MaxRetries:   auth.DefaultMaxRetries,
		RetryWaitMin: p.retryWaitMin,
		Logger:       tfLogger{},
	}
	if v := m.RequestTimeout; !v.IsNull() && !v.IsUnknown() {
		d, ok := durationValue(attrRequestTimeout, v.ValueString(), time.Millisecond, maxRequestTimeout, &resp.Diagnostics)
		if !ok {
			return
		}
		opts.Timeout = d
	}
	if v := m.MaxRetries; !v.IsNull() && !v.IsUnknown() {
		n, _ := v.ValueBigFloat().Int64()
		opts.MaxRetries = int(n)
	}
	blocks, diags := platformBlocks(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{
		transport: transport,
		cache:     p.cache,
		client:    auth.NewClient(opts),
		open:      &openTokens{},
		proxies:   p.proxies,
		settings:  make(map[string]settings, len(platforms)),
	}
	for _, pl := range platforms {
		data.settings[pl.block] = pl.providerSettings(blocks[pl.block])
	}
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *translationAuthProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *translationAuthProvider) DataSources(context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, pl := range platforms {
		out = append(append(out, pl.tokenDataSource), pl.dataSources...)
	}
	return out
}

func (p *translationAuthProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	var out []func() ephemeral.EphemeralResource
	for _, pl := range platforms {
		out = append(out, pl.tokenEphemeralResource, pl.proxyEphemeralResource)
	}
	return out
}

func (p *translationAuthProvider) Functions(context.Context) []func() function.Function {
	var out []func() function.Function
	for _, pl := range platforms {
		out = append(out, pl.functions...)
	}
	return out
}

// configured takes the provider data handed to a data source or ephemeral
// resource; nil before the provider is configured (validation).
func configured(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	pd, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return pd
}

// tfLogger writes the auth package's log lines through tflog.
type tfLogger struct{}

func (tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
