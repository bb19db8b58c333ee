package validators

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func run(v validator.String, value types.String) []string {
	req := validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}
	var resp validator.StringResponse
	v.ValidateString(context.Background(), req, &resp)
	var out []string
	for _, d := range resp.Diagnostics {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	return out
}

// TestStringValidators runs each string validator on values it must accept
// (wantErr "") and refuse; a refusal is one error that names the attribute
// and says why, and never repeats a password in a URL. Null and unknown
// values are never refused.
func TestStringValidators(t *testing.T) {
	t.Parallel()
	baseURL := BaseURL()
	duration := Duration(time.Millisecond, 2*time.Hour)
	cases := []struct {
		validator string // names the subtest
		v         validator.String
		value     string
		wantErr   string
	}{
		{"BaseURL", baseURL, "https://api.smartling.com", ""},
		{"BaseURL", baseURL, "https://proxy.example.com/prefix", ""},
		{"BaseURL", baseURL, "http://127.0.0.1:8080/smartling", ""},
		{"BaseURL", baseURL, "http://[::1]:8080", ""},
		{"BaseURL", baseURL, "http://localhost:8080", ""},
		{"BaseURL", baseURL, "http://api.smartling.com", "not loopback"},
		{"BaseURL", baseURL, "ftp://api.smartling.com", `scheme "ftp"`},
		{"BaseURL", baseURL, "api.smartling.com", "not an absolute URL"},
		{"BaseURL", baseURL, "https://user:pw@api.smartling.com", "user information"},
		{"BaseURL", baseURL, "https://api.smartling.com/?a=b", "query or fragment"},
		{"Duration", duration, "60s", ""},
		{"Duration", duration, "1h30m", ""},
		{"Duration", duration, "0s", "shorter than the minimum"},
		{"Duration", duration, "60", "not a duration"},
		{"Duration", duration, "-5s", "shorter than the minimum"},
		{"Duration", duration, "ten", "not a duration"},
		{"Duration", duration, "2h", ""},
		{"Duration", duration, "2h0m1s", "longer than the maximum"},
	}
	for _, c := range cases {
		t.Run(c.validator+" "+c.value, func(t *testing.T) {
			t.Parallel()
			got := run(c.v, types.StringValue(c.value))
			switch {
			case c.wantErr == "" && len(got) != 0:
				t.Errorf("%q: unexpected error %v", c.value, got)
			case c.wantErr != "" && (len(got) != 1 || !strings.Contains(got[0], c.wantErr) || !strings.Contains(got[0], "attr")):
				t.Errorf("%q: got %v, want one error naming attr and saying %q", c.value, got, c.wantErr)
			}
			if strings.Contains(strings.Join(got, ""), "pw@") {
				t.Errorf("%q: the error repeats the password in the URL", c.value)
			}
		})
	}
	for name, v := range map[string]validator.String{"BaseURL": baseURL, "Duration": duration, "Duration from 0": Duration(0, time.Hour)} {
		for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
			if got := run(v, value); len(got) != 0 {
				t.Errorf("%s %v: want no error for null or unknown, got %v", name, value, got)
			}
		}
	}
}
