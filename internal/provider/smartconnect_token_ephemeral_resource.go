package provider

import "github.com/hashicorp/terraform-plugin-framework/ephemeral"

// NewSmartConnectTokenEphemeralResource returns translationauth_smartconnect_token as an ephemeral resource.
func NewSmartConnectTokenEphemeralResource() ephemeral.EphemeralResource {
	return newTokenEphemeralResource(smartConnectToken)
}
