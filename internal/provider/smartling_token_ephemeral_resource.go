package provider

import "github.com/hashicorp/terraform-plugin-framework/ephemeral"

// NewSmartlingTokenEphemeralResource returns translationauth_smartling_token as an ephemeral resource.
func NewSmartlingTokenEphemeralResource() ephemeral.EphemeralResource {
	return newTokenEphemeralResource(smartlingToken)
}
