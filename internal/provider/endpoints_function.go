package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// endpointsFunction maps one string argument, param (a region or an
// environment), to an object of its endpoints from an endpoint table in
// internal/auth. The argument's description ends with the table's names.
type endpointsFunction[E any] struct {
	name, summary, description string
	param, paramAbout          string
	table                      auth.HostTable[E]
	attrTypes                  map[string]attr.Type
	values                     func(E) map[string]attr.Value
}

var _ function.Function = (*endpointsFunction[auth.SmartConnectEndpoints])(nil)

func (f *endpointsFunction[E]) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f *endpointsFunction[E]) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:             f.summary,
		MarkdownDescription: f.description,
		Parameters: []function.Parameter{
			function.StringParameter{Name: f.param, MarkdownDescription: f.paramAbout + ", one of " + codeList(f.table.Names()) + "."},
		},
		Return: function.ObjectReturn{AttributeTypes: f.attrTypes},
	}
}

func (f *endpointsFunction[E]) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var arg string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &arg))
	if resp.Error != nil {
		return
	}
	e, err := f.table.Endpoints(arg)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	obj, diags := types.ObjectValue(f.attrTypes, f.values(e))
	resp.Error = function.ConcatFuncErrors(resp.Error, function.FuncErrorFromDiags(ctx, diags))
	if resp.Error != nil {
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, obj))
}
