package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
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
	// connect returns the adapter and the API root for the settings, and
	// writes the platform's other results that follow from them (region, …).
	// The settings are resolved and the required inputs present.
	connect func(c *auth.Client, s settings, r *record, diags *diag.Diagnostics) connection
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

// commonOutputs are the results every platform has on the faces named.
var commonOutputs = []output{
	{name: attrAccessToken, sensitive: true, faces: tokenFace, description: "The access token."},
	{name: attrTokenType, faces: tokenFace, description: "The token type: always `Bearer`, whatever case the API used."},
	{name: attrAuthorizationHeader, sensitive: true, faces: tokenFace, description: "The value for an HTTP `Authorization` header: `Bearer <access_token>`."},
	{name: attrExpiresIn, integer: true, faces: tokenFace, description: "Seconds of validity the API reported when it issued the token; null if it reported none."},
	{name: attrExpiresAt, faces: tokenFace, description: "When the token expires, as an RFC 3339 UTC time; null if the API gave no lifetime."},
	{name: attrRefreshToken, sensitive: true, faces: tokenFace, description: "The refresh token; null if the API gave none."},
	{name: attrURL, sensitive: true, faces: proxyFace, description: "The proxy's address, `http://127.0.0.1:<port>/<prefix>` " +
		"without a trailing slash: a request to `{url}/X` goes to `{api_base_url}/X` with a live token. The random prefix is " +
		"the proxy's only credential, so the URL is sensitive."},
	{name: attrAPIBaseURL, faces: tokenFace | proxyFace, description: "The API root the token is for, without a trailing slash."},
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
