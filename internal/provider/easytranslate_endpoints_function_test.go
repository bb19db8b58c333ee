package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccEasyTranslateEndpointsFunction_environments(t *testing.T) {
	t.Parallel()
	endpoints := func(environment, root string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"environment":  knownvalue.StringExact(environment),
			"token_url":    knownvalue.StringExact(root + "/oauth/token"),
			"api_base_url": knownvalue.StringExact(root),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionVersionChecks,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: functionOutput("production", "easytranslate_endpoints", "production") +
				functionOutput("sandbox", "easytranslate_endpoints", "sandbox"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("production", endpoints("production", "https://api.platform.easytranslate.com")),
				statecheck.ExpectKnownOutputValue("sandbox", endpoints("sandbox", "https://api.platform.sandbox.easytranslate.com")),
			},
		}},
	})
}

func TestAccEasyTranslateEndpointsFunction_unknownEnvironment(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionVersionChecks,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      functionOutput("test", "easytranslate_endpoints", "staging"),
			ExpectError: regexp.MustCompile(`unknown\s+EasyTranslate\s+environment\s+"staging":\s+valid\s+environments\s+are\s+production,\s+sandbox`),
		}},
	})
}
