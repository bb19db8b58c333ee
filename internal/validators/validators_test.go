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

func TestBaseURL(t *testing.T) {
	t.Parallel()
	for value, wantErr := range map[string]string{
		"https://api.smartling.com":         "",
		"https://proxy.example.com/prefix":  "",
		"http://127.0.0.1:8080/smartling":   "",
		"http://[::1]:8080":                 "",
		"http://localhost:8080":             "",
		"http://api.smartling.com":          "not loopback",
		"ftp://api.smartling.com":           `scheme "ftp"`,
		"api.smartling.com":                 "not an absolute URL",
		"https://user:pw@api.smartling.com": "user information",
		"https://api.smartling.com/?a=b":    "query or fragment",
	} {
		got := run(BaseURL(), types.StringValue(value))
		switch {
		case wantErr == "" && len(got) != 0:
			t.Errorf("%q: unexpected error %v", value, got)
		case wantErr != "" && (len(got) != 1 || !strings.Contains(got[0], wantErr) || !strings.Contains(got[0], "attr")):
			t.Errorf("%q: got %v, want one error naming attr and saying %q", value, got, wantErr)
		}
		if strings.Contains(strings.Join(got, ""), "pw@") {
			t.Errorf("%q: the error repeats the password in the URL", value)
		}
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		if got := run(BaseURL(), v); len(got) != 0 {
			t.Errorf("%v: want no error for null or unknown, got %v", v, got)
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for value, wantErr := range map[string]string{
		"60s":    "",
		"1h30m":  "",
		"0s":     "shorter than the minimum",
		"60":     "not a duration",
		"-5s":    "shorter than the minimum",
		"ten":    "not a duration",
		"2h":     "",
		"2h0m1s": "longer than the maximum",
	} {
		got := run(Duration(time.Millisecond, 2*time.Hour), types.StringValue(value))
		switch {
		case wantErr == "" && len(got) != 0:
			t.Errorf("%q: unexpected error %v", value, got)
		case wantErr != "" && (len(got) != 1 || !strings.Contains(got[0], wantErr)):
			t.Errorf("%q: got %v, want an error saying %q", value, got, wantErr)
		}
	}
	if got := run(Duration(0, time.Hour), types.StringUnknown()); len(got) != 0 {
		t.Errorf("unknown: want no error, got %v", got)
	}
}
