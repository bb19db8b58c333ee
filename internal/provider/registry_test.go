package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// authPlatforms returns the Platform constants declared for internal/auth (in
// internal/platforms, which auth.Platform is): a platform exists once declared.
func authPlatforms(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("../platforms/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no internal/auth sources found: %v", err)
	}
	var out []string
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs, ok := s.(*ast.ValueSpec)
				if !ok {
					continue
				}
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Platform" {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok {
						name, _ := strconv.Unquote(lit.Value)
						out = append(out, name)
					}
				}
			}
		}
	}
	return out
}

// TestRegistry_everyAuthPlatformIsRegistered fails when internal/auth declares
// a platform that the registry does not serve.
func TestRegistry_everyAuthPlatformIsRegistered(t *testing.T) {
	t.Parallel()
	declared := authPlatforms(t)
	if len(declared) == 0 {
		t.Fatal("found no Platform constants in internal/auth")
	}
	for _, name := range declared {
		if !slices.ContainsFunc(platforms, func(p *platform) bool { return string(p.name) == name }) {
			t.Errorf("internal/auth declares platform %q, and the registry (platforms in platform.go) has no entry for it", name)
		}
	}
}

// TestRegistry_mockDemoEnvSetsEveryRequiredInput fails when the mock's demo
// environment (mockapi.Server.DemoEnv, which make demo and the mock binary
// export) misses a platform's base URL or a credential it requires, under the
// variable name its declaration reads.
func TestRegistry_mockDemoEnvSetsEveryRequiredInput(t *testing.T) {
	t.Parallel()
	set := map[string]bool{}
	for _, v := range startMock(t, nil).DemoEnv() {
		set[v[0]] = true
	}
	for _, p := range platforms {
		for _, name := range append([]string{attrBaseURL}, p.required...) {
			if env := p.input(name).env; !set[env] {
				t.Errorf("%s: the mock's demo environment does not set %q, which %s reads", p.name, env, name)
			}
		}
	}
}

// TestRegistry_everyEntryHasItsTypesExamplesAndDocs fails when a registry
// entry lacks a Terraform type, an example or a generated doc page, for its
// token and proxy faces and for its other data sources and functions.
func TestRegistry_everyEntryHasItsTypesExamplesAndDocs(t *testing.T) {
	t.Parallel()
	resp := providerSchemas(t)
	for _, p := range platforms {
		t.Run(p.block, func(t *testing.T) {
			if !slices.ContainsFunc(resp.Provider.Block.Attributes, func(a *tfprotov6.SchemaAttribute) bool { return a.Name == p.block }) {
				t.Errorf("the provider block has no %q attribute", p.block)
			}
			type want struct {
				kind, typeName, example, doc string
				served                       bool
			}
			token, proxy := p.typeName(tokenFace), p.typeName(proxyFace)
			short := func(typeName string) string { return typeName[len(providerTypeName)+1:] }
			_, tokenDS := resp.DataSourceSchemas[token]
			_, tokenER := resp.EphemeralResourceSchemas[token]
			_, proxyER := resp.EphemeralResourceSchemas[proxy]
			wants := []want{
				{"data source", token, "examples/data-sources/" + token + "/data-source.tf", "docs/data-sources/" + short(token) + ".md", tokenDS},
				{"ephemeral resource", token, "examples/ephemeral-resources/" + token + "/ephemeral-resource.tf", "docs/ephemeral-resources/" + short(token) + ".md", tokenER},
				{"ephemeral resource", proxy, "examples/ephemeral-resources/" + proxy + "/ephemeral-resource.tf", "docs/ephemeral-resources/" + short(proxy) + ".md", proxyER},
			}
			for _, newDS := range p.dataSources {
				var md datasource.MetadataResponse
				newDS().Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: providerTypeName}, &md)
				_, served := resp.DataSourceSchemas[md.TypeName]
				wants = append(wants, want{"data source", md.TypeName, "examples/data-sources/" + md.TypeName + "/data-source.tf", "docs/data-sources/" + short(md.TypeName) + ".md", served})
			}
			for _, newFn := range p.functions {
				var md function.MetadataResponse
				newFn().Metadata(context.Background(), function.MetadataRequest{}, &md)
				_, served := resp.Functions[md.Name]
				wants = append(wants, want{"function", md.Name, "examples/functions/" + md.Name + "/function.tf", "docs/functions/" + md.Name + ".md", served})
			}
			for _, w := range wants {
				if !w.served {
					t.Errorf("the provider serves no %s %s", w.kind, w.typeName)
				}
				for _, f := range []string{w.example, w.doc} {
					if _, err := os.Stat(filepath.Join("..", "..", f)); err != nil {
						t.Errorf("%s %s: %s is missing", w.kind, w.typeName, f)
					}
				}
			}
		})
	}
}

// providerSchemas returns every schema the provider serves.
func providerSchemas(t *testing.T) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
