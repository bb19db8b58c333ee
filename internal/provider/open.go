package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// grant is what opening any face of a platform yields: the read's record, the
// connection (adapter and API root) and a first token; or, while a value is
// not known yet during plan, only the name of that value.
type grant struct {
	rec      *record
	settings settings
	connection
	minValidity time.Duration
	result      auth.Result
	pending     string // an input not known yet: no token was requested
}

// open reads the configuration once, resolves the settings, connects (builds
// the adapter and finds the API root, which every face reports) and gets a
// token from the cache in scope.
func (p *platform) open(ctx context.Context, pd *providerData, cfg tfsdk.Config, scope auth.Scope) (*grant, diag.Diagnostics) {
	var diags diag.Diagnostics
	if pd == nil {
		diags.AddError("Provider Not Configured",
			"The translationauth provider was not configured before this token was requested. This is a bug in the provider; please report it.")
		return nil, diags
	}
	r, d := readRecord(cfg)
	diags.Append(d...)
	if diags.HasError() {
		return nil, diags
	}
	g := &grant{rec: r, settings: p.resolve(r, pd.settings[p.block]), minValidity: defaultMinValidity}
	if name, ok := p.unknown(g.settings); ok {
		g.pending = name
		return g, diags
	}
	if v, set, _ := r.input(minValidityInput.name); set {
		var ok bool
		if g.minValidity, ok = durationValue(minValidityInput.name, v, 0, maxMinValidity, &diags); !ok {
			return nil, diags
		}
	}
	p.require(g.settings, &diags, p.required...)
	if diags.HasError() {
		return nil, diags
	}
	g.connection = p.connect(pd.client, g.settings, r, &diags)
	if diags.HasError() {
		return nil, diags
	}
	r.setString(attrAPIBaseURL, g.apiRoot)
	ctx = maskSecrets(ctx, p.inputs, g.settings)
	res, err := pd.cache.Token(ctx, g.adapter, scope, g.minValidity)
	if err != nil {
		diags.AddError(fmt.Sprintf("%s Token Request Failed", p.name), p.explain(err, g.settings, pd))
		return nil, diags
	}
	g.result = res
	if res.Warn {
		t := res.Token
		diags.AddAttributeWarning(path.Root(minValidityInput.name), fmt.Sprintf("%s Token Shorter Than min_validity", p.name),
			fmt.Sprintf("min_validity asks for a token valid for at least %s, but %s issues tokens valid for %s. The freshest "+
				"token is used while it has at least half its lifetime left; this one expires at %s. Lower min_validity to "+
				"silence this warning, which is given once per credential set.",
				g.minValidity, p.name, t.Lifetime(), t.UsableUntil().UTC().Format(time.RFC3339)))
	}
	tflog.Debug(ctx, "token ready", map[string]any{"platform": string(p.name), "source": res.Source.String()})
	return g, diags
}
