package provider

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// input is one platform setting. It is declared once and becomes an attribute
// of the provider's platform block, an argument of every type of the platform
// and the env variable fallback, all from this entry.
type input struct {
	name        string
	env         string // environment variable fallback, if any
	def         string // default, if any
	sensitive   bool
	description string
	validators  []validator.String
	result      bool // also a result: the resolved value is reported back
}

// markdown describes the input with its fallbacks, for the docs. block is the
// provider block an argument falls back to; empty for the provider block itself.
func (in input) markdown(block string) string {
	var b strings.Builder
	b.WriteString(in.description)
	var fallbacks []string
	if block != "" {
		fallbacks = append(fallbacks, fmt.Sprintf("the provider's `%s.%s`", block, in.name))
	}
	if in.env != "" {
		fallbacks = append(fallbacks, fmt.Sprintf("the `%s` environment variable", in.env))
	}
	if len(fallbacks) > 0 {
		fmt.Fprintf(&b, " Falls back to %s.", strings.Join(fallbacks, ", then to "))
	}
	if in.def != "" {
		fmt.Fprintf(&b, " Defaults to `%s`.", in.def)
	}
	return b.String()
}

// Levels of precedence: a value set on the data source or ephemeral resource
// wins over the provider block, which wins over the environment, which wins
// over the default.
const (
	levelResource = iota
	levelProvider
	levelEnv
	levelDefault
	levelUnset
)

// setting is a resolved input value and where it came from.
type setting struct {
	value   string
	level   int
	source  string // for messages: "argument user_secret of this block", "environment variable X", …
	unknown bool   // a value not known yet during plan
}

func (s setting) set() bool { return s.level < levelUnset }

// settings are the resolved inputs of one platform, by attribute name.
type settings map[string]setting

// providerSettings resolves a platform's provider block (may be null) over the
// environment and defaults.
func (p *platform) providerSettings(obj types.Object) settings {
	var attrs map[string]attr.Value
	if !obj.IsNull() && !obj.IsUnknown() {
		attrs = obj.Attributes()
	}
	out := make(settings, len(p.inputs))
	for _, in := range p.inputs {
		if v, ok := attrs[in.name].(types.String); ok && !v.IsNull() {
			out[in.name] = setting{value: v.ValueString(), level: levelProvider,
				source: fmt.Sprintf("provider attribute %s.%s", p.block, in.name), unknown: v.IsUnknown()}
			continue
		}
		if obj.IsUnknown() {
			out[in.name] = setting{level: levelProvider, source: "provider attribute " + p.block, unknown: true}
			continue
		}
		if in.env != "" {
			if v := os.Getenv(in.env); v != "" {
				out[in.name] = setting{value: v, level: levelEnv, source: "environment variable " + in.env}
				continue
			}
		}
		if in.def != "" {
			out[in.name] = setting{value: in.def, level: levelDefault, source: "default"}
			continue
		}
		out[in.name] = setting{level: levelUnset}
	}
	return out
}

// resolve lays the arguments of a data source or ephemeral resource, read
// once into r, over the provider's settings.
func (p *platform) resolve(r *record, base settings) settings {
	out := make(settings, len(p.inputs))
	for _, in := range p.inputs {
		v, set, known := r.input(in.name)
		switch {
		case !known:
			out[in.name] = setting{level: levelResource, source: "argument " + in.name + " of this block", unknown: true}
		case set:
			out[in.name] = setting{value: v, level: levelResource, source: "argument " + in.name + " of this block"}
		default:
			out[in.name] = base[in.name]
		}
	}
	return out
}

func (p *platform) input(name string) input {
	for _, in := range p.inputs {
		if in.name == name {
			return in
		}
	}
	panic("provider: no input " + name)
}

// unknown returns the first input whose value is not known yet, if any.
func (p *platform) unknown(s settings) (string, bool) {
	for _, in := range p.inputs {
		if s[in.name].unknown {
			return in.name, true
		}
	}
	return "", false
}

// unknownError reports a value that is not known yet, for a data source:
// Terraform reads data sources during plan and cannot defer them.
func (p *platform) unknownError(s settings, name string, diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root(name), fmt.Sprintf("Unknown %s %s", p.name, name),
		fmt.Sprintf("The %s is not known yet: it depends on a value that Terraform learns only during apply, "+
			"and a data source is read during plan. Set %q from values known at plan time, or use the ephemeral "+
			"resource of the same name, which waits for the value.", s[name].source, name))
}

// require reports a missing or empty value of a required input, naming the
// attribute, where an empty value came from, and where a value can be set.
func (p *platform) require(s settings, diags *diag.Diagnostics, names ...string) {
	for _, name := range names {
		v := s[name]
		if v.value != "" {
			continue
		}
		in := p.input(name)
		where := fmt.Sprintf("Set it on this block, as %s.%s in the provider configuration", p.block, name)
		if in.env != "" {
			where += ", or in the " + in.env + " environment variable"
		}
		detail := fmt.Sprintf("A token for %s needs %q. %s.", p.name, name, where)
		if v.set() {
			detail = fmt.Sprintf("A token for %s needs %q, and the %s sets it to an empty string. "+
				"Give it a value, or remove it so that a value set elsewhere applies.", p.name, name, v.source)
		}
		diags.AddAttributeError(path.Root(name), fmt.Sprintf("Missing %s %s", p.name, name), detail)
	}
}

// apiRoot returns the API root of a platform whose root is chosen by the
// input alt (a region or environment) in the table hosts. The value is checked
// here too, since an environment variable bypasses the schema validators. A
// base_url set at any level overrides the host that alt would choose, as
// AWS_ENDPOINT_URL does for a region; alt is still checked and reported.
func apiRoot[E any](s settings, alt string, hosts auth.HostTable[E], diags *diag.Diagnostics) (string, bool) {
	v := s[alt]
	root, err := hosts.Root(v.value)
	if err != nil {
		diags.AddAttributeError(path.Root(alt), fmt.Sprintf("Invalid %s", alt),
			fmt.Sprintf("The %s is %q; valid values are %s.", v.source, v.value, strings.Join(hosts.Names(), ", ")))
		return "", false
	}
	if s["base_url"].value != "" {
		return baseURL(s, diags)
	}
	return root, true
}

// oauthCredentials are the settings of an OAuth2 password grant: client_id,
// client_secret, username, password and, if the platform has the input, scope.
func oauthCredentials(s settings) auth.OAuthCredentials {
	return auth.OAuthCredentials{
		ClientID:     s["client_id"].value,
		ClientSecret: s["client_secret"].value,
		Username:     s["username"].value,
		Password:     s["password"].value,
		Scope:        s["scope"].value,
	}
}

// baseURL validates the base_url setting and returns it without a trailing slash.
func baseURL(s settings, diags *diag.Diagnostics) (string, bool) {
	v := s["base_url"]
	if err := auth.ValidateBaseURL(v.value); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Base URL",
			fmt.Sprintf("The %s is invalid: %s.", v.source, err))
		return "", false
	}
	return auth.TrimBaseURL(v.value), true
}
