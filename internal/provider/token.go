package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// defaultMinValidity is min_validity when none is set.
const defaultMinValidity = 60 * time.Second

// output is a computed result attribute.
type output struct {
	name        string
	description string
	integer     bool
	sensitive   bool
}

// minValidityInput is the argument every token type has besides its platform's inputs.
var minValidityInput = input{
	name: "min_validity",
	description: "How long the returned token must stay valid, as a duration such as `\"60s\"` or `\"10m\"`. " +
		"A cached token with less time left is refreshed or replaced. If the platform issues tokens that live " +
		"shorter than this, the freshest token is returned with a warning. Defaults to `\"60s\"`.",
	validators: stringValidators(validators.Duration(0)),
}

// commonOutputs are the results every token type has.
var commonOutputs = []output{
	{name: "access_token", sensitive: true, description: "The access token."},
	{name: "token_type", description: "The token type: always `Bearer`, whatever case the API used."},
	{name: "authorization_header", sensitive: true, description: "The value for an HTTP `Authorization` header: `Bearer <access_token>`."},
	{name: "expires_in", integer: true, description: "Seconds of validity the API reported when it issued the token; null if it reported none."},
	{name: "expires_at", description: "When the token expires, as an RFC 3339 UTC time; null if the API gave no lifetime."},
	{name: "refresh_token", sensitive: true, description: "The refresh token; null if the API gave none."},
	{name: "api_base_url", description: "The API root the token is for, without a trailing slash."},
}

// tokenResultModel holds the attributes every token type shares; each
// platform's model embeds it.
type tokenResultModel struct {
	MinValidity         types.String `tfsdk:"min_validity"`
	AccessToken         types.String `tfsdk:"access_token"`
	TokenType           types.String `tfsdk:"token_type"`
	AuthorizationHeader types.String `tfsdk:"authorization_header"`
	ExpiresIn           types.Int64  `tfsdk:"expires_in"`
	ExpiresAt           types.String `tfsdk:"expires_at"`
	RefreshToken        types.String `tfsdk:"refresh_token"`
	APIBaseURL          types.String `tfsdk:"api_base_url"`
}

// tokenKind is one platform's token type. The data source and the ephemeral
// resource of a platform are the same tokenKind served two ways: they share
// the schema (built from inputs and outputs), the model M and the request.
type tokenKind[M any] struct {
	platformInputs
	typeName    string // without the provider prefix, e.g. "smartling_token"
	description string // what the token is for
	outputs     []output
	hints       map[string][]string // API error code → inputs to check
	defaultHint []string            // inputs to check when the API rejects the request
	common      func(*M) *tokenResultModel
	// request checks the resolved settings, sets the results derived from
	// them (api_base_url, region, …) and returns the adapter.
	request func(c *auth.Client, s settings, m *M, diags *diag.Diagnostics) auth.Adapter
	// token sets the platform's results derived from the token, if any.
	token func(m *M, t *auth.Token)
}

// fullName is the type name with the provider prefix.
func (k *tokenKind[M]) fullName() string { return providerTypeName + "_" + k.typeName }

// issued is what a read or open obtained: a token, or (during plan) the name
// of a provider value that is not known yet, when no token can be requested.
type issued struct {
	adapter     auth.Adapter
	minValidity time.Duration
	result      auth.Result
	pendingName string
	pending     setting
}

// obtain reads the configuration into m, gets a token for a data source (its
// token goes to state) and fills m's results.
func (k *tokenKind[M]) obtain(ctx context.Context, pd *providerData, cfg tfsdk.Config, m *M) (*issued, diag.Diagnostics) {
	return k.obtainIn(ctx, pd, cfg, m, auth.ScopeState)
}

// obtainIn is obtain for a token used in scope: the cache never hands a data
// source's token to an ephemeral resource, nor the reverse.
func (k *tokenKind[M]) obtainIn(ctx context.Context, pd *providerData, cfg tfsdk.Config, m *M, scope auth.Scope) (*issued, diag.Diagnostics) {
	var diags diag.Diagnostics
	if pd == nil {
		diags.AddError("Provider Not Configured",
			"The translationauth provider was not configured before this token was requested. This is a bug in the provider; please report it.")
		return nil, diags
	}
	diags.Append(cfg.Get(ctx, m)...)
	if diags.HasError() {
		return nil, diags
	}
	s, d := resolve(ctx, cfg, k.inputs, pd.settings[k.block])
	diags.Append(d...)
	if diags.HasError() {
		return nil, diags
	}
	if v, name, ok := s.unknown(k.inputs); ok {
		return &issued{pending: v, pendingName: name}, diags
	}
	res := k.common(m)
	minValidity := defaultMinValidity
	if v := res.MinValidity; !v.IsNull() {
		var err error
		if minValidity, err = validators.ParseDuration(v.ValueString(), 0); err != nil {
			diags.AddAttributeError(path.Root("min_validity"), "Invalid Duration", err.Error())
			return nil, diags
		}
	}
	adapter := k.request(pd.client, s, m, &diags)
	if diags.HasError() {
		return nil, diags
	}
	ctx = maskSecrets(ctx, k.inputs, s)
	r, err := pd.cache.Token(ctx, adapter, scope, minValidity)
	if err != nil {
		diags.AddError(fmt.Sprintf("%s Token Request Failed", k.platform), k.explain(err, pd))
		return nil, diags
	}
	ctx = tflog.MaskMessageStrings(ctx, r.Token.AccessToken, r.Token.RefreshToken)
	t := &r.Token
	res.AccessToken = types.StringValue(t.AccessToken)
	res.TokenType = types.StringValue("Bearer")
	res.AuthorizationHeader = types.StringValue("Bearer " + t.AccessToken)
	res.ExpiresIn, res.ExpiresAt = seconds(t.ExpiresIn), timestamp(t.ExpiresAt())
	res.RefreshToken = types.StringNull()
	if t.RefreshToken != "" {
		res.RefreshToken = types.StringValue(t.RefreshToken)
	}
	if k.token != nil {
		k.token(m, t)
	}
	if r.ShortLived {
		diags.AddAttributeWarning(path.Root("min_validity"), fmt.Sprintf("%s Token Shorter Than min_validity", k.platform),
			fmt.Sprintf("min_validity asks for a token valid for at least %s, but %s issued one valid for %s. "+
				"The freshest token was returned; it expires at %s. Lower min_validity to silence this warning.",
				minValidity, k.platform, t.ExpiresIn, t.ExpiresAt().UTC().Format(time.RFC3339)))
	}
	tflog.Debug(ctx, "token ready", map[string]any{"platform": string(k.platform), "source": r.Source.String()})
	return &issued{adapter: adapter, minValidity: minValidity, result: r}, diags
}

// explain turns an error into a diagnostic detail with a hint at what to check.
func (k *tokenKind[M]) explain(err error, pd *providerData) string {
	e, ok := auth.AsError(err)
	if !ok {
		return err.Error()
	}
	hint := ""
	switch e.Kind {
	case auth.KindRejected:
		names := k.defaultHint
		if h, ok := k.hints[e.Code]; ok {
			names = h
		}
		hint = "Check " + k.describe(names) + "."
	case auth.KindRateLimited:
		hint = fmt.Sprintf("%s kept answering 429 Too Many Requests. Wait and run again, or raise max_retries in the provider block (now %d).",
			k.platform, pd.client.Options().MaxRetries)
	case auth.KindServer:
		hint = fmt.Sprintf("%s answered with a server error on every attempt. Wait and run again; the platform's status page may say more.", k.platform)
		if e.NotJSON() {
			hint += fmt.Sprintf(" The answer came from something other than the API: if %s points at a proxy or gateway, check it too.",
				k.describe([]string{"base_url"}))
		}
	case auth.KindTimeout:
		hint = fmt.Sprintf("No answer came within request_timeout (%s) per attempt. Check %s and the network, or raise request_timeout in the provider block.",
			pd.client.Options().Timeout, k.describe([]string{"base_url"}))
	case auth.KindDNS, auth.KindNetwork, auth.KindTLS:
		hint = fmt.Sprintf("Check %s and that this machine can reach %s.", k.describe([]string{"base_url"}), e.URL)
	case auth.KindBadResponse:
		if e.CutOff() {
			hint = "The connection broke in the middle of the answer. Run again; if it keeps happening, check the network or proxy between this machine and " + e.URL + "."
			break
		}
		hint = fmt.Sprintf("Check that %s is the API root of %s, not a web page or a proxy that answers in its place.",
			k.describe([]string{"base_url"}), k.platform)
	case auth.KindNoToken:
		hint = fmt.Sprintf("%s reported success without a token. Run again; if it persists, contact %s support with the request id.", k.platform, k.platform)
	}
	if hint == "" {
		return err.Error()
	}
	return err.Error() + "\n\n" + hint
}

// describe names inputs with their environment variables, for hints.
func (k *tokenKind[M]) describe(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		in := k.input(n)
		parts[i] = fmt.Sprintf("%s (provider attribute %s.%s", n, k.block, n)
		if in.env != "" {
			parts[i] += ", environment variable " + in.env
		}
		parts[i] += ")"
	}
	return strings.Join(parts, " and ")
}

// maskSecrets registers every sensitive input value for masking in all log
// output of ctx, as a second line of defence: no log line holds them anyway.
func maskSecrets(ctx context.Context, inputs []input, s settings) context.Context {
	var secrets []string
	for _, in := range inputs {
		if v := s[in.name].value; in.sensitive && v != "" {
			secrets = append(secrets, v)
		}
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	return tflog.MaskMessageStrings(ctx, secrets...)
}

func seconds(d time.Duration) types.Int64 {
	if d <= 0 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(d / time.Second))
}

func timestamp(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// optional returns a null string for an empty value.
func optional(v string) types.String {
	if v == "" {
		return types.StringNull()
	}
	return types.StringValue(v)
}
