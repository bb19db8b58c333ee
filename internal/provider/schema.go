package provider

import (
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	provschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The token types' schemas are built from one list of inputs and outputs,
// once for each schema package of the framework.

func stringValidators(v ...validator.String) []validator.String { return v }

// arguments are the platform's inputs and min_validity, with their descriptions.
func (k *tokenKind[M]) arguments() map[string]input {
	args := map[string]input{minValidityInput.name: minValidityInput}
	for _, in := range k.inputs {
		in.description = in.markdown(k.block)
		args[in.name] = in
	}
	return args
}

func (k *tokenKind[M]) results() []output {
	return append(append([]output{}, commonOutputs...), k.outputs...)
}

// attributes builds the attributes of one of the framework's schema packages
// from the arguments and results, so that the data source and the ephemeral
// resource cannot drift apart.
func attributes[A any](k interface {
	arguments() map[string]input
	results() []output
}, arg func(input) A, text, integer func(output) A) map[string]A {
	attrs := map[string]A{}
	for name, in := range k.arguments() {
		attrs[name] = arg(in)
	}
	for _, out := range k.results() {
		if out.integer {
			attrs[out.name] = integer(out)
		} else {
			attrs[out.name] = text(out)
		}
	}
	return attrs
}

func (k *tokenKind[M]) dataSourceSchema() dsschema.Schema {
	return dsschema.Schema{
		MarkdownDescription: k.description + "\n\n" + dataSourceNote,
		Attributes: attributes(k,
			func(in input) dsschema.Attribute {
				return dsschema.StringAttribute{Optional: true, Computed: in.result, Sensitive: in.sensitive,
					MarkdownDescription: in.description, Validators: in.validators}
			},
			func(out output) dsschema.Attribute {
				return dsschema.StringAttribute{Computed: true, Sensitive: out.sensitive, MarkdownDescription: out.description}
			},
			func(out output) dsschema.Attribute {
				return dsschema.Int64Attribute{Computed: true, Sensitive: out.sensitive, MarkdownDescription: out.description}
			}),
	}
}

func (k *tokenKind[M]) ephemeralSchema() ephschema.Schema {
	return ephschema.Schema{
		MarkdownDescription: k.description + "\n\n" + ephemeralNote,
		Attributes: attributes(k,
			func(in input) ephschema.Attribute {
				return ephschema.StringAttribute{Optional: true, Computed: in.result, Sensitive: in.sensitive,
					MarkdownDescription: in.description, Validators: in.validators}
			},
			func(out output) ephschema.Attribute {
				return ephschema.StringAttribute{Computed: true, Sensitive: out.sensitive, MarkdownDescription: out.description}
			},
			func(out output) ephschema.Attribute {
				return ephschema.Int64Attribute{Computed: true, Sensitive: out.sensitive, MarkdownDescription: out.description}
			}),
	}
}

// providerBlock is the platform's nested attribute in the provider schema.
func (p platformInputs) providerBlock(description string) provschema.SingleNestedAttribute {
	attrs := map[string]provschema.Attribute{}
	for _, in := range p.inputs {
		attrs[in.name] = provschema.StringAttribute{Optional: true, Sensitive: in.sensitive,
			MarkdownDescription: in.markdown(""), Validators: in.validators}
	}
	return provschema.SingleNestedAttribute{Optional: true, MarkdownDescription: description, Attributes: attrs}
}

const dataSourceNote = "~> **The token is stored in state.** A data source's results are saved, marked sensitive, in the " +
	"plan and state files. Prefer the ephemeral resource of the same name (Terraform 1.10 and later), whose values " +
	"never reach plan or state; use this data source with older Terraform versions, or where an argument cannot " +
	"take ephemeral values (a data source argument such as `hashicorp/http`'s `request_headers`)."

const ephemeralNote = "This ephemeral resource is the recommended way to get a token: its values never reach the " +
	"plan or state files. It needs Terraform 1.10 or later; its values can go into provider blocks, other " +
	"ephemeral resources, write-only attributes, provisioner and connection blocks, and ephemeral locals, " +
	"variables and outputs. For a token that must be stored, use the data source of the same name."
