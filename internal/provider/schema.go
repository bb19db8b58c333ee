package provider

import (
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	provschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The schemas of every face are built from a platform's declaration, once for
// each schema package of the framework, so that the faces cannot drift apart.

func stringValidators(v ...validator.String) []validator.String { return v }

// arguments are the platform's inputs and min_validity, with their descriptions.
func (p *platform) arguments() []input {
	args := []input{minValidityInput}
	for _, in := range p.inputs {
		in.description = in.markdown(p.block)
		args = append(args, in)
	}
	return args
}

// attributes builds the attributes of a face in one of the framework's schema
// packages from the arguments and results.
func attributes[A any](p *platform, f face, arg func(input) A, text, integer func(output) A) map[string]A {
	attrs := map[string]A{}
	for _, in := range p.arguments() {
		attrs[in.name] = arg(in)
	}
	for _, out := range p.results(f) {
		if out.integer {
			attrs[out.name] = integer(out)
		} else {
			attrs[out.name] = text(out)
		}
	}
	return attrs
}

func (p *platform) dataSourceSchema() dsschema.Schema {
	return dsschema.Schema{
		MarkdownDescription: p.tokenAbout + "\n\n" + dataSourceNote,
		Attributes: attributes(p, tokenFace,
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

func (p *platform) ephemeralSchema(f face) ephschema.Schema {
	description := p.tokenAbout + "\n\n" + ephemeralNote
	if f == proxyFace {
		description = p.proxyAbout()
	}
	attrs := attributes(p, f,
		func(in input) ephschema.Attribute {
			return ephschema.StringAttribute{Optional: true, Computed: in.result, Sensitive: in.sensitive,
				MarkdownDescription: in.description, Validators: in.validators}
		},
		func(out output) ephschema.Attribute {
			return ephschema.StringAttribute{Computed: true, Sensitive: out.sensitive, MarkdownDescription: out.description}
		},
		func(out output) ephschema.Attribute {
			return ephschema.Int64Attribute{Computed: true, Sensitive: out.sensitive, MarkdownDescription: out.description}
		})
	if f == proxyFace {
		for name, a := range proxyArguments() {
			attrs[name] = a
		}
	}
	return ephschema.Schema{MarkdownDescription: description, Attributes: attrs}
}

// providerBlock is the platform's nested attribute in the provider schema.
func (p *platform) providerBlock() provschema.SingleNestedAttribute {
	attrs := map[string]provschema.Attribute{}
	for _, in := range p.inputs {
		attrs[in.name] = provschema.StringAttribute{Optional: true, Sensitive: in.sensitive,
			MarkdownDescription: in.markdown(""), Validators: in.validators}
	}
	return provschema.SingleNestedAttribute{Optional: true, MarkdownDescription: p.about, Attributes: attrs}
}

// proxyAbout describes a platform's proxy.
func (p *platform) proxyAbout() string {
	return "Serves an authenticated local endpoint for the " + string(p.name) + " API, so that whatever is configured " +
		"with it never holds a token that can expire mid-apply. Opening it starts an HTTP listener inside the provider " +
		"process, on `127.0.0.1` only, on a free port, under a random path prefix of 128 bits or more. A request to " +
		"`{url}/X` goes to `{api_base_url}/X` with its method, query, headers and body, and with its `Authorization` " +
		"header replaced by a live `Bearer` token from the provider's token cache; if the API answers 401 and the " +
		"request can be sent again, the proxy gets a new token and retries once. Answers 429 and 423, and 502, 503 and " +
		"504 to idempotent methods, are retried up to `max_retries` times with backoff, honouring `Retry-After`; " +
		"`max_concurrent_requests` caps the requests with the API at once. Requests outside the prefix get 404, " +
		"and nothing can leave the API root. Terraform closes the proxy after the last use of everything configured " +
		"from it; closing stops the listener after a short grace period for requests in flight.\n\n" + proxyNote
}

const dataSourceNote = "~> **The token is stored in state.** A data source's results are saved, marked sensitive, in the " +
	"plan and state files. Prefer the ephemeral resource of the same name (Terraform 1.10 and later), whose values " +
	"never reach plan or state; use this data source with older Terraform versions, or where an argument cannot " +
	"take ephemeral values (a data source argument such as `hashicorp/http`'s `request_headers`)."

const ephemeralNote = "This ephemeral resource is the recommended way to get a token: its values never reach the " +
	"plan or state files. It needs Terraform 1.10 or later; its values can go into provider blocks, other " +
	"ephemeral resources, write-only attributes, provisioner and connection blocks, and ephemeral locals, " +
	"variables and outputs. For a token that must be stored, use the data source of the same name.\n\n" +
	"~> **A token is fixed for the whole run.** Terraform cannot take a new value from an open ephemeral resource, so " +
	"anything configured with this token fails once an apply outlives it. The provider's warning about it comes " +
	"from Renew, which Terraform shows only in its `TF_LOG` output, never on the console. For anything that calls the " +
	"API during a long apply, use the proxy ephemeral resource of the same platform instead: it always sends a live token."

const proxyNote = "It needs Terraform 1.10 or later. Its `url` can go wherever an ephemeral value can: a provider " +
	"block (such as a REST provider's base URL), a provisioner's environment, ephemeral locals and outputs. Plan and " +
	"apply each open their own proxy, on a new port and prefix. No log line, diagnostic or error carries the prefix, " +
	"a token or a body."
