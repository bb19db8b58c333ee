package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccSmartConnectRegionsDataSource_regions(t *testing.T) {
	t.Parallel()
	regions := map[string]knownvalue.Check{}
	for _, r := range wantSmartConnectRegions {
		regions[r.region] = knownvalue.ObjectExact(smartConnectRegionURLs(r.host))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			// No provider block and no credentials: the list needs none.
			Config: `data "translationauth_smartconnect_regions" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.translationauth_smartconnect_regions.test", tfjsonpath.New("regions"),
					knownvalue.MapExact(regions)),
			},
		}},
	})
}

// The data source and the function read one table: every region agrees.
func TestAccSmartConnectRegionsDataSource_matchesFunction(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionVersionChecks,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: `
data "translationauth_smartconnect_regions" "test" {}

output "mismatches" {
  value = [
    for code, r in data.translationauth_smartconnect_regions.test.regions : code
    if r != { for k, v in provider::translationauth::smartconnect_endpoints(code) : k => v if k != "region" }
  ]
}

output "count" {
  value = length(data.translationauth_smartconnect_regions.test.regions)
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("mismatches", knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownOutputValue("count", knownvalue.Int64Exact(int64(len(wantSmartConnectRegions)))),
			},
		}},
	})
}
