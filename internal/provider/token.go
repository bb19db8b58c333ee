package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// obtainToken opens the token face of a platform: it gets a token in scope and
// writes every token result into the grant's record. The data source and the
// ephemeral resource differ only in scope and in what they do with the record.
func (p *platform) obtainToken(ctx context.Context, pd *providerData, cfg tfsdk.Config, scope auth.Scope) (*grant, diag.Diagnostics) {
	g, diags := p.open(ctx, pd, cfg, scope)
	if diags.HasError() || g.pending != "" {
		return g, diags
	}
	t := &g.result.Token
	r := g.rec
	r.setString(attrAccessToken, t.AccessToken)
	r.setString(attrTokenType, "Bearer")
	r.setString(attrAuthorizationHeader, "Bearer "+t.AccessToken)
	r.setSeconds(attrExpiresIn, t.ExpiresIn)
	r.setTime(attrExpiresAt, t.ExpiresAt())
	r.setOptional(attrRefreshToken, t.RefreshToken)
	if p.tokenResults != nil {
		p.tokenResults(t, r)
	}
	return g, diags
}
