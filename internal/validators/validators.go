// Package validators holds the provider's own attribute validators.
package validators

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// BaseURL accepts an absolute https URL, or plain http on a loopback host.
func BaseURL() validator.String { return baseURL{} }

type baseURL struct{}

func (baseURL) Description(context.Context) string {
	return "value must be an absolute https:// URL (http:// only for loopback hosts)"
}

func (v baseURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURL) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := auth.ValidateBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Base URL",
			fmt.Sprintf("Attribute %s: %s.", req.Path, err))
	}
}

// Duration accepts a Go duration string ("90s", "5m", "1h30m") from least to most.
func Duration(least, most time.Duration) validator.String { return duration{min: least, max: most} }

type duration struct{ min, max time.Duration }

func (d duration) Description(context.Context) string {
	return fmt.Sprintf(`value must be a duration such as "30s", "5m" or "1h30m", from %s to %s`, d.min, d.max)
}

func (d duration) MarkdownDescription(ctx context.Context) string { return d.Description(ctx) }

func (d duration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := ParseDuration(req.ConfigValue.ValueString(), d.min, d.max); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("Attribute %s: %s.", req.Path, err))
	}
}

// ParseDuration parses a duration string and checks its bounds.
func ParseDuration(s string, least, most time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf(`%q is not a duration; use a number with a unit, such as "30s", "5m" or "1h30m"`, s)
	}
	if d < least {
		return 0, fmt.Errorf("%q is shorter than the minimum of %s", s, least)
	}
	if d > most {
		return 0, fmt.Errorf("%q is longer than the maximum of %s", s, most)
	}
	return d, nil
}

// WholeNumber accepts a whole number from least to most. It serves number
// attributes that would be integers, so that a fraction such as 1.5 gets an
// error naming the attribute rather than the framework's conversion error.
func WholeNumber(least, most int64) validator.Number { return wholeNumber{least, most} }

type wholeNumber struct{ min, max int64 }

func (w wholeNumber) Description(context.Context) string {
	return fmt.Sprintf("value must be a whole number from %d to %d", w.min, w.max)
}

func (w wholeNumber) MarkdownDescription(ctx context.Context) string { return w.Description(ctx) }

func (w wholeNumber) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	n, acc := f.Int64()
	if !f.IsInt() || acc != big.Exact || n < w.min || n > w.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Number",
			fmt.Sprintf("Attribute %s value must be a whole number between %d and %d, got: %s.", req.Path, w.min, w.max, f.Text('g', -1)))
	}
}
