//go:build bench

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file exists for the bench only (scripts/bench/noop, served by
// scripts/bench.sh): it is built only with the bench build tag (go build
// -tags bench), so the provider's own binary holds none of it.

// NewNoop returns the factory of a do-nothing twin of the provider, the limit
// against which the bench measures what a read costs: it serves exactly the
// provider's schemas (the provider block, every data source, ephemeral
// resource and function, all built from the same registry), so Terraform and
// the framework do the same work for it, but its Configure does nothing and
// its token and proxy types return their configuration with constant dummy
// results, making no request.
func NewNoop(version string) func() provider.Provider {
	return func() provider.Provider { return noopProvider{actual: &translationAuthProvider{version: version}} }
}

type noopProvider struct{ actual *translationAuthProvider }

var (
	_ provider.ProviderWithEphemeralResources = noopProvider{}
	_ provider.ProviderWithFunctions          = noopProvider{}
)

func (p noopProvider) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	p.actual.Metadata(ctx, req, resp)
}

func (p noopProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.actual.Schema(ctx, req, resp)
}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) Resources(context.Context) []func() resource.Resource { return nil }

// DataSources are a do-nothing token data source per platform and the
// platforms' other data sources, which make no request anyway.
func (noopProvider) DataSources(context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, pl := range platforms {
		out = append(append(out, func() datasource.DataSource { return noopDataSource{pl} }), pl.dataSources...)
	}
	return out
}

func (noopProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	var out []func() ephemeral.EphemeralResource
	for _, pl := range platforms {
		for _, f := range []face{tokenFace, proxyFace} {
			out = append(out, func() ephemeral.EphemeralResource { return noopEphemeralResource{pl, f} })
		}
	}
	return out
}

func (p noopProvider) Functions(ctx context.Context) []func() function.Function {
	return p.actual.Functions(ctx)
}

type noopDataSource struct{ platform *platform }

func (d noopDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = d.platform.typeName(tokenFace)
}

func (d noopDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.platform.dataSourceSchema()
}

func (d noopDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if v, ok := noopResult(ctx, d.platform, tokenFace, req.Config, resp.State.Schema.Type(), &resp.Diagnostics); ok {
		resp.State.Raw = v
	}
}

type noopEphemeralResource struct {
	platform *platform
	face     face
}

func (r noopEphemeralResource) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = r.platform.typeName(r.face)
}

func (r noopEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = r.platform.ephemeralSchema(r.face)
}

func (r noopEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if v, ok := noopResult(ctx, r.platform, r.face, req.Config, resp.Result.Schema.Type(), &resp.Diagnostics); ok {
		resp.Result.Raw = v
	}
}

// noopResult is a read's configuration, decoded through the same record as a
// real read, with every result of the face set to a constant: "noop" for
// text, an hour for a number of seconds.
func noopResult(ctx context.Context, p *platform, f face, cfg tfsdk.Config, schemaType interface {
	TerraformType(context.Context) tftypes.Type
}, diags *diag.Diagnostics) (tftypes.Value, bool) {
	r, d := readRecord(cfg)
	diags.Append(d...)
	if d.HasError() {
		return tftypes.Value{}, false
	}
	for _, o := range p.results(f) {
		if o.integer {
			r.setSeconds(o.name, time.Hour)
		} else {
			r.setString(o.name, "noop")
		}
	}
	return r.value(ctx, schemaType, nil, false), true
}
