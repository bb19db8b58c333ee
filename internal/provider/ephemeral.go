package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
)

// The plumbing that the token and proxy ephemeral resources share: their
// type name, schema and provider data, and the private data that ties their
// Renew and Close to what their Open started.

// ephemeralFace is what every ephemeral face of a platform has in common: its
// type name, its schema and the provider data.
type ephemeralFace struct {
	platform *platform
	face     face
	data     *providerData
}

func (e *ephemeralFace) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = e.platform.typeName(e.face)
}

func (e *ephemeralFace) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = e.platform.ephemeralSchema(e.face)
}

func (e *ephemeralFace) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = configured(req.ProviderData, &resp.Diagnostics)
}

// privateKey names the private data that ties Renew and Close to the open
// token or proxy. It holds a handle into the provider's memory, never a
// credential.
const privateKey = "token"

// openPrivate is that private data: the handle, and whether Renew has warned.
type openPrivate struct {
	Handle string `json:"handle"`
	Warned bool   `json:"warned"`
}

// privateReader and privateWriter are the parts of the framework's private
// state that Renew, Open and Close use.
type privateReader interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateWriter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func setPrivate(ctx context.Context, priv privateWriter, p openPrivate) diag.Diagnostics {
	b, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	return priv.SetKey(ctx, privateKey, b)
}

func getPrivate(ctx context.Context, priv privateReader, p *openPrivate, diags *diag.Diagnostics) bool {
	b, d := priv.GetKey(ctx, privateKey)
	diags.Append(d...)
	if len(b) == 0 {
		return false
	}
	return json.Unmarshal(b, p) == nil && p.Handle != ""
}
