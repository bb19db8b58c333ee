package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// tokenDataSource serves a tokenKind as a data source.
type tokenDataSource[M any] struct {
	kind *tokenKind[M]
	data *providerData
}

var _ datasource.DataSourceWithConfigure = (*tokenDataSource[smartlingTokenModel])(nil)

func newTokenDataSource[M any](k *tokenKind[M]) datasource.DataSource {
	return &tokenDataSource[M]{kind: k}
}

func (d *tokenDataSource[M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.typeName
}

func (d *tokenDataSource[M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.kind.dataSourceSchema()
}

func (d *tokenDataSource[M]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configured(req.ProviderData, &resp.Diagnostics)
}

func (d *tokenDataSource[M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m M
	got, diags := d.kind.obtain(ctx, d.data, req.Config, &m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if got.pendingName != "" {
		d.kind.unknownError(got.pending, got.pendingName, &resp.Diagnostics)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
