// Package validators holds the provider's own attribute validators.
package validators

import (
	"context"
	"fmt"
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

// Duration accepts a Go duration string ("90s", "5m", "1h30m") of at least min.
func Duration(least time.Duration) validator.String { return duration{min: least} }

type duration struct{ min time.Duration }

func (d duration) Description(context.Context) string {
	return fmt.Sprintf(`value must be a duration such as "30s", "5m" or "1h30m", of at least %s`, d.min)
}

func (d duration) MarkdownDescription(ctx context.Context) string { return d.Description(ctx) }

func (d duration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := ParseDuration(req.ConfigValue.ValueString(), d.min); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("Attribute %s: %s.", req.Path, err))
	}
}

// ParseDuration parses a duration string and checks its lower bound.
func ParseDuration(s string, least time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf(`%q is not a duration; use a number with a unit, such as "30s", "5m" or "1h30m"`, s)
	}
	if d < least {
		return 0, fmt.Errorf("%q is shorter than the minimum of %s", s, least)
	}
	return d, nil
}
