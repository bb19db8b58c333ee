package provider

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
