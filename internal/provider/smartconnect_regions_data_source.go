package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

var _ datasource.DataSource = (*smartConnectRegionsDataSource)(nil)

// smartConnectRegionsDataSource lists SmartConnect's regional endpoints; it
// needs no credentials and makes no request.
type smartConnectRegionsDataSource struct{}

// NewSmartConnectRegionsDataSource returns translationauth_smartconnect_regions.
func NewSmartConnectRegionsDataSource() datasource.DataSource {
	return &smartConnectRegionsDataSource{}
}

var smartConnectRegionTypes = map[string]attr.Type{
	attrTokenURL:   types.StringType,
	attrAPIBaseURL: types.StringType,
	attrSwaggerURL: types.StringType,
}

func (d *smartConnectRegionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartconnect_regions"
}

func (d *smartConnectRegionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SmartConnect regions and their endpoints. Needs no credentials and makes no request.\n\n" + regionTable(),
		Attributes: map[string]schema.Attribute{
			attrRegions: schema.MapNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The regions, keyed by region code (" + codeList(auth.SmartConnectHosts.Names()) + ").",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						attrTokenURL:   schema.StringAttribute{Computed: true, MarkdownDescription: "The region's token endpoint."},
						attrAPIBaseURL: schema.StringAttribute{Computed: true, MarkdownDescription: "The region's API root."},
						attrSwaggerURL: schema.StringAttribute{Computed: true, MarkdownDescription: "The region's Swagger UI."},
					},
				},
			},
		},
	}
}

func (d *smartConnectRegionsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	regions := map[string]attr.Value{}
	for _, r := range auth.SmartConnectHosts.Names() {
		e, _ := auth.SmartConnectHosts.Endpoints(r)
		values := smartConnectEndpointValues(e)
		delete(values, attrRegion) // the map's key
		obj, diags := types.ObjectValue(smartConnectRegionTypes, values)
		resp.Diagnostics.Append(diags...)
		regions[r] = obj
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := types.MapValue(types.ObjectType{AttrTypes: smartConnectRegionTypes}, regions)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrRegions), m)...)
}
