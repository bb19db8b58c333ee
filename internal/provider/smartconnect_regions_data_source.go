package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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

type smartConnectRegionsModel struct {
	Regions types.Map `tfsdk:"regions"`
}

type smartConnectRegionModel struct {
	TokenURL   types.String `tfsdk:"token_url"`
	APIBaseURL types.String `tfsdk:"api_base_url"`
	SwaggerURL types.String `tfsdk:"swagger_url"`
}

var smartConnectRegionTypes = map[string]attr.Type{
	"token_url":    types.StringType,
	"api_base_url": types.StringType,
	"swagger_url":  types.StringType,
}

func (d *smartConnectRegionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartconnect_regions"
}

func (d *smartConnectRegionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SmartConnect regions and their endpoints. Needs no credentials and makes no request.\n\n" + regionTable(),
		Attributes: map[string]schema.Attribute{
			"regions": schema.MapNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The regions, keyed by region code (" + codeList(auth.SmartConnectHosts.Names()) + ").",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"token_url":    schema.StringAttribute{Computed: true, MarkdownDescription: "The region's token endpoint."},
						"api_base_url": schema.StringAttribute{Computed: true, MarkdownDescription: "The region's API root."},
						"swagger_url":  schema.StringAttribute{Computed: true, MarkdownDescription: "The region's Swagger UI."},
					},
				},
			},
		},
	}
}

func (d *smartConnectRegionsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	regions := map[string]smartConnectRegionModel{}
	for _, r := range auth.SmartConnectHosts.Names() {
		e, _ := auth.SmartConnectHosts.Endpoints(r)
		regions[r] = smartConnectRegionModel{
			TokenURL:   types.StringValue(e.TokenURL),
			APIBaseURL: types.StringValue(e.APIBaseURL),
			SwaggerURL: types.StringValue(e.SwaggerURL),
		}
	}
	m, diags := types.MapValueFrom(ctx, types.ObjectType{AttrTypes: smartConnectRegionTypes}, regions)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, smartConnectRegionsModel{Regions: m})...)
}
