package provider

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"sync"

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

// handles holds what the opens of one ephemeral type started, by the random
// handle that their private data carries, for their Renew and Close.
type handles[T any] struct {
	mu sync.Mutex
	m  map[string]T
}

// add keeps v under a new handle.
func (h *handles[T]) add(v T) string {
	handle := rand.Text()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]T{}
	}
	h.m[handle] = v
	return handle
}

// with calls f with the value of a handle, if there is one, under the lock.
func (h *handles[T]) with(handle string, f func(T)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if v, ok := h.m[handle]; ok {
		f(v)
	}
}

// get returns the value of a handle.
func (h *handles[T]) get(handle string) (v T, ok bool) {
	h.with(handle, func(got T) { v, ok = got, true })
	return v, ok
}

// remove forgets a handle and returns what it held.
func (h *handles[T]) remove(handle string) (v T, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok = h.m[handle]
	delete(h.m, handle)
	return v, ok
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
