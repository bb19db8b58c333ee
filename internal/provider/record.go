package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// record is one read's attribute values: the configuration, decoded once,
// and the results written over it. The schemas are generated from each
// platform's declaration, so the record is addressed by the declared names
// rather than through a struct that would repeat them; its accessors are
// typed. A value the configuration sets is always kept as it is, so that a
// result can never disagree with its configuration.
type record struct {
	config map[string]tftypes.Value
	out    map[string]tftypes.Value
}

// readRecord decodes a configuration once.
func readRecord(cfg tfsdk.Config) (*record, diag.Diagnostics) {
	var diags diag.Diagnostics
	r := &record{out: map[string]tftypes.Value{}}
	if err := cfg.Raw.As(&r.config); err != nil {
		diags.AddError("Unexpected Configuration",
			fmt.Sprintf("The configuration could not be read: %s. This is a bug in the provider; please report it.", err))
		return nil, diags
	}
	return r, diags
}

// input returns a string argument: its value, whether the configuration sets
// it (not null), and whether it is known.
func (r *record) input(name string) (value string, set, known bool) {
	v, ok := r.config[name]
	if !ok || v.IsNull() {
		return "", false, true
	}
	if !v.IsKnown() {
		return "", true, false
	}
	_ = v.As(&value)
	return value, true, true
}

// whole returns a whole-number argument (validated already): its value,
// whether the configuration sets it, and whether it is known.
func (r *record) whole(name string) (n int64, set, known bool) {
	v, ok := r.config[name]
	if !ok || v.IsNull() {
		return 0, false, true
	}
	if !v.IsKnown() {
		return 0, true, false
	}
	f := new(big.Float)
	_ = v.As(&f)
	n, _ = f.Int64()
	return n, true, true
}

// setString sets a string result.
func (r *record) setString(name, v string) { r.out[name] = tftypes.NewValue(tftypes.String, v) }

// setOptional sets a string result, null when empty.
func (r *record) setOptional(name, v string) {
	if v == "" {
		r.out[name] = tftypes.NewValue(tftypes.String, nil)
		return
	}
	r.setString(name, v)
}

// setSeconds sets a number of whole seconds, null when d is not positive.
func (r *record) setSeconds(name string, d time.Duration) {
	if d <= 0 {
		r.out[name] = tftypes.NewValue(tftypes.Number, nil)
		return
	}
	r.out[name] = tftypes.NewValue(tftypes.Number, int64(d/time.Second))
}

// setTime sets an RFC 3339 UTC time, null when t is zero.
func (r *record) setTime(name string, t time.Time) {
	if t.IsZero() {
		r.out[name] = tftypes.NewValue(tftypes.String, nil)
		return
	}
	r.setString(name, t.UTC().Format(time.RFC3339))
}

// value builds the object of type t (a schema's type): the configuration's
// values where it sets them, else the results, else null; with pending set,
// the computed attributes the configuration leaves null are unknown instead.
func (r *record) value(ctx context.Context, schemaType interface {
	TerraformType(context.Context) tftypes.Type
}, computed map[string]bool, pending bool) tftypes.Value {
	t, _ := schemaType.TerraformType(ctx).(tftypes.Object)
	attrs := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, typ := range t.AttributeTypes {
		if v, ok := r.config[name]; ok && !v.IsNull() {
			attrs[name] = v
			continue
		}
		switch v, ok := r.out[name]; {
		case pending && computed[name]:
			attrs[name] = tftypes.NewValue(typ, tftypes.UnknownValue)
		case ok && !pending:
			attrs[name] = v
		default:
			attrs[name] = tftypes.NewValue(typ, nil)
		}
	}
	return tftypes.NewValue(t, attrs)
}

// durationValue parses the value of the duration attribute name, which its
// validator may not have seen (it was unknown then), and reports a malformed
// or out-of-range one at the attribute.
func durationValue(name, v string, least, most time.Duration, diags *diag.Diagnostics) (time.Duration, bool) {
	d, err := validators.ParseDuration(v, least, most)
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Invalid Duration", err.Error())
		return 0, false
	}
	return d, true
}
