package provider

import "github.com/hashicorp/terraform-plugin-framework/ephemeral"

// NewEasyTranslateTokenEphemeralResource returns translationauth_easytranslate_token as an ephemeral resource.
func NewEasyTranslateTokenEphemeralResource() ephemeral.EphemeralResource {
	return newTokenEphemeralResource(easyTranslateToken)
}
