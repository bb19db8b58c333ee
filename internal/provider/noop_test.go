//go:build bench

package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// TestNoop_sameSchemas: the bench's do-nothing provider serves exactly the
// provider's schemas, so that Terraform does the same work for both.
func TestNoop_sameSchemas(t *testing.T) {
	t.Parallel()
	schemas := func(f func() provider.Provider) *tfprotov6.GetProviderSchemaResponse {
		resp, err := providerserver.NewProtocol6(f())().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if want, got := schemas(New("test")), schemas(NewNoop("test")); !reflect.DeepEqual(want, got) {
		t.Error("the do-nothing provider's schemas differ from the provider's")
	}
}

// TestNoop_readMakesNoRequest: a read returns its configuration and the
// constant results, and asks the API nothing.
func TestNoop_readMakesNoRequest(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	addr := "data.translationauth_smartling_token.test"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"translationauth": providerserver.NewProtocol6WithError(NewNoop("test")()),
		},
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
data "translationauth_smartling_token" "test" {
  project_id = "proj-1"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("access_token"), knownvalue.StringExact("noop")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(3600)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact("proj-1")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.Null()),
			},
		}},
	})
	if n := mock.Count(auth.Smartling, mockapi.OpAuthenticate); n != 0 {
		t.Errorf("authenticate calls = %d, want 0", n)
	}
}
