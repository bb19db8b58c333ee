package provider

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// tokenEphemeralResource serves a tokenKind as an ephemeral resource.
type tokenEphemeralResource[M any] struct {
	kind *tokenKind[M]
	data *providerData
}

var (
	_ ephemeral.EphemeralResourceWithConfigure = (*tokenEphemeralResource[smartlingTokenModel])(nil)
	_ ephemeral.EphemeralResourceWithRenew     = (*tokenEphemeralResource[smartlingTokenModel])(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*tokenEphemeralResource[smartlingTokenModel])(nil)
)

func newTokenEphemeralResource[M any](k *tokenKind[M]) ephemeral.EphemeralResource {
	return &tokenEphemeralResource[M]{kind: k}
}

func (r *tokenEphemeralResource[M]) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName
}

func (r *tokenEphemeralResource[M]) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = r.kind.ephemeralSchema()
}

func (r *tokenEphemeralResource[M]) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configured(req.ProviderData, &resp.Diagnostics)
}

// privateKey names the private data that ties Renew and Close to the open
// token. It holds a handle into the provider's memory, never a credential.
const privateKey = "token"

type openPrivate struct {
	Handle string `json:"handle"`
	Warned bool   `json:"warned"`
}

func (r *tokenEphemeralResource[M]) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m M
	got, diags := r.kind.obtainIn(ctx, r.data, req.Config, &m, auth.ScopeEphemeral)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if got.pendingName != "" {
		// A provider value is not known yet (plan): the results are unknown
		// too, and Terraform opens the resource again once it is known.
		resp.Diagnostics.Append(unknownResults(ctx, req.Config, &resp.Result)...)
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
	t := got.result.Token
	if t.ExpiresAt().IsZero() {
		return // a token without a lifetime needs no renewal
	}
	handle := r.data.open.add(&openToken{adapter: got.adapter, minValidity: got.minValidity, expiresAt: t.ExpiresAt()})
	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, openPrivate{Handle: handle})...)
	resp.RenewAt = renewAt(t, got.minValidity)
}

// unknownResults sets the result to the configuration with every computed
// attribute the configuration leaves null unknown.
func unknownResults(ctx context.Context, cfg tfsdk.Config, result *tfsdk.EphemeralResultData) diag.Diagnostics {
	var diags diag.Diagnostics
	var attrs map[string]tftypes.Value
	if err := cfg.Raw.As(&attrs); err != nil {
		diags.AddError("Unexpected Configuration", err.Error())
		return diags
	}
	for name, a := range result.Schema.GetAttributes() {
		if v, ok := attrs[name]; ok && a.IsComputed() && v.IsNull() {
			attrs[name] = tftypes.NewValue(v.Type(), tftypes.UnknownValue)
		}
	}
	result.Raw = tftypes.NewValue(result.Schema.Type().TerraformType(ctx), attrs)
	return diags
}

// renewAt is when Terraform should call Renew: min_validity before expiry, but
// not before half the token's life has passed.
func renewAt(t auth.Token, minValidity time.Duration) time.Time {
	at := t.ExpiresAt().Add(-minValidity)
	if half := t.IssuedAt.Add(t.ExpiresIn / 2); at.Before(half) {
		at = half
	}
	return at
}

// Renew cannot change the value Terraform already holds. It refreshes the
// cached session so that later opens get a live token, and warns once that
// the token handed out is about to expire.
func (r *tokenEphemeralResource[M]) Renew(ctx context.Context, req ephemeral.RenewRequest, resp *ephemeral.RenewResponse) {
	var p openPrivate
	if ok := getPrivate(ctx, req.Private, &p, &resp.Diagnostics); !ok || r.data == nil {
		return
	}
	o := r.data.open.get(p.Handle)
	if o == nil {
		return
	}
	// Ask for a token that outlives the one handed out by min_validity: the
	// cache refreshes (or authenticates) unless it already holds such a token.
	need := time.Until(o.expiresAt) + o.minValidity
	got, err := r.data.cache.Token(ctx, o.adapter, auth.ScopeEphemeral, max(need, o.minValidity))
	if err != nil {
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s Token Renewal Failed", r.kind.platform),
			fmt.Sprintf("ephemeral.%s could not refresh its cached session: %s. The token handed out expires at %s.",
				r.kind.fullName(), err, o.expiresAt.UTC().Format(time.RFC3339)))
		return
	}
	if !p.Warned {
		p.Warned = true
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s Token About To Expire", r.kind.platform),
			fmt.Sprintf("The token that ephemeral.%s handed out expires at %s. Terraform cannot take a new value from an "+
				"open ephemeral resource, so anything that still holds that token fails after that time. The provider "+
				"refreshed its cached session: whatever opens this ephemeral resource again gets a token valid until %s. "+
				"See the guide \"Long applies and token lifetimes\": "+
				"https://registry.terraform.io/providers/translationauth/translationauth/latest/docs/guides/token-lifetimes",
				r.kind.fullName(), o.expiresAt.UTC().Format(time.RFC3339),
				got.Token.ExpiresAt().UTC().Format(time.RFC3339)))
	}
	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, p)...)
	if exp := got.Token.ExpiresAt(); !exp.IsZero() {
		resp.RenewAt = renewAt(got.Token, o.minValidity)
	}
}

// Close forgets the handle. Tokens are not revoked: none of the platforms
// offers revocation, and the cached session stays useful to later opens.
func (r *tokenEphemeralResource[M]) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	var p openPrivate
	if ok := getPrivate(ctx, req.Private, &p, &resp.Diagnostics); ok && r.data != nil {
		r.data.open.remove(p.Handle)
	}
}

// openToken is what Renew needs of an open ephemeral resource.
type openToken struct {
	adapter     auth.Adapter
	minValidity time.Duration
	expiresAt   time.Time
}

// openTokens tracks the open ephemeral resources of one provider instance.
type openTokens struct {
	mu sync.Mutex
	m  map[string]*openToken
}

func (o *openTokens) add(t *openToken) string {
	handle := rand.Text()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]*openToken{}
	}
	o.m[handle] = t
	return handle
}

func (o *openTokens) get(handle string) *openToken {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[handle]
}

func (o *openTokens) remove(handle string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.m, handle)
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
