package auth

import (
	"strings"
	"testing"
)

func TestValidateBaseURL(t *testing.T) {
	t.Parallel()
	ok := []string{
		"https://api.smartling.com",
		"https://api.smartling.com/",
		"https://proxy.example.com/prefix/",
		"HTTPS://API.EXAMPLE.COM",
		"https://[2001:db8::1]:8443/x",
		"http://127.0.0.1:8080",
		"http://127.1.2.3/prefix",
		"http://localhost",
		"http://LOCALHOST:9000/api",
		"http://[::1]:8080",
		"HTTP://127.0.0.1",
	}
	for _, u := range ok {
		if err := ValidateBaseURL(u); err != nil {
			t.Errorf("ValidateBaseURL(%q) = %v, want ok", u, err)
		}
	}
	bad := []struct {
		url, reason string
	}{
		{"http://api.smartling.com", "plain http"},
		{"http://10.0.0.1", "plain http"},
		{"http://128.0.0.1", "plain http"},
		{"http://localhost.example.com", "plain http"},
		{"http://[::2]", "plain http"},
		{"http://127.0.0.1.nip.io", "plain http"},
		{"http://0.0.0.0", "plain http"},
		{"https://user:pass@api.example.com", "user information"},
		{"https://token@api.example.com", "user information"},
		{"https://api.example.com/?x=1", "query or fragment"},
		{"https://api.example.com/?", "query or fragment"},
		{"https://api.example.com/#frag", "query or fragment"},
		{"api.example.com", "not an absolute URL"},
		{"/auth-api", "not an absolute URL"},
		{"//api.example.com", "not an absolute URL"},
		{"", "not an absolute URL"},
		{"https:api.example.com", "not an absolute URL"},
		{"https://", "not an absolute URL"},
		{"ftp://api.example.com", `scheme "ftp"`},
		{"file:///etc/passwd", "not an absolute URL"},
		{"ws://127.0.0.1", `scheme "ws"`},
		{"https://api.example.com/%zz", "not a valid URL"},
		{"https://api example.com", "not a valid URL"},
		{"https://api.example.com\n", "not a valid URL"},
	}
	for _, c := range bad {
		err := ValidateBaseURL(c.url)
		if err == nil {
			t.Errorf("ValidateBaseURL(%q) accepted it, want an error about %s", c.url, c.reason)
			continue
		}
		if !strings.Contains(err.Error(), c.reason) {
			t.Errorf("ValidateBaseURL(%q) = %q, want it to mention %q", c.url, err, c.reason)
		}
	}
	// The error never repeats the password of a URL with user information.
	if err := ValidateBaseURL("https://user:hunter2-secret@api.example.com"); err == nil || strings.Contains(err.Error(), "hunter2-secret") {
		t.Errorf("the error repeats the password: %v", err)
	}
}

func TestIsLoopbackHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.255.255.254": true, "::1": true,
		"0:0:0:0:0:0:0:1": true, "::ffff:127.0.0.1": true,
		"": false, "localhost.": false, "127.0.0.1.example.com": false, "10.0.0.1": false, "::": false, "example.com": false,
	} {
		if got := isLoopbackHost(host); got != want {
			t.Errorf("isLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestTrimBaseURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://a.example":          "https://a.example",
		"https://a.example/":         "https://a.example",
		"https://a.example/prefix//": "https://a.example/prefix",
	} {
		if got := TrimBaseURL(in); got != want {
			t.Errorf("TrimBaseURL(%q) = %q, want %q", in, got, want)
		}
	}
}
