package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// input is one platform setting. It is declared once and becomes an attribute
// of the provider's platform block, an argument of the platform's data source
// and ephemeral resource, and the env variable fallback, all from this entry.
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
	source  string // for messages: "attribute user_secret", "environment variable X", …
	unknown bool   // a provider value not known yet during plan
}

func (s setting) set() bool { return s.level < levelUnset }

// settings are the resolved inputs of one platform, by attribute name.
type settings map[string]setting

// providerSettings resolves a platform's provider block (may be null) over the
// environment and defaults.
func providerSettings(block string, obj types.Object, inputs []input) settings {
	var attrs map[string]attr.Value
	if !obj.IsNull() && !obj.IsUnknown() {
		attrs = obj.Attributes()
	}
	out := make(settings, len(inputs))
	for _, in := range inputs {
		if v, ok := attrs[in.name].(types.String); ok && !v.IsNull() {
			out[in.name] = setting{value: v.ValueString(), level: levelProvider,
				source: fmt.Sprintf("provider attribute %s.%s", block, in.name), unknown: v.IsUnknown()}
			continue
		}
		if obj.IsUnknown() {
			out[in.name] = setting{level: levelProvider, source: "provider attribute " + block, unknown: true}
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

// resolve lays the arguments of a data source or ephemeral resource over the
// provider's settings.
func resolve(ctx context.Context, cfg tfsdk.Config, inputs []input, base settings) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := make(settings, len(inputs))
	for _, in := range inputs {
		var v types.String
		diags.Append(cfg.GetAttribute(ctx, path.Root(in.name), &v)...)
		if !v.IsNull() && !v.IsUnknown() {
			out[in.name] = setting{value: v.ValueString(), level: levelResource, source: "attribute " + in.name}
			continue
		}
		out[in.name] = base[in.name]
	}
	return out, diags
}

// platformInputs ties a platform's inputs to its provider block and env names.
type platformInputs struct {
	platform auth.Platform
	block    string // provider block name, e.g. "smartling"
	inputs   []input
}

func (p platformInputs) input(name string) input {
	for _, in := range p.inputs {
		if in.name == name {
			return in
		}
	}
	panic("provider: no input " + name)
}

// unknown returns the first input whose provider value is not known yet, if any.
func (s settings) unknown(inputs []input) (setting, string, bool) {
	for _, in := range inputs {
		if v := s[in.name]; v.unknown {
			return v, in.name, true
		}
	}
	return setting{}, "", false
}

// unknownError reports a provider value that is not known yet, for a data
// source: Terraform reads data sources during plan and cannot defer them.
func (p platformInputs) unknownError(v setting, name string, diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root(name), fmt.Sprintf("Unknown %s %s", p.platform, name),
		fmt.Sprintf("The %s is not known yet: it depends on a value that Terraform learns only during apply, "+
			"and a data source is read during plan. Set %q from values known at plan time, or use the ephemeral "+
			"resource of the same name, which waits for the value.", v.source, name))
}

// require reports a missing value of a required input, naming the attribute,
// the provider attribute and the environment variable.
func (p platformInputs) require(s settings, diags *diag.Diagnostics, names ...string) {
	for _, name := range names {
		if s[name].value != "" {
			continue
		}
		in := p.input(name)
		detail := fmt.Sprintf("A %s token needs %q. Set it on this block, as %s.%s in the provider configuration",
			p.platform, name, p.block, name)
		if in.env != "" {
			detail += ", or in the " + in.env + " environment variable"
		}
		diags.AddAttributeError(path.Root(name), fmt.Sprintf("Missing %s %s", p.platform, name), detail+".")
	}
}

// apiRoot returns the API root of a platform whose root is chosen by alt (a
// region or environment, checked against valid) through rootOf, unless
// base_url overrides it: base_url wins when it is set at the same or a more
// specific level than alt.
func (p platformInputs) apiRoot(s settings, alt string, valid []string, rootOf func(string) string, diags *diag.Diagnostics) (string, bool) {
	if !oneOf(s[alt], alt, valid, diags) || diags.HasError() {
		return "", false
	}
	if b := s["base_url"]; b.set() && b.value != "" && b.level <= s[alt].level {
		return p.baseURL(s, diags)
	}
	return rootOf(s[alt].value), true
}

// baseURL validates the base_url setting and returns it without a trailing slash.
func (p platformInputs) baseURL(s settings, diags *diag.Diagnostics) (string, bool) {
	v := s["base_url"]
	if err := auth.ValidateBaseURL(v.value); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Base URL",
			fmt.Sprintf("The %s is invalid: %s.", v.source, err))
		return "", false
	}
	return auth.TrimBaseURL(v.value), true
}

// oneOf checks a value against a list, for values that bypassed the schema
// validators (environment variables).
func oneOf(s setting, name string, valid []string, diags *diag.Diagnostics) bool {
	for _, v := range valid {
		if s.value == v {
			return true
		}
	}
	diags.AddAttributeError(path.Root(name), fmt.Sprintf("Invalid %s", name),
		fmt.Sprintf("The %s is %q; valid values are %s.", s.source, s.value, strings.Join(valid, ", ")))
	return false
}
