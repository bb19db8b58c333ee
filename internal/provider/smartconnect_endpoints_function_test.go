package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

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

// functionOutput is an output holding a call of one of the provider's functions.
func functionOutput(name, function, arg string) string {
	return fmt.Sprintf(`
output %[1]q {
  value = provider::translationauth::%[2]s(%[3]q)
}
`, name, function, arg)
}

var functionVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

func TestAccSmartConnectEndpointsFunction_regions(t *testing.T) {
	t.Parallel()
	var config strings.Builder
	var checks []statecheck.StateCheck
	for _, r := range wantSmartConnectRegions {
		config.WriteString(functionOutput(r.region, "smartconnect_endpoints", r.region))
		want := smartConnectRegionURLs(r.host)
		want["region"] = knownvalue.StringExact(r.region)
		checks = append(checks, statecheck.ExpectKnownOutputValue(r.region, knownvalue.ObjectExact(want)))
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionVersionChecks,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:            config.String(),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccSmartConnectEndpointsFunction_unknownRegion(t *testing.T) {
	t.Parallel()
	codes := make([]string, len(wantSmartConnectRegions))
	for i, r := range wantSmartConnectRegions {
		codes[i] = r.region
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionVersionChecks,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: functionOutput("test", "smartconnect_endpoints", "MARS"),
			ExpectError: regexp.MustCompile(`unknown\s+SmartConnect\s+region\s+"MARS":\s+valid\s+regions\s+are\s+` +
				strings.Join(codes, `,\s+`)),
		}},
	})
}
