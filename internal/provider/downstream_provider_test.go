package provider

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// downstream is a test-only provider configured from a proxy's url, as a REST
// provider would be: its resource downstream_calls calls GET {base_url}{path}
// a number of times at an interval while it is created, and fails on the
// first answer that is not 200. It records every base URL it was configured
// with, so that tests can check the proxies are gone after the run.
type downstream struct {
	mu   sync.Mutex
	urls []string
}

// whoamiCalls configures the downstream provider from the url of the proxy
// proxyRef (ephemeral.<type>.<name>) and declares downstream_calls.<name>,
// which calls GET {url}/whoami calls times, interval apart.
func whoamiCalls(proxyRef, name string, calls int, interval string) string {
	return fmt.Sprintf(`
provider "downstream" {
  base_url = %s.url
}

resource "downstream_calls" %q {
  path     = "/whoami"
  calls    = %d
  interval = %q
}
`, proxyRef, name, calls, interval)
}

func (d *downstream) server() func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(downstreamProvider{d})
}

// configured returns the base URLs the provider was configured with.
func (d *downstream) configured() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.urls...)
}

type downstreamProvider struct{ d *downstream }

func (p downstreamProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "downstream"
}

func (p downstreamProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"base_url": pschema.StringAttribute{Required: true, Sensitive: true},
	}}
}

func (p downstreamProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var base types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("base_url"), &base)...)
	if base.IsUnknown() || base.IsNull() {
		return
	}
	p.d.mu.Lock()
	p.d.urls = append(p.d.urls, base.ValueString())
	p.d.mu.Unlock()
	resp.ResourceData = base.ValueString()
}

func (p downstreamProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &downstreamCalls{} }}
}

func (p downstreamProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type downstreamCalls struct{ base string }

type downstreamCallsModel struct {
	Path      types.String `tfsdk:"path"`
	Calls     types.Int64  `tfsdk:"calls"`
	Interval  types.String `tfsdk:"interval"`
	Succeeded types.Int64  `tfsdk:"succeeded"`
}

func (r *downstreamCalls) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "downstream_calls"
}

func (r *downstreamCalls) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = rschema.Schema{Attributes: map[string]rschema.Attribute{
		"path":      rschema.StringAttribute{Required: true},
		"calls":     rschema.Int64Attribute{Required: true},
		"interval":  rschema.StringAttribute{Required: true},
		"succeeded": rschema.Int64Attribute{Computed: true},
	}}
}

func (r *downstreamCalls) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if s, ok := req.ProviderData.(string); ok {
		r.base = s
	}
}

func (r *downstreamCalls) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m downstreamCallsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	interval, err := time.ParseDuration(m.Interval.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Bad Interval", err.Error())
		return
	}
	for i := range m.Calls.ValueInt64() {
		if i > 0 {
			time.Sleep(interval)
		}
		status, body, err := get(ctx, r.base+m.Path.ValueString())
		if err != nil || status != http.StatusOK {
			resp.Diagnostics.AddError("Downstream Call Failed",
				fmt.Sprintf("call %d of %d: status %d, error %v, body %s", i+1, m.Calls.ValueInt64(), status, err, body))
			return
		}
	}
	m.Succeeded = m.Calls
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func get(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(b), nil
}

func (r *downstreamCalls) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m downstreamCallsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *downstreamCalls) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m downstreamCallsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *downstreamCalls) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
