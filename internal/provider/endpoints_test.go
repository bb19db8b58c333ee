package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The types that need no credentials: the endpoints functions and the
// SmartConnect regions data source.

// wantSmartConnectRegions is SmartConnect's region table (seed 003), written out
// here rather than taken from internal/auth so that the tests check it.
var wantSmartConnectRegions = []struct{ region, host string }{
	{"NA", "apina"}, {"NA2", "apina2"}, {"NA3", "apina3"},
	{"UK", "apieuk"}, {"EU", "apieuw"}, {"EU2", "apieuw2"}, {"AU", "apiau"},
}

// smartConnectRegionURLs are the endpoints of a region host.
func smartConnectRegionURLs(host string) map[string]knownvalue.Check {
	root := "https://" + host + ".smartconnect.com"
	return map[string]knownvalue.Check{
		"token_url":    knownvalue.StringExact(root + "/token"),
		"api_base_url": knownvalue.StringExact(root),
		"swagger_url":  knownvalue.StringExact(root + "/swagger"),
	}
}

// easyTranslateEndpoints is the object easytranslate_endpoints returns for an
// environment whose API root is root.
func easyTranslateEndpoints(environment, root string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"environment":  knownvalue.StringExact(environment),
		"token_url":    knownvalue.StringExact(root + "/oauth/token"),
		"api_base_url": knownvalue.StringExact(root),
	})
}

// functionOutput is an output holding a call of one of the provider's functions.
func functionOutput(name, function, arg string) string {
	return fmt.Sprintf(`
output %[1]q {
  value = provider::translationauth::%[2]s(%[3]q)
}
`, name, function, arg)
}

var functionVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// TestAccEndpointsFunctions calls each function with every valid argument, and
// with an unknown one: the results are the documented endpoints, and the error
// lists the valid arguments.
func TestAccEndpointsFunctions(t *testing.T) {
	t.Parallel()
	regions := map[string]knownvalue.Check{}
	codes := make([]string, len(wantSmartConnectRegions))
	for i, r := range wantSmartConnectRegions {
		want := smartConnectRegionURLs(r.host)
		want["region"] = knownvalue.StringExact(r.region)
		regions[r.region] = knownvalue.ObjectExact(want)
		codes[i] = r.region
	}
	cases := []struct {
		function string
		want     map[string]knownvalue.Check // argument: result
		unknown  string                      // an argument that is not valid
		wantErr  string                      // regexp; spaces match any white space
	}{
		{function: "easytranslate_endpoints",
			want: map[string]knownvalue.Check{
				"production": easyTranslateEndpoints("production", "https://api.platform.easytranslate.com"),
				"sandbox":    easyTranslateEndpoints("sandbox", "https://api.platform.sandbox.easytranslate.com"),
			},
			unknown: "staging",
			wantErr: `unknown EasyTranslate environment "staging": valid environments are production, sandbox`},
		{function: "smartconnect_endpoints",
			want:    regions,
			unknown: "MARS",
			wantErr: `unknown SmartConnect region "MARS": valid regions are ` + strings.Join(codes, ", ")},
	}
	for _, c := range cases {
		t.Run(c.function, func(t *testing.T) {
			t.Parallel()
			var config strings.Builder
			var checks []statecheck.StateCheck
			for arg, want := range c.want {
				config.WriteString(functionOutput(arg, c.function, arg))
				checks = append(checks, statecheck.ExpectKnownOutputValue(arg, want))
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   functionVersionChecks,
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{
					{Config: config.String(), ConfigStateChecks: checks},
					{
						Config:      functionOutput("test", c.function, c.unknown),
						ExpectError: regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(c.wantErr), " ", `\s+`)),
					},
				},
			})
		})
	}
}

func TestAccSmartConnectRegionsDataSource_regions(t *testing.T) {
	t.Parallel()
	regions := map[string]knownvalue.Check{}
	for _, r := range wantSmartConnectRegions {
		regions[r.region] = knownvalue.ObjectExact(smartConnectRegionURLs(r.host))
	}
	// No provider block and no credentials: the list needs none.
	applyOnce(t, factories(nil), `data "translationauth_smartconnect_regions" "test" {}`,
		statecheck.ExpectKnownValue("data.translationauth_smartconnect_regions.test", tfjsonpath.New("regions"),
			knownvalue.MapExact(regions)),
	)
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
