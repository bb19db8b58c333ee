package provider

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
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

// defaultMinValidity is min_validity when none is set; maxMinValidity bounds it.
const (
	defaultMinValidity = 60 * time.Second
	maxMinValidity     = 366 * 24 * time.Hour
)

// minValidityInput is the argument every type has besides its platform's inputs.
var minValidityInput = input{
	name: attrMinValidity,
	description: "How long the token must stay valid when it is handed out (for a proxy: when it is sent " +
		"upstream), as a duration such as `\"60s\"` or `\"10m\"`, at most `\"8784h\"` (366 days). A cached token with less time " +
		"left is refreshed or replaced. If the platform issues tokens that live shorter than this, the freshest " +
		"token is used while it has at least half its lifetime left, with one warning. Defaults to `\"60s\"`.",
	validators: stringValidators(validators.Duration(0, maxMinValidity)),
}

// input returns the platform's input of that name.
func (p *platform) input(name string) input {
	for _, in := range p.inputs {
		if in.name == name {
			return in
		}
	}
	panic("provider: no input " + name)
}
