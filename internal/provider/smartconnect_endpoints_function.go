package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

var _ function.Function = (*endpointsFunction)(nil)

// NewSmartConnectEndpointsFunction returns provider::translationauth::smartconnect_endpoints.
func NewSmartConnectEndpointsFunction() function.Function {
	return &endpointsFunction{
		name:    "smartconnect_endpoints",
		summary: "Endpoints of a SmartConnect region",
		description: "Returns the token endpoint, API root and Swagger UI of a SmartConnect region, as an object " +
			"`{ region, token_url, api_base_url, swagger_url }`. Needs no credentials. An unknown region is an " +
			"error that lists the valid codes.\n\n" + regionTable(),
		param:            "region",
		paramDescription: "Region code, one of " + codeList(auth.SmartConnectRegions()) + ".",
		attrTypes:        smartConnectEndpointTypes,
		lookup: func(region string) (map[string]attr.Value, error) {
			e, err := auth.SmartConnectRegion(region)
			if err != nil {
				return nil, err
			}
			return smartConnectEndpointValues(e), nil
		},
	}
}
