package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// NewEasyTranslateEndpointsFunction returns provider::translationauth::easytranslate_endpoints.
func NewEasyTranslateEndpointsFunction() function.Function {
	return &endpointsFunction{
		name:    "easytranslate_endpoints",
		summary: "Endpoints of an EasyTranslate environment",
		description: "Returns the token endpoint and API root of an EasyTranslate environment, as an object " +
			"`{ environment, token_url, api_base_url }`. Needs no credentials. An unknown environment is an error " +
			"that lists the valid ones.",
		param:            "environment",
		paramDescription: "Environment, one of " + codeList(auth.EasyTranslateEnvironments()) + ".",
		attrTypes:        easyTranslateEndpointTypes,
		lookup: func(environment string) (map[string]attr.Value, error) {
			e, err := auth.EasyTranslateEnvironment(environment)
			if err != nil {
				return nil, err
			}
			return easyTranslateEndpointValues(e), nil
		},
	}
}
