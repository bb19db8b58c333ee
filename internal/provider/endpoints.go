package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// The endpoint objects of the regions data source and the endpoint functions,
// built from the one endpoint table in internal/auth.

var smartConnectEndpointTypes = map[string]attr.Type{
	attrRegion:     types.StringType,
	attrTokenURL:   types.StringType,
	attrAPIBaseURL: types.StringType,
	attrSwaggerURL: types.StringType,
}

var easyTranslateEndpointTypes = map[string]attr.Type{
	attrEnvironment: types.StringType,
	attrTokenURL:    types.StringType,
	attrAPIBaseURL:  types.StringType,
}

func smartConnectEndpointValues(e auth.SmartConnectEndpoints) map[string]attr.Value {
	return map[string]attr.Value{
		attrRegion:     types.StringValue(e.Region),
		attrTokenURL:   types.StringValue(e.TokenURL),
		attrAPIBaseURL: types.StringValue(e.APIBaseURL),
		attrSwaggerURL: types.StringValue(e.SwaggerURL),
	}
}

func easyTranslateEndpointValues(e auth.EasyTranslateEndpoints) map[string]attr.Value {
	return map[string]attr.Value{
		attrEnvironment: types.StringValue(e.Environment),
		attrTokenURL:    types.StringValue(e.TokenURL),
		attrAPIBaseURL:  types.StringValue(e.APIBaseURL),
	}
}

// codeList formats values for descriptions: `NA`, `NA2`, ….
func codeList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("`%s`", v)
	}
	return strings.Join(quoted, ", ")
}

// regionTable is the markdown table of SmartConnect regions, for docs.
func regionTable() string {
	var b strings.Builder
	b.WriteString("| Region | Token URL | API base URL | Swagger UI |\n|---|---|---|---|\n")
	for _, r := range auth.SmartConnectHosts.Names() {
		e, _ := auth.SmartConnectHosts.Endpoints(r)
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", e.Region, e.TokenURL, e.APIBaseURL, e.SwaggerURL)
	}
	return b.String()
}
