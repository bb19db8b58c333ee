package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// platforms is the registry: every platform the provider serves, each
// declared once in its own file. The provider block, the data sources, the
// ephemeral resources, the documentation checks and the tests all loop over
// it; adding a platform is its internal/auth adapter, one declaration file and
// one line here.
var platforms = []*platform{smartling, easyTranslate, smartConnect}

// platform is one translation platform's declaration. Each of its faces is
// built from it:
//   - the nested attribute of the provider block (inputs),
//   - translationauth_<block>_token, as a data source and as an ephemeral
//     resource (inputs, the common token results and outputs),
//   - translationauth_<block>_proxy, an ephemeral resource that serves an
//     authenticated local endpoint (inputs and outputs).
type platform struct {
	name       auth.Platform // display name, as in diagnostics: "Smartling"
	block      string        // provider block and type name stem: "smartling"
	about      string        // description of the provider block
	tokenAbout string        // what the token types do, for their descriptions
	inputs     []input       // settings, in the order of the docs
	outputs    []output      // results beyond the common ones, each on its faces
	// required names the inputs without which no token can be requested.
	required []string
	// defaultHint names the inputs to check when the API rejects the
	// credentials; hints does so per API error code.
	defaultHint []string
	hints       map[string][]string
	// rejectedNote ends the hint of every rejection that names credentials:
	// what else than a wrong credential the platform refuses that way.
	rejectedNote string
	// connect writes the results that follow from the settings (api_base_url,
	// region, …) and returns the adapter for them. The settings are resolved
	// and the required inputs present.
	connect func(c *auth.Client, s settings, r *record, diags *diag.Diagnostics) auth.Adapter
	// tokenResults writes the platform's results that follow from a token.
	tokenResults func(t *auth.Token, r *record)
	// dataSources and functions are the platform's types beyond its token
	// and proxy faces, which need no credentials: SmartConnect's regions data
	// source, the endpoints functions.
	dataSources []func() datasource.DataSource
	functions   []func() function.Function
}

// face is a kind of Terraform type that a platform is served as.
type face uint8

const (
	tokenFace face = 1 << iota // translationauth_<block>_token, data source and ephemeral resource
	proxyFace                  // translationauth_<block>_proxy
)

// output is a computed result attribute of the faces it names.
type output struct {
	name        string
	description string
	integer     bool
	sensitive   bool
	faces       face
}

// typeName is the full type name of a face, such as translationauth_smartling_token.
func (p *platform) typeName(f face) string {
	if f == proxyFace {
		return providerTypeName + "_" + p.block + "_proxy"
	}
	return providerTypeName + "_" + p.block + "_token"
}

// defaultMinValidity is min_validity when none is set; maxMinValidity bounds it.
const (
	defaultMinValidity = 60 * time.Second
	maxMinValidity     = 366 * 24 * time.Hour
)

// minValidityInput is the argument every type has besides its platform's inputs.
var minValidityInput = input{
	name: "min_validity",
	description: "How long the token must stay valid when it is handed out (for a proxy: when it is sent " +
		"upstream), as a duration such as `\"60s\"` or `\"10m\"`, at most `\"8784h\"` (366 days). A cached token with less time " +
		"left is refreshed or replaced. If the platform issues tokens that live shorter than this, the freshest " +
		"token is used while it has at least half its lifetime left, with one warning. Defaults to `\"60s\"`.",
	validators: stringValidators(validators.Duration(0, maxMinValidity)),
}

// commonOutputs are the results every platform has on the faces named.
var commonOutputs = []output{
	{name: "access_token", sensitive: true, faces: tokenFace, description: "The access token."},
	{name: "token_type", faces: tokenFace, description: "The token type: always `Bearer`, whatever case the API used."},
	{name: "authorization_header", sensitive: true, faces: tokenFace, description: "The value for an HTTP `Authorization` header: `Bearer <access_token>`."},
	{name: "expires_in", integer: true, faces: tokenFace, description: "Seconds of validity the API reported when it issued the token; null if it reported none."},
	{name: "expires_at", faces: tokenFace, description: "When the token expires, as an RFC 3339 UTC time; null if the API gave no lifetime."},
	{name: "refresh_token", sensitive: true, faces: tokenFace, description: "The refresh token; null if the API gave none."},
	{name: "url", sensitive: true, faces: proxyFace, description: "The proxy's address, `http://127.0.0.1:<port>/<prefix>` " +
		"without a trailing slash: a request to `{url}/X` goes to `{api_base_url}/X` with a live token. The random prefix is " +
		"the proxy's only credential, so the URL is sensitive."},
	{name: "api_base_url", faces: tokenFace | proxyFace, description: "The API root the token is for, without a trailing slash."},
}

// results lists the results of a face: the common ones, then the platform's.
func (p *platform) results(f face) []output {
	var out []output
	for _, o := range append(append([]output{}, commonOutputs...), p.outputs...) {
		if o.faces&f != 0 {
			out = append(out, o)
		}
	}
	return out
}

// computed names the attributes of a face that the provider sets: its results
// and the inputs it reports back.
func (p *platform) computed(f face) map[string]bool {
	out := map[string]bool{}
	for _, o := range p.results(f) {
		out[o.name] = true
	}
	for _, in := range p.inputs {
		if in.result {
			out[in.name] = true
		}
	}
	return out
}

// grant is what opening any face of a platform yields: the read's record, the
// adapter and a first token; or, while a value is not known yet during plan,
// only the name of that value.
type grant struct {
	rec         *record
	settings    settings
	adapter     auth.Adapter
	minValidity time.Duration
	result      auth.Result
	pending     string // an input not known yet: no token was requested
}

// open reads the configuration once, resolves the settings, builds the adapter
// and gets a token from the cache in scope.
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
		var err error
		if g.minValidity, err = validators.ParseDuration(v, 0, maxMinValidity); err != nil {
			diags.AddAttributeError(path.Root(minValidityInput.name), "Invalid Duration", err.Error())
			return nil, diags
		}
	}
	p.require(g.settings, &diags, p.required...)
	if diags.HasError() {
		return nil, diags
	}
	g.adapter = p.connect(pd.client, g.settings, r, &diags)
	if diags.HasError() {
		return nil, diags
	}
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
				g.minValidity, p.name, t.ExpiresIn, t.ExpiresAt().UTC().Format(time.RFC3339)))
	}
	tflog.Debug(ctx, "token ready", map[string]any{"platform": string(p.name), "source": res.Source.String()})
	return g, diags
}

// explain turns an error into a diagnostic detail with a hint at what to check.
func (p *platform) explain(err error, s settings, pd *providerData) string {
	e, ok := auth.AsError(err)
	if !ok {
		return err.Error()
	}
	baseURL := p.describe(s, "base_url")
	hint := ""
	switch e.Kind {
	case auth.KindRejected:
		if e.Status == 404 || e.Status == 405 {
			hint = fmt.Sprintf("No token endpoint answered at %s: the provider appends the token path to the API root. "+
				"Check %s and its path prefix.", e.URL, baseURL)
			break
		}
		names := p.defaultHint
		if h, ok := p.hints[e.Code]; ok {
			names = h
		}
		hint = strings.TrimSpace("Check " + p.describe(s, names...) + ". " + p.rejectedNote)
	case auth.KindRedirect:
		hint = fmt.Sprintf("Token requests never follow redirects, so that credentials go only where they were configured "+
			"to go. Check %s: it should be the API root itself.", baseURL)
	case auth.KindRateLimited:
		hint = fmt.Sprintf("%s kept answering 429 Too Many Requests. Wait and run again, or raise max_retries in the provider block (now %d).",
			p.name, pd.client.Options().MaxRetries)
	case auth.KindServer:
		hint = fmt.Sprintf("%s answered with a server error on every attempt. Wait and run again; the platform's status page may say more.", p.name)
		if e.NotJSON() {
			hint += fmt.Sprintf(" The answer came from something other than the API: if %s points at a proxy or gateway, check it too.", baseURL)
		}
	case auth.KindTimeout:
		hint = fmt.Sprintf("No answer came within request_timeout (%s) per attempt. Check %s and the network, or raise request_timeout in the provider block.",
			pd.client.Options().Timeout, baseURL)
	case auth.KindDNS, auth.KindNetwork, auth.KindTLS:
		hint = fmt.Sprintf("Check %s and that this machine can reach %s.", baseURL, e.URL)
		if e.Kind == auth.KindTLS {
			hint += " " + tlsHint
		}
	case auth.KindProxy:
		hint = fmt.Sprintf(proxyHint, p.name)
	case auth.KindBadResponse:
		if e.CutOff() {
			hint = "The connection broke in the middle of the answer. Run again; if it keeps happening, check the network or proxy between this machine and " + e.URL + "."
			break
		}
		hint = fmt.Sprintf("Check that %s is the API root of %s, not a web page or a proxy that answers in its place.", baseURL, p.name)
	case auth.KindNoToken:
		hint = fmt.Sprintf("%s reported success without a token. Run again; if it persists, contact %s support", p.name, p.name)
		if e.RequestID != "" {
			hint += " with the request id " + e.RequestID
		}
		hint += "."
	}
	if e.Repeated {
		hint += " This credential set was rejected earlier in this run, so it was not sent again: fix it and run again."
	}
	if !e.RetryAt.IsZero() {
		hint += fmt.Sprintf(" %s asked to be called again at %s, later than the provider waits (%s); run again after that.",
			p.name, e.RetryAt.UTC().Format(time.RFC3339), auth.DefaultRetryAfterMax)
	}
	hint = strings.TrimSpace(hint)
	if hint == "" {
		return err.Error()
	}
	return err.Error() + "\n\n" + hint
}

// describe names inputs for hints: where each can be set, where its value
// came from, and whether the value has whitespace that a copy and paste may
// have brought along.
func (p *platform) describe(s settings, names ...string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		in, v := p.input(n), s[n]
		part := fmt.Sprintf("%s (provider attribute %s.%s", n, p.block, n)
		if in.env != "" {
			part += ", environment variable " + in.env
		}
		switch {
		case !v.set():
			part += "; not set anywhere"
		case v.level == levelDefault:
			part += "; this value is the default"
		default:
			part += "; this value came from the " + v.source
		}
		switch {
		case strings.ContainsAny(v.value, "\r\n"):
			part += ", and it contains a line break"
		case v.value != strings.TrimSpace(v.value):
			part += ", and it has leading or trailing whitespace"
		}
		parts[i] = part + ")"
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
