package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// endpointsFunction maps one string argument (a region or an environment) to
// an object of endpoints from the endpoint table in internal/auth.
type endpointsFunction struct {
	name, summary, description string
	param, paramDescription    string
	attrTypes                  map[string]attr.Type
	lookup                     func(string) (map[string]attr.Value, error)
}

var _ function.Function = (*endpointsFunction)(nil)

// lookupWith is an endpointsFunction's lookup from an internal/auth table
// (find) and the object values of its endpoints.
func lookupWith[E any](find func(string) (E, error), values func(E) map[string]attr.Value) func(string) (map[string]attr.Value, error) {
	return func(key string) (map[string]attr.Value, error) {
		e, err := find(key)
		if err != nil {
			return nil, err
		}
		return values(e), nil
	}
}

func (f *endpointsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f *endpointsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:             f.summary,
		MarkdownDescription: f.description,
		Parameters: []function.Parameter{
			function.StringParameter{Name: f.param, MarkdownDescription: f.paramDescription},
		},
		Return: function.ObjectReturn{AttributeTypes: f.attrTypes},
	}
}

func (f *endpointsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var arg string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &arg))
	if resp.Error != nil {
		return
	}
	values, err := f.lookup(arg)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	obj, diags := types.ObjectValue(f.attrTypes, values)
	resp.Error = function.ConcatFuncErrors(resp.Error, function.FuncErrorFromDiags(ctx, diags))
	if resp.Error != nil {
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, obj))
}
