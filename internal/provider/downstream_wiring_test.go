package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// These tests wire tokens into other Terraform objects through the real CLI,
// the way users do, and let the mock's protected whoami endpoint confirm that
// what arrived downstream is a live token of the right platform and identity.

// httpProvider is hashicorp/http, installed from a local filesystem mirror
// (scripts/ensure-http-provider.sh builds it; the machines are offline).
var httpProvider = map[string]resource.ExternalProvider{"http": {Source: "hashicorp/http"}}

// httpWhoami declares c's type as "t" and a hashicorp/http data source that
// calls the mock's whoami with its authorization_header.
func httpWhoami(c cell, mock *mockapi.Server) string {
	return c.declare("t", "") + fmt.Sprintf(`
data "http" "whoami" {
  url = %q
  request_headers = {
    Authorization = %s.authorization_header
  }
}`, mock.BaseURL(c.mock)+"/whoami", c.ref("t"))
}

// TestAccWiring_dataSourceTokenInHTTPRequestHeaders hands a data source's
// authorization_header to hashicorp/http's request_headers, which cannot take
// ephemeral values: the http data source calls the mock's whoami with it and
// gets the platform's identity back.
func TestAccWiring_dataSourceTokenInHTTPRequestHeaders(t *testing.T) {
	useHTTPProvider(t)
	eachCell(t, grid(platformFixtures, asDataSource), func(t *testing.T, c cell) {
		mock := startMock(t, nil)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			ExternalProviders:        httpProvider,
			Steps: []resource.TestStep{{
				Config: providerConfig(mock) + httpWhoami(c, mock),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.http.whoami", tfjsonpath.New("status_code"), knownvalue.Int64Exact(http.StatusOK)),
					statecheck.ExpectKnownValue("data.http.whoami", tfjsonpath.New("response_body"), whoamiBody(c.platformFixture)),
				},
			}},
		})
		if n := mock.Count(c.mock, mockapi.OpWhoami); n < 1 {
			t.Errorf("whoami calls on the %s mock = %d, want at least 1", c.mock, n)
		}
	})
}

// TestAccWiring_ephemeralTokenInProvisioner hands an ephemeral resource's
// authorization_header to a local-exec provisioner through its environment.
// The command sends it with curl, reading the header from stdin so that the
// token is never on a command line (printf is a shell builtin), and saves the
// response; the test checks that the mock answered 200 with the identity.
// Without curl, the provisioner saves the header and the test calls whoami.
func TestAccWiring_ephemeralTokenInProvisioner(t *testing.T) {
	t.Parallel()
	w := fixture(easyTranslate)
	mock := startMock(t, nil)
	dir := t.TempDir()
	headers, body, saved := filepath.Join(dir, "headers"), filepath.Join(dir, "body"), filepath.Join(dir, "authorization")
	url := mock.BaseURL(w.mock) + "/whoami"

	command := `curl -fsS -H @- -D "$HEADERS" -o "$BODY" "$URL" <<EOF
Authorization: $AUTHORIZATION
EOF`
	check := func(*terraform.State) error { return checkCurlResult(w, headers, body) }
	if _, err := exec.LookPath("curl"); err != nil {
		t.Logf("curl is not installed (%v): the provisioner saves the header and the test calls whoami itself", err)
		command = `printf '%s' "$AUTHORIZATION" > "$SAVED"`
		check = func(*terraform.State) error {
			header, err := os.ReadFile(saved)
			if err != nil {
				return err
			}
			return callWhoami(mock, w, string(header))
		}
	}

	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + fmt.Sprintf(`
ephemeral %[1]q "t" {}

resource "terraform_data" "call" {
  provisioner "local-exec" {
    command = <<-COMMAND
      %[2]s
    COMMAND
    environment = {
      AUTHORIZATION = ephemeral.%[1]s.t.authorization_header
      URL           = %[3]q
      HEADERS       = %[4]q
      BODY          = %[5]q
      SAVED         = %[6]q
    }
  }
}`, w.typeName(tokenFace), strings.ReplaceAll(command, "\n", "\n      "), url, headers, body, saved),
			Check: check,
		}},
	})
	if n := mock.Count(w.mock, mockapi.OpWhoami); n < 1 {
		t.Errorf("whoami calls on the %s mock = %d, want at least 1", w.mock, n)
	}
}

// checkCurlResult checks what curl saved: a 2xx status line and a whoami
// answer naming the platform and identity.
func checkCurlResult(w *platformFixture, headersFile, bodyFile string) error {
	headers, err := os.ReadFile(headersFile)
	if err != nil {
		return fmt.Errorf("the provisioner saved no response headers: %w", err)
	}
	status, _, _ := strings.Cut(string(headers), "\n")
	if fields := strings.Fields(status); len(fields) < 2 || !strings.HasPrefix(fields[0], "HTTP/") || fields[1] != "200" {
		return fmt.Errorf("the whoami call through curl answered %q, want HTTP 200", strings.TrimSpace(status))
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return fmt.Errorf("the provisioner saved no response body: %w", err)
	}
	return whoamiBody(w).CheckValue(string(body))
}

// TestAccWiring_ephemeralTokenInProviderBlock hands an ephemeral resource's
// authorization_header to a provider block (the echo provider's, which
// surfaces it), directly or through an ephemeral local; the test then calls
// whoami with the header the provider received.
func TestAccWiring_ephemeralTokenInProviderBlock(t *testing.T) {
	t.Parallel()
	type wiring struct {
		name  string
		c     cell
		local bool
	}
	var cases []wiring
	for _, c := range grid(platformFixtures, asEphemeral) {
		cases = append(cases, wiring{c.subtest(), c, false})
	}
	cases = append(cases, wiring{"Smartling/ephemeral/through_ephemeral_local", cell{fixture(smartling), asEphemeral}, true})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := tc.c
			mock := startMock(t, nil)
			value := c.ref("t") + ".authorization_header"
			config := c.declare("t", "")
			if tc.local {
				config += fmt.Sprintf("\nlocals {\n  authorization = %s\n}\n", value)
				value = "local.authorization"
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   c.versionChecks(),
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: providerConfig(mock) + config + echoConfig("{ Authorization = "+value+" }"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("Authorization"),
							knownvalue.StringFunc(func(header string) error { return callWhoami(mock, c.platformFixture, header) })),
					},
				}},
			})
			if n := mock.Count(c.mock, mockapi.OpWhoami); n < 1 {
				t.Errorf("whoami calls on the %s mock = %d, want at least 1", c.mock, n)
			}
		})
	}
}

// TestAccWiring_ephemeralTokenRefusedInDataSourceArgument documents why the
// data sources exist: Terraform refuses an ephemeral value in a data source
// argument such as hashicorp/http's request_headers, which is persisted to
// state. The http data source never runs.
func TestAccWiring_ephemeralTokenRefusedInDataSourceArgument(t *testing.T) {
	useHTTPProvider(t)
	c := cell{fixture(smartling), asEphemeral}
	mock := startMock(t, nil)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   c.versionChecks(),
		ProtoV6ProviderFactories: factories(nil),
		ExternalProviders:        httpProvider,
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + httpWhoami(c, mock),
			// Terraform's wording since 1.11, Terraform 1.10's, or OpenTofu's.
			ExpectError: regexp.MustCompile(wordsRegexp(`Invalid use of ephemeral value`, `.*`, `"request_headers"`, `.*`,
				`not a write-only attribute and must be persisted to state`).String() + `|` +
				wordsRegexp(`Invalid use of ephemeral value`, `.*`, `Ephemeral values are not valid in resource arguments`).String() + `|` +
				wordsRegexp(`Ephemeral value used in non-ephemeral context`).String()),
		}},
	})
	if n := mock.Count(c.mock, mockapi.OpWhoami); n != 0 {
		t.Errorf("whoami calls = %d, want 0: the http data source ran with an ephemeral value", n)
	}
}

// wordsRegexp matches the parts in order, whatever whitespace (such as line
// wrapping) separates their words.
func wordsRegexp(parts ...string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)`)
	for _, p := range parts {
		if p == `.*` {
			b.WriteString(p)
			continue
		}
		for i, word := range strings.Fields(p) {
			if i > 0 {
				b.WriteString(`\s+`)
			}
			b.WriteString(regexp.QuoteMeta(word))
		}
	}
	return regexp.MustCompile(b.String())
}

// whoamiReply is the mock's answer to a live token (Smartling's inside its
// {"response":{"data":…}} envelope).
type whoamiReply struct {
	Platform string `json:"platform"`
	Identity string `json:"identity"`
	Response *struct {
		Data *whoamiReply `json:"data"`
	} `json:"response"`
}

// whoamiBody checks that a string is the mock's whoami answer for w's demo account.
func whoamiBody(w *platformFixture) knownvalue.Check {
	return knownvalue.StringFunc(func(body string) error {
		var got whoamiReply
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return fmt.Errorf("the whoami answer is not JSON: %w", err)
		}
		if got.Response != nil && got.Response.Data != nil {
			got = *got.Response.Data
		}
		if got.Platform != string(w.mock) || got.Identity != w.identity {
			return fmt.Errorf("whoami answered platform %q identity %q, want %q %q",
				got.Platform, got.Identity, w.mock, w.identity)
		}
		return nil
	})
}

// callWhoami calls the mock's whoami with an Authorization header value and
// checks that it answers 200 for w's identity. Errors never contain the header.
func callWhoami(mock *mockapi.Server, w *platformFixture, header string) error {
	if !strings.HasPrefix(header, "Bearer ") {
		return errors.New(`the value handed downstream does not start with "Bearer "`)
	}
	req, err := http.NewRequest(http.MethodGet, mock.BaseURL(w.mock)+"/whoami", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the %s mock rejected the token handed downstream: HTTP %d", w.mock, resp.StatusCode)
	}
	return whoamiBody(w).CheckValue(string(body))
}

// useHTTPProvider makes hashicorp/http installable for t, which must be a
// top-level test. When TF_CLI_CONFIG_FILE already names a CLI configuration
// that installs it, t runs in parallel. Otherwise t sets TF_CLI_CONFIG_FILE to
// the repository's .tools/terraformrc (written by
// scripts/ensure-http-provider.sh), so it cannot run in parallel (its
// subtests still can), or t is skipped when there is none.
func useHTTPProvider(t *testing.T) {
	t.Helper()
	env := os.Getenv("TF_CLI_CONFIG_FILE")
	envErr := mirrorsHTTPProvider(env)
	if envErr == nil {
		t.Parallel()
		return
	}
	root, err := repoRoot()
	if err == nil {
		tools := filepath.Join(root, ".tools", "terraformrc")
		if err = mirrorsHTTPProvider(tools); err == nil {
			t.Setenv("TF_CLI_CONFIG_FILE", tools)
			return
		}
	}
	// A mirror this check cannot follow (a relative path, say): trust it.
	if b, readErr := os.ReadFile(env); readErr == nil && strings.Contains(string(b), "filesystem_mirror") {
		t.Parallel()
		return
	}
	t.Skipf("hashicorp/http cannot be installed offline (TF_CLI_CONFIG_FILE: %v; repository: %v). "+
		"Run `make testacc`, or run scripts/ensure-http-provider.sh and set TF_CLI_CONFIG_FILE to the path it prints.",
		envErr, err)
}

// mirrorPath finds the path of a filesystem_mirror in a CLI configuration,
// native or JSON syntax.
var mirrorPath = regexp.MustCompile(`(?m)^\s*"?path"?\s*[=:]\s*"([^"]+)"`)

// mirrorsHTTPProvider checks that the CLI configuration file has a
// filesystem_mirror holding a hashicorp/http build for this machine, in the
// unpacked or the packed layout.
func mirrorsHTTPProvider(file string) error {
	if file == "" {
		return errors.New("not set")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if !strings.Contains(string(b), "filesystem_mirror") {
		return fmt.Errorf("%s has no filesystem_mirror", file)
	}
	target := runtime.GOOS + "_" + runtime.GOARCH
	for _, m := range mirrorPath.FindAllStringSubmatch(string(b), -1) {
		for _, pattern := range []string{
			filepath.Join(m[1], "*", "hashicorp", "http", "*", target, "terraform-provider-http*"),
			filepath.Join(m[1], "*", "hashicorp", "http", "terraform-provider-http_*_"+target+".zip"),
		} {
			if found, _ := filepath.Glob(pattern); len(found) > 0 {
				return nil
			}
		}
	}
	return fmt.Errorf("no filesystem_mirror in %s holds hashicorp/http for %s", file, target)
}

// repoRoot is the directory holding go.mod, above the test's directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory")
		}
		dir = parent
	}
}
