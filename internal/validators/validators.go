// Package validators holds the provider's own attribute validators.
package validators

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// String is a string validator made of what it accepts (description), the
// summary of its diagnostic, a check that says what is wrong with a value,
// and the detail the diagnostic gives for that error at the attribute's path.
// Null and unknown values are left to Terraform.
func String(description, summary string, check func(string) error, detail func(p path.Path, err error) string) validator.String {
	return stringCheck{description: description, summary: summary, check: check, detail: detail}
}

// Detail is the diagnostic detail most validators give: the attribute and
// what is wrong with its value.
func Detail(p path.Path, err error) string { return fmt.Sprintf("Attribute %s: %s.", p, err) }

type stringCheck struct {
	description, summary string
	check                func(string) error
	detail               func(path.Path, error) string
}

func (c stringCheck) Description(context.Context) string { return c.description }

func (c stringCheck) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := c.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, c.detail(req.Path, err))
	}
}

// BaseURL accepts an absolute https URL, or plain http on a loopback host.
func BaseURL() validator.String {
	return String("value must be an absolute https:// URL (http:// only for loopback hosts)", "Invalid Base URL",
		auth.ValidateBaseURL, Detail)
}

// Duration accepts a Go duration string ("90s", "5m", "1h30m") from least to most.
func Duration(least, most time.Duration) validator.String {
	return String(fmt.Sprintf(`value must be a duration such as "30s", "5m" or "1h30m", from %s to %s`, least, most),
		"Invalid Duration", func(v string) error { _, err := ParseDuration(v, least, most); return err }, Detail)
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
