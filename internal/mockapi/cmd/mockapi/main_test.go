package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
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
	srv := mockapi.NewTest(t, mockapi.DefaultConfig())
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
