package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestProviderSchema_complete checks every schema the provider serves: valid,
// every attribute described, secrets and tokens marked sensitive, and each
// data source the same as its ephemeral twin.
func TestProviderSchema_complete(t *testing.T) {
	t.Parallel()
	resp := providerSchemas(t)
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	sensitive := map[string]bool{
		"user_secret": true, "client_secret": true, "password": true,
		"access_token": true, "refresh_token": true, "authorization_header": true,
	}
	check := func(kind, name string, s *tfprotov6.Schema) map[string]*tfprotov6.SchemaAttribute {
		if strings.TrimSpace(s.Block.Description) == "" {
			t.Errorf("%s %s has no description", kind, name)
		}
		attrs := map[string]*tfprotov6.SchemaAttribute{}
		var walk func(prefix string, as []*tfprotov6.SchemaAttribute)
		walk = func(prefix string, as []*tfprotov6.SchemaAttribute) {
			for _, a := range as {
				attrs[prefix+a.Name] = a
				if strings.TrimSpace(a.Description) == "" {
					t.Errorf("%s %s: attribute %s%s has no description", kind, name, prefix, a.Name)
				}
				if sensitive[a.Name] && !a.Sensitive {
					t.Errorf("%s %s: attribute %s%s is not sensitive", kind, name, prefix, a.Name)
				}
				if a.NestedType != nil {
					walk(prefix+a.Name+".", a.NestedType.Attributes)
				}
			}
		}
		walk("", s.Block.Attributes)
		return attrs
	}
	check("provider", "translationauth", resp.Provider)
	for name, s := range resp.DataSourceSchemas {
		ds := check("data source", name, s)
		eph, ok := resp.EphemeralResourceSchemas[name]
		if !ok {
			if strings.HasSuffix(name, "_token") {
				t.Errorf("data source %s has no ephemeral twin", name)
			}
			continue
		}
		er := check("ephemeral resource", name, eph)
		if len(ds) != len(er) {
			t.Errorf("%s: data source has %d attributes, ephemeral resource %d", name, len(ds), len(er))
		}
		for attr, a := range ds {
			b, ok := er[attr]
			if !ok || a.Optional != b.Optional || a.Computed != b.Computed || a.Sensitive != b.Sensitive ||
				a.Description != b.Description || !a.Type.Equal(b.Type) {
				t.Errorf("%s: attribute %s differs between data source and ephemeral resource", name, attr)
			}
		}
	}
	// Per platform a token data source and a token and a proxy ephemeral
	// resource; besides them the SmartConnect regions data source and the two
	// endpoint functions.
	wantEph, wantDS, wantFn := 2*len(platforms), len(platforms)+1, 2
	if len(resp.EphemeralResourceSchemas) != wantEph || len(resp.DataSourceSchemas) != wantDS || len(resp.Functions) != wantFn {
		t.Errorf("got %d ephemeral resources, %d data sources, %d functions; want %d, %d, %d",
			len(resp.EphemeralResourceSchemas), len(resp.DataSourceSchemas), len(resp.Functions), wantEph, wantDS, wantFn)
	}
}
