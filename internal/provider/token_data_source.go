package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// tokenDataSource serves a platform's token face as a data source. Its token
// is written to state, so it comes from the cache's state scope and is never
// shared with an ephemeral resource or a proxy.
type tokenDataSource struct {
	platform *platform
	data     *providerData
}

var _ datasource.DataSourceWithConfigure = (*tokenDataSource)(nil)

func (p *platform) tokenDataSource() datasource.DataSource { return &tokenDataSource{platform: p} }

func (d *tokenDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.platform.block + "_token"
}

func (d *tokenDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.platform.dataSourceSchema()
}

func (d *tokenDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configured(req.ProviderData, &resp.Diagnostics)
}

func (d *tokenDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	g, diags := d.platform.obtainToken(ctx, d.data, req.Config, auth.ScopeState)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if g.pending != "" {
		d.platform.unknownError(g.settings, g.pending, &resp.Diagnostics)
		return
	}
	resp.State.Raw = g.rec.value(ctx, resp.State.Schema.Type(), nil, false)
}
