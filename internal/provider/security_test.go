package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// tokenTap is a reverse proxy in front of the mock that records every token
// value the mock's answers carried, so that a test knows every token issued,
// whether or not it reached the state or a file.
type tokenTap struct {
	*httptest.Server
	mu     sync.Mutex
	tokens map[string]bool
}

func newTokenTap(t *testing.T, mock *mockapi.Server) *tokenTap {
	t.Helper()
	target, err := url.Parse(mock.URL)
	if err != nil {
		t.Fatal(err)
	}
	tap := &tokenTap{tokens: map[string]bool{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		tap.record(body)
		return nil
	}
	tap.Server = httptest.NewServer(proxy)
	t.Cleanup(tap.Close)
	return tap
}

// record keeps the values of every token field of a JSON answer.
func (tap *tokenTap) record(body []byte) {
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				switch k {
				case "accessToken", "refreshToken", "access_token", "refresh_token":
					if s, ok := e.(string); ok && s != "" {
						tap.mu.Lock()
						tap.tokens[s] = true
						tap.mu.Unlock()
					}
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		walk(doc)
	}
}

func (tap *tokenTap) Tokens() []string {
	tap.mu.Lock()
	defer tap.mu.Unlock()
	out := make([]string, 0, len(tap.tokens))
	for s := range tap.tokens {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// BaseURL is the API root of p through the tap.
func (tap *tokenTap) BaseURL(p auth.Platform) string {
	return tap.URL + "/" + strings.ToLower(string(p))
}

// securityFromEnv is the platform whose credentials come from the
// environment (securityEnv); the others take their secrets from sensitive
// variables (securityVariables). The test framework logs each step's
// configuration at TRACE, so no secret may be written into it literally.
var securityFromEnv = fixture(smartConnect)

// securityWrongSecret is a wrong secret given as a token block's argument.
const securityWrongSecret = "wrong-secret-for-the-log-test"

// securityVariable is the variable holding a secret input, if it has one.
func securityVariable(fx *platformFixture, in input) (string, bool) {
	_, secret := fx.secrets()[in.name]
	return fx.block + "_" + in.name, secret && fx != securityFromEnv
}

// securityProviderConfig points every platform at the tap.
func securityProviderConfig(tap *tokenTap) string {
	var vars, attrs strings.Builder
	for _, fx := range platformFixtures {
		hcl := fx.demo(tap.BaseURL(fx.mock))
		for _, in := range fx.inputs {
			if name, ok := securityVariable(fx, in); ok {
				fmt.Fprintf(&vars, "variable %q {\n  type      = string\n  sensitive = true\n}\n", name)
				hcl[in.name] = "var." + name
			} else if fx == securityFromEnv && in.name != "base_url" {
				delete(hcl, in.name)
			}
		}
		attrs.WriteString(fx.attribute(hcl))
	}
	return vars.String() + "variable \"wrong_secret\" {\n  type      = string\n  sensitive = true\n}\n" +
		"provider \"translationauth\" {\n" + attrs.String() + "}\n"
}

// securityVariables are the values of securityProviderConfig's variables.
func securityVariables() config.Variables {
	vars := config.Variables{"wrong_secret": config.StringVariable(securityWrongSecret)}
	for _, fx := range platformFixtures {
		for _, in := range fx.inputs {
			if name, ok := securityVariable(fx, in); ok {
				vars[name] = config.StringVariable(fx.creds[in.name])
			}
		}
	}
	return vars
}

// securityEnv sets securityFromEnv's credentials in the environment.
func securityEnv(t *testing.T) {
	for name, v := range securityFromEnv.creds {
		t.Setenv(securityFromEnv.env(name), v)
	}
}

// ephemeralToFiles opens every platform's ephemeral token and hands its
// access and refresh tokens to a provisioner that writes them to files in dir.
// It returns the configuration and the files.
func ephemeralToFiles(dir string) (string, []string) {
	var b strings.Builder
	var files []string
	for _, fx := range platformFixtures {
		access, refresh := filepath.Join(dir, fx.block+"-access"), filepath.Join(dir, fx.block+"-refresh")
		files = append(files, access, refresh)
		fmt.Fprintf(&b, `
ephemeral %[1]q "eph" {}

resource "terraform_data" %[2]q {
  provisioner "local-exec" {
    command     = "printf %%s \"$T\" > \"$T_FILE\" && printf %%s \"$R\" > \"$R_FILE\""
    environment = {
      T      = ephemeral.%[1]s.eph.access_token
      R      = ephemeral.%[1]s.eph.refresh_token
      T_FILE = %[3]q
      R_FILE = %[4]q
    }
  }
}
`, fx.typeName(tokenFace), fx.block, access, refresh)
	}
	return b.String(), files
}

// stateTokens is a state check that collects the token values of the data
// sources in the state into *into.
type stateTokens struct {
	mu   *sync.Mutex
	into *[]string
}

func (c stateTokens) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	found := 0
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Mode != "data" || !strings.HasSuffix(r.Type, "_token") {
			continue
		}
		for _, attr := range []string{"access_token", "refresh_token"} {
			if s, ok := r.AttributeValues[attr].(string); ok && s != "" {
				*c.into = append(*c.into, s)
				found++
			}
		}
	}
	if found == 0 {
		resp.Error = fmt.Errorf("no token in the state's data sources")
	}
}

// TestAccSecurity_noSecretOrTokenInLogs runs data sources and ephemeral
// resources of every platform, a refresh of each and failing requests with
// all logging at TRACE into one file, then searches the file for every
// configured secret and every token the mock issued.
//
// Which variables put which logs into the file (checked with terraform-plugin-
// testing v1.16 and terraform-plugin-log v0.11):
//   - The provider under test runs inside the test binary, so Terraform never
//     sees its logs. terraform-plugin-log's test sink writes them, with the
//     framework's and the test harness's, to TF_LOG_PATH at the TF_LOG level;
//     TF_ACC_LOG_PATH overrides the file and forces TRACE; TF_LOG_PATH_MASK
//     writes one file per test. TF_LOG_PROVIDER has no effect on it (it sets
//     the CLI's level for providers it launches itself).
//   - The Terraform CLI gets TF_LOG_PATH cleared by terraform-exec, so with
//     TF_LOG_PATH alone its logs are lost; TF_ACC_LOG_PATH (or the mask) sends
//     them to the file. Its levels come from TF_ACC_LOG (the CLI's TF_LOG),
//     TF_LOG_CORE and TF_LOG_PROVIDER; TRACE is the default only when none of
//     them is set, so TF_LOG_PROVIDER=TRACE alone leaves the CLI's core silent.
//
// So the test sets TF_LOG=TRACE, TF_LOG_PROVIDER=TRACE and TF_LOG_PATH, and
// TF_ACC_LOG_PATH to the same file with TF_ACC_LOG=TRACE for the CLI, and
// proves that the provider's own "token request attempt" DEBUG lines, the
// framework's TRACE lines and the CLI's lines are all there before it
// searches the file.
//
// The harness logs each step's configuration: secrets come from variables and
// the environment, never from literal configuration.
func TestAccSecurity_noSecretOrTokenInLogs(t *testing.T) {
	clearEnv(t)
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_CORE", "") // cannot be set with TF_ACC_LOG
	t.Setenv("TF_LOG_PATH_MASK", "")
	securityEnv(t)

	mock := startMock(t, nil)
	tap := newTokenTap(t, mock)
	dir := t.TempDir()
	ephemeralCfg, files := ephemeralToFiles(dir)
	// Every platform's data source; then min_validity equal to each
	// platform's token lifetime, so that every read refreshes.
	var dataCfg, refreshCfg strings.Builder
	for _, fx := range platformFixtures {
		fmt.Fprintf(&dataCfg, "data %q \"data\" {}\n", fx.typeName(tokenFace))
		fmt.Fprintf(&refreshCfg, "data %q \"refreshed\" {\n  min_validity = \"%ds\"\n}\n", fx.typeName(tokenFace), fx.ttl/time.Second)
	}
	// Wrong secrets as arguments of a data source and an ephemeral resource,
	// and a wrong user with the right secrets from the environment.
	failingCfg := `
data "translationauth_smartling_token" "wrong" {
  user_secret = var.wrong_secret
}
ephemeral "translationauth_easytranslate_token" "wrong" {
  password = var.wrong_secret
}
data "translationauth_smartconnect_token" "wrong" {
  username = "nobody@example.com"
}
`

	var mu sync.Mutex
	var stateValues []string
	collect := stateTokens{&mu, &stateValues}
	base := securityProviderConfig(tap) + dataCfg.String() + ephemeralCfg
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:            base,
				ConfigVariables:   securityVariables(),
				ConfigStateChecks: []statecheck.StateCheck{collect},
			},
			{
				Config:            base + refreshCfg.String(),
				ConfigVariables:   securityVariables(),
				ConfigStateChecks: []statecheck.StateCheck{collect},
			},
			{
				Config:          base + failingCfg,
				ConfigVariables: securityVariables(),
				ExpectError:     regexp.MustCompile(`(?s)Token Request Failed.*Token Request Failed.*Token Request Failed`),
			},
		},
	})

	logBytes, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logBytes)

	// The file holds what it must, or searching it proves nothing.
	attempts := strings.Count(log, "token request attempt")
	calls := 0
	for _, p := range mockapi.Platforms {
		calls += mock.Count(p, mockapi.OpAuthenticate) + mock.Count(p, mockapi.OpRefresh)
	}
	if calls == 0 || attempts < calls {
		t.Errorf("the log has %d \"token request attempt\" lines for %d token requests: provider DEBUG logs did not reach it", attempts, calls)
	}
	for _, p := range mockapi.Platforms {
		if n := mock.Count(p, mockapi.OpRefresh); n == 0 {
			t.Errorf("%s was never asked to refresh: the refresh path went untested", p)
		}
	}
	for _, marker := range []string{
		"[DEBUG] translationauth: token request attempt",                  // the provider, at DEBUG
		"[TRACE] sdk.framework: Calling provider defined DataSource Read", // the framework, at TRACE
		"Token Request Failed", // the failing step's diagnostics
	} {
		if !strings.Contains(log, marker) {
			t.Errorf("the log lacks %q", marker)
		}
	}
	if !strings.Contains(log, "[INFO]  Terraform version") && !strings.Contains(log, "[INFO]  OpenTofu version") {
		t.Errorf("the log lacks the CLI's own version line: the CLI's logs did not reach it")
	}

	// No secret and no token, whatever its source.
	fileTokens, err := acctest.FileContents(files...)()
	if err != nil {
		t.Fatal(err)
	}
	issued := tap.Tokens()
	known := map[string]bool{}
	for _, s := range issued {
		known[s] = true
	}
	for _, s := range append(fileTokens, stateValues...) {
		if !known[s] {
			t.Errorf("a token in a file or the state was not seen by the tap")
		}
	}
	if len(issued) < 12 {
		t.Errorf("the tap saw %d tokens, want at least 12 (an access and a refresh token per platform, twice)", len(issued))
	}
	secrets := map[string]string{"wrong secret": securityWrongSecret}
	for _, fx := range platformFixtures {
		for name, v := range fx.secrets() {
			secrets[fmt.Sprintf("%s %s", fx.name, name)] = v
		}
	}
	for i, tok := range issued {
		secrets[fmt.Sprintf("issued token #%d", i+1)] = tok
	}
	for name, s := range secrets {
		if i := strings.Index(log, s); i >= 0 {
			t.Errorf("the log contains the %s in: %s", name, lineAround(log, i))
		}
	}
	t.Logf("searched %d bytes of log (%d provider attempt lines) for %d secrets and tokens", len(log), attempts, len(secrets))
}

// lineAround returns the log line holding byte i, with the secret's place
// marked but not shown.
func lineAround(log string, i int) string {
	start := strings.LastIndexByte(log[:i], '\n') + 1
	end := strings.IndexByte(log[i:], '\n')
	if end < 0 {
		end = len(log) - i
	}
	line := log[start : i+end]
	if len(line) > 300 {
		line = line[:300] + "…"
	}
	return fmt.Sprintf("%q (offset %d)", line[:min(len(line), i-start)]+"<SECRET>", i)
}

// TestAccEphemeralTokens_notInPlanOrState hands every platform's ephemeral
// tokens to provisioners, which write them to files: the tokens are live, and
// neither the plan (before and after apply) nor the state contains any of them.
func TestAccEphemeralTokens_notInPlanOrState(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	dir := t.TempDir()
	cfg, files := ephemeralToFiles(dir)
	secrets := acctest.FileContents(files...)
	var preApply []byte
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					for _, fx := range platformFixtures {
						token, err := os.ReadFile(filepath.Join(dir, fx.block+"-access"))
						if err == nil {
							err = callWhoami(mock, fx, "Bearer "+strings.TrimSpace(string(token)))
						}
						if err != nil {
							return fmt.Errorf("%s: %w", fx.name, err)
						}
					}
					return nil
				},
				// The plan Terraform applied, captured before the tokens were known.
				func(*terraform.State) error {
					values, err := secrets()
					if err != nil {
						return err
					}
					for i, s := range values {
						if bytes.Contains(preApply, []byte(s)) {
							return fmt.Errorf("the applied plan contains token #%d", i+1)
						}
					}
					return nil
				},
			),
			ConfigStateChecks: []statecheck.StateCheck{acctest.StateLacks(secrets)},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{capturePlan{&preApply}},
				PostApplyPreRefresh:  []plancheck.PlanCheck{acctest.PlanLacks(secrets)},
				PostApplyPostRefresh: []plancheck.PlanCheck{acctest.PlanLacks(secrets)},
			},
		}},
	})
}

// capturePlan keeps the JSON of a plan for a later check.
type capturePlan struct{ into *[]byte }

func (c capturePlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	*c.into, resp.Error = json.Marshal(req.Plan)
}
