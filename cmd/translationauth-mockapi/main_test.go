package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

func TestShellQuoteRoundTrips(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, v := range []string{"", "plain", "it's", `a"b$c` + "`d`\\e", "p&a=s s+w%rd", "x\ny"} {
		out, err := exec.Command(bash, "-c", `eval "export X=$1"; printf %s "$X"`, "_", shellQuote(v)).Output()
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if string(out) != v {
			t.Errorf("round trip of %q gave %q", v, out)
		}
	}
}

func TestEnvLines(t *testing.T) {
	srv := mocktest.New(t, mockapi.DefaultConfig())
	env := envLines(srv)
	for _, name := range []string{
		"SMARTLING_BASE_URL", "SMARTLING_USER_IDENTIFIER", "SMARTLING_USER_SECRET", "SMARTLING_ACCOUNT_ID",
		"SMARTLING_PROJECT_ID", "EASYTRANSLATE_BASE_URL", "EASYTRANSLATE_CLIENT_ID", "EASYTRANSLATE_CLIENT_SECRET",
		"EASYTRANSLATE_USERNAME", "EASYTRANSLATE_PASSWORD", "SMARTCONNECT_BASE_URL", "SMARTCONNECT_CLIENT_ID",
		"SMARTCONNECT_CLIENT_SECRET", "SMARTCONNECT_USERNAME", "SMARTCONNECT_PASSWORD", "MOCKAPI_URL",
	} {
		if !strings.Contains(env, "export "+name+"='") {
			t.Errorf("%s missing from:\n%s", name, env)
		}
	}
	if !strings.Contains(env, "export SMARTLING_BASE_URL='"+srv.URL+"/smartling'\n") {
		t.Errorf("base URL line wrong:\n%s", env)
	}

	path := filepath.Join(t.TempDir(), "mock.env")
	if err := writeFileAtomic(path, []byte(env)); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("env file mode %v, want 0600", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestAddSmartlingUsers(t *testing.T) {
	cfg := mockapi.DefaultConfig()
	addSmartlingUsers(&cfg, 3)
	srv := mocktest.New(t, cfg)
	status := func(user, secret string) int {
		t.Helper()
		body := fmt.Sprintf(`{"userIdentifier":%q,"userSecret":%q}`, user, secret)
		resp, err := http.Post(srv.BaseURL(auth.Smartling)+"/auth-api/v2/authenticate", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		user, secret string
		want         int
	}{
		{"bench-user-1", "bench-secret-1", http.StatusOK},
		{"bench-user-3", "bench-secret-3", http.StatusOK},
		{mockapi.DemoSmartlingUserIdentifier, mockapi.DemoSmartlingUserSecret, http.StatusOK},
		{"bench-user-1", "bench-secret-2", http.StatusUnauthorized},
		{"bench-user-4", "bench-secret-4", http.StatusUnauthorized},
	} {
		if got := status(c.user, c.secret); got != c.want {
			t.Errorf("%s/%s: status %d, want %d", c.user, c.secret, got, c.want)
		}
	}
	if n := srv.Count(auth.Smartling, mockapi.OpAuthenticate); n != 5 {
		t.Errorf("%d authenticate calls counted, want 5", n)
	}
}
