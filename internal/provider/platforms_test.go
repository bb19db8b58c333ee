package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The cross-platform tests run a grid: {platform} × {face} × {scenario}. A
// platform is a row of platformFixtures, a face an entry of testFaces, and a
// scenario a TestAcc function whose subtests are named <Platform>/<face>.

// platformFixture is what the tests know of one registry entry: the mock that
// imitates it, the demo account the mock holds, and how the mock answers.
// Names, blocks, type names and environment variables come from the entry.
type platformFixture struct {
	*platform
	mock     auth.Platform
	creds    map[string]string // the demo account, by input name
	identity string            // whom the mock's whoami names for a demo token
	ttl      time.Duration     // lifetime of the mock's access tokens
	scope    string            // sent on every grant; "" when none is
	// rejected are the mock's answers to one wrong credential each.
	rejected []rejection
	// refreshRejected is the status of the mock's answer to a bad refresh token.
	refreshRejected int
	// endpoints are the results besides api_base_url that follow from the
	// API root: the path each appends to it.
	endpoints map[string]string
	// OAuth platforms: the mock's configuration of the platform, and the input
	// that picks the API root when no base_url is set.
	oauth    func(*mockapi.Config) *mockapi.OAuthConfig
	selector selector
	// Platforms that are not OAuth2 password grants (whose token request
	// RFC 6749 fixes): the fields and content type of the token request.
	tokenForm        map[string]string
	tokenContentType string
	// resultArgs are the arguments TestAccToken_results sets; results is
	// every result it expects of them at testNow, from the API root root
	// (the mock's, known once it runs): the whole expectation of a token
	// type of the platform, data source or ephemeral resource alike.
	resultArgs string
	results    func(root string) map[string]knownvalue.Check
}

// selector is an input that picks the API root: its default, another valid
// value, and every valid value in the documented order.
type selector struct {
	input, def, other string
	values            []string
}

// rejection is how the mock answers one wrong credential.
type rejection struct {
	input, value string // the input and the wrong value given it
	status       int
	answer       string   // the API's code and message, as quoted after "HTTP <status> "
	hint         []string // the inputs the diagnostic's hint names
}

var platformFixtures = []*platformFixture{
	{
		platform: smartling,
		mock:     auth.Smartling,
		creds: map[string]string{
			"user_identifier": mockapi.DemoSmartlingUserIdentifier,
			"user_secret":     mockapi.DemoSmartlingUserSecret,
		},
		identity: mockapi.DemoSmartlingUserIdentifier,
		ttl:      480 * time.Second,
		rejected: []rejection{
			{"user_secret", "wrong-user-secret-1x", 401,
				"AUTHENTICATION_ERROR (invalid_credentials): Invalid user identifier or user secret", []string{"user_identifier", "user_secret"}},
		},
		refreshRejected: 401, // past Smartling's session cap
		tokenForm: map[string]string{
			"userIdentifier": mockapi.DemoSmartlingUserIdentifier, "userSecret": mockapi.DemoSmartlingUserSecret,
		},
		tokenContentType: "application/json",
		resultArgs:       "project_id = \"proj-1\"\nmin_validity = \"2m\"",
		results: func(root string) map[string]knownvalue.Check {
			return map[string]knownvalue.Check{
				"user_identifier":      knownvalue.Null(),
				"user_secret":          knownvalue.Null(),
				"base_url":             knownvalue.Null(),
				"account_id":           knownvalue.Null(),
				"project_id":           knownvalue.StringExact("proj-1"),
				"min_validity":         knownvalue.StringExact("2m"),
				"access_token":         acctest.MinLength(500),
				"token_type":           knownvalue.StringExact("Bearer"),
				"authorization_header": acctest.StringPrefix("Bearer ey"),
				"expires_in":           knownvalue.Int64Exact(480),
				"expires_at":           knownvalue.StringExact("2026-11-21T12:08:00Z"),
				"refresh_token":        acctest.MinLength(500),
				"refresh_expires_in":   knownvalue.Int64Exact(3660),
				"refresh_expires_at":   knownvalue.StringExact("2026-11-21T13:01:00Z"),
				"api_base_url":         knownvalue.StringExact(root),
			}
		},
	},
	{
		// A Laravel Passport server that requires scope=dashboard, answers a
		// wrong password with 400 and a wrong client with 401, and issues
		// year-long tokens.
		platform: easyTranslate,
		mock:     auth.EasyTranslate,
		creds: map[string]string{
			"client_id": mockapi.DemoEasyTranslateClientID, "client_secret": mockapi.DemoEasyTranslateClientSecret,
			"username": mockapi.DemoEasyTranslateUsername, "password": mockapi.DemoEasyTranslatePassword,
		},
		identity: mockapi.DemoEasyTranslateUsername,
		ttl:      31622400 * time.Second,
		scope:    "dashboard",
		rejected: []rejection{
			{"password", "wrong password & more", 400, "invalid_grant: The user credentials were incorrect.", []string{"username", "password"}},
			{"client_secret", "wrong-client-secret", 401, "invalid_client: Client authentication failed", []string{"client_id", "client_secret"}},
		},
		refreshRejected: 401,
		oauth:           func(c *mockapi.Config) *mockapi.OAuthConfig { return &c.EasyTranslate },
		selector:        selector{"environment", "production", "sandbox", []string{"production", "sandbox"}},
		results: func(root string) map[string]knownvalue.Check {
			return map[string]knownvalue.Check{
				"client_id":            knownvalue.Null(),
				"client_secret":        knownvalue.Null(),
				"username":             knownvalue.Null(),
				"password":             knownvalue.Null(),
				"base_url":             knownvalue.Null(),
				"environment":          knownvalue.StringExact("production"),
				"min_validity":         knownvalue.Null(),
				"access_token":         acctest.MinLength(100),
				"token_type":           knownvalue.StringExact("Bearer"),
				"authorization_header": acctest.StringPrefix("Bearer ey"),
				"expires_in":           knownvalue.Int64Exact(31622400),
				"expires_at":           knownvalue.StringExact("2027-11-22T12:00:00Z"),
				"refresh_token":        acctest.MinLength(32),
				"api_base_url":         knownvalue.StringExact(root),
			}
		},
	},
	{
		// An ASP.NET OAuth server that sends no scope, answers every token
		// error with 400, spells the token type "bearer" and issues half-hour
		// tokens.
		platform: smartConnect,
		mock:     auth.SmartConnect,
		creds: map[string]string{
			"client_id": mockapi.DemoSmartConnectClientID, "client_secret": mockapi.DemoSmartConnectClientSecret,
			"username": mockapi.DemoSmartConnectUsername, "password": mockapi.DemoSmartConnectPassword,
		},
		identity: mockapi.DemoSmartConnectUsername,
		ttl:      1799 * time.Second,
		rejected: []rejection{
			{"password", "wrong password & more", 400, "invalid_grant: The user name or password is incorrect.", []string{"username", "password"}},
			{"client_secret", "wrong-client-secret", 400, "invalid_client", []string{"client_id", "client_secret"}},
		},
		refreshRejected: 400,
		endpoints:       map[string]string{"token_url": "/token", "swagger_url": "/swagger"},
		oauth:           func(c *mockapi.Config) *mockapi.OAuthConfig { return &c.SmartConnect },
		selector:        selector{"region", "NA", "EU", []string{"NA", "NA2", "NA3", "UK", "EU", "EU2", "AU"}},
		results: func(root string) map[string]knownvalue.Check {
			return map[string]knownvalue.Check{
				"client_id":            knownvalue.Null(),
				"client_secret":        knownvalue.Null(),
				"username":             knownvalue.Null(),
				"password":             knownvalue.Null(),
				"base_url":             knownvalue.Null(),
				"region":               knownvalue.StringExact("NA"),
				"min_validity":         knownvalue.Null(),
				"access_token":         acctest.MinLength(100),
				"token_type":           knownvalue.StringExact("Bearer"),
				"authorization_header": acctest.StringPrefix("Bearer ey"),
				"expires_in":           knownvalue.Int64Exact(1799),
				"expires_at":           knownvalue.StringExact("2026-11-21T12:29:59Z"),
				"refresh_token":        acctest.MinLength(32),
				"api_base_url":         knownvalue.StringExact(root),
				"token_url":            knownvalue.StringExact(root + "/token"),
				"swagger_url":          knownvalue.StringExact(root + "/swagger"),
			}
		},
	},
}

// oauthFixtures are the OAuth2 password-grant platforms.
var oauthFixtures = func() (out []*platformFixture) {
	for _, fx := range platformFixtures {
		if fx.oauth != nil {
			out = append(out, fx)
		}
	}
	return out
}()

// selectorFixtures are the platforms whose API root an input picks (a region,
// an environment).
var selectorFixtures = func() (out []*platformFixture) {
	for _, fx := range platformFixtures {
		if fx.selector.input != "" {
			out = append(out, fx)
		}
	}
	return out
}()

// fixture is the row of a registry entry.
func fixture(p *platform) *platformFixture {
	for _, fx := range platformFixtures {
		if fx.platform == p {
			return fx
		}
	}
	panic("no fixture for platform " + p.block)
}

// TestPlatformFixtures_matchRegistry keeps the fixture table in step with the
// registry: one row per platform, in order, naming only inputs it has.
func TestPlatformFixtures_matchRegistry(t *testing.T) {
	t.Parallel()
	if len(platformFixtures) != len(platforms) {
		t.Fatalf("%d fixtures for %d platforms", len(platformFixtures), len(platforms))
	}
	for i, fx := range platformFixtures {
		if fx.platform != platforms[i] {
			t.Errorf("fixture %d is %s, want %s", i, fx.name, platforms[i].name)
		}
		for _, name := range fx.required {
			if fx.creds[name] == "" {
				t.Errorf("%s: the demo account lacks the required input %s", fx.name, name)
			}
		}
		for name := range fx.creds {
			fx.input(name) // panics for an input the platform does not have
		}
		for _, r := range fx.rejected {
			fx.input(r.input)
		}
		if fx.selector.input != "" {
			fx.input(fx.selector.input)
		}
	}
}

// env is the environment variable of an input, as the registry declares it.
func (fx *platformFixture) env(input string) string { return fx.input(input).env }

// secrets are the demo account's sensitive values, by input name.
func (fx *platformFixture) secrets() map[string]string {
	out := map[string]string{}
	for _, in := range fx.inputs {
		if v := fx.creds[in.name]; in.sensitive && v != "" {
			out[in.name] = v
		}
	}
	return out
}

// demoSecrets are every platform's demo secrets.
func demoSecrets() []string {
	var out []string
	for _, fx := range platformFixtures {
		for _, v := range fx.secrets() {
			out = append(out, v)
		}
	}
	return out
}

// rooted checks the results that follow from the API root.
func (fx *platformFixture) rooted(root string) map[string]knownvalue.Check {
	out := map[string]knownvalue.Check{"api_base_url": knownvalue.StringExact(root)}
	for name, path := range fx.endpoints {
		out[name] = knownvalue.StringExact(root + path)
	}
	return out
}

// startMock starts the mock with fx's OAuth configuration changed by edit.
func (fx *platformFixture) startMock(t *testing.T, edit func(*mockapi.OAuthConfig)) *mockapi.Server {
	t.Helper()
	return startMock(t, func(c *mockapi.Config) {
		if edit != nil {
			edit(fx.oauth(c))
		}
	})
}

// demo is fx's demo account with its API root at baseURL, as HCL values by
// input name.
func (fx *platformFixture) demo(baseURL string) map[string]string {
	hcl := map[string]string{"base_url": strconv.Quote(baseURL)}
	for name, v := range fx.creds {
		hcl[name] = strconv.Quote(v)
	}
	return hcl
}

// attribute is fx's nested attribute of the provider block with the given HCL
// values by input name, in the order the platform declares its inputs.
func (fx *platformFixture) attribute(hcl map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %s = {\n", fx.block)
	for _, in := range fx.inputs {
		if v, ok := hcl[in.name]; ok {
			fmt.Fprintf(&b, "    %s = %s\n", in.name, v)
		}
	}
	for name := range hcl {
		fx.input(name) // panics for an input the platform does not have
	}
	return b.String() + "  }\n"
}

// provider is a provider block configuring fx alone: its demo account on the
// mock, with the values of set (by input name) laid over it.
func (fx *platformFixture) provider(mock *mockapi.Server, set map[string]string) string {
	hcl := fx.demo(mock.BaseURL(fx.mock))
	for name, v := range set {
		hcl[name] = strconv.Quote(v)
	}
	return "\nprovider \"translationauth\" {\n" + fx.attribute(hcl) + "}\n"
}

// providerConfig is a provider block pointing every platform at the mock with
// its demo account.
func providerConfig(mock *mockapi.Server) string { return providerConfigWith(mock, "") }

// providerConfigWith is providerConfig with provider-level arguments, such as
// request_timeout or max_retries.
func providerConfigWith(mock *mockapi.Server, args string) string {
	var b strings.Builder
	b.WriteString("\nprovider \"translationauth\" {\n  " + args + "\n")
	for _, fx := range platformFixtures {
		b.WriteString(fx.attribute(fx.demo(mock.BaseURL(fx.mock))))
	}
	return b.String() + "}\n"
}

// testFace is a way a test reads one of a platform's types: as a data source,
// or as an ephemeral resource whose values the echo provider surfaces into
// state. Adding a face is one entry in testFaces, such as
// asProxy = testFace{"proxy", "ephemeral", proxyFace}.
type testFace struct {
	name    string // the subtest name
	keyword string // "data" or "ephemeral"
	serves  face   // the platform's type
}

var (
	asDataSource = testFace{"data_source", "data", tokenFace}
	asEphemeral  = testFace{"ephemeral", "ephemeral", tokenFace}
	asProxy      = testFace{"proxy", "ephemeral", proxyFace}
	testFaces    = []testFace{asDataSource, asEphemeral, asProxy}
	// tokenFaces are the faces of the token types, which the token scenarios run on.
	tokenFaces = facesServing(tokenFace)
)

func facesServing(f face) []testFace {
	var out []testFace
	for _, tf := range testFaces {
		if tf.serves == f {
			out = append(out, tf)
		}
	}
	return out
}

// cell is a square of the grid: one platform read through one face.
type cell struct {
	*platformFixture
	face testFace
}

// grid lists the cells of the fixtures and faces, platform by platform.
func grid(fixtures []*platformFixture, faces ...testFace) []cell {
	var out []cell
	for _, fx := range fixtures {
		for _, f := range faces {
			out = append(out, cell{fx, f})
		}
	}
	return out
}

// eachCell runs f on every cell, as the parallel subtest <Platform>/<face>.
func eachCell(t *testing.T, cells []cell, f func(t *testing.T, c cell)) {
	t.Helper()
	for _, c := range cells {
		t.Run(c.subtest(), func(t *testing.T) {
			t.Parallel()
			f(t, c)
		})
	}
}

// subtest is the cell's subtest name, <Platform>/<face>.
func (c cell) subtest() string { return string(c.name) + "/" + c.face.name }

// ref is the address of the cell's block of that name.
func (c cell) ref(name string) string {
	typeName := c.typeName(c.face.serves)
	if c.face.keyword == "data" {
		return "data." + typeName + "." + name
	}
	return "ephemeral." + typeName + "." + name
}

// declare declares the cell's type as name with the arguments (one per line).
func (c cell) declare(name, args string) string {
	return fmt.Sprintf("\n%s %q %q {\n%s\n}\n", c.face.keyword, c.typeName(c.face.serves), name, args)
}

// test declares the cell's type as "test"; an ephemeral one is echoed.
func (c cell) test(args string) string {
	if c.face.keyword == "data" {
		return c.declare("test", args)
	}
	return c.declare("test", args) + echoConfig(c.ref("test"))
}

// at is where an attribute of "test" is found in state.
func (c cell) at(attr string) (string, tfjsonpath.Path) {
	if c.face.keyword == "data" {
		return c.ref("test"), tfjsonpath.New(attr)
	}
	return "echo.test", tfjsonpath.New("data").AtMapKey(attr)
}

// expect checks the results of "test"; a token's authorization_header is
// always "Bearer " and its access_token.
func (c cell) expect(want map[string]knownvalue.Check) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(want)+1)
	for attr, check := range want {
		addr, path := c.at(attr)
		checks = append(checks, statecheck.ExpectKnownValue(addr, path, check))
	}
	if c.face.serves != tokenFace {
		return checks
	}
	headerAddr, header := c.at("authorization_header")
	tokenAddr, token := c.at("access_token")
	return append(checks, statecheck.CompareValuePairs(headerAddr, header, tokenAddr, token, bearerOf{}))
}

// versionChecks skips ephemeral faces on Terraform before 1.10.
func (f testFace) versionChecks() []tfversion.TerraformVersionCheck {
	if f.keyword == "ephemeral" {
		return ephemeralVersions
	}
	return nil
}

func (c cell) versionChecks() []tfversion.TerraformVersionCheck { return c.face.versionChecks() }

// versionsFor skips a configuration that declares an ephemeral block on the
// CLIs without ephemeral resources, and runs any other on every version.
func versionsFor(config string) []tfversion.TerraformVersionCheck {
	if strings.Contains(config, "ephemeral \"") {
		return ephemeralVersions
	}
	return nil
}

// ephemeralVersions skips a test on Terraform before 1.10 and OpenTofu
// before 1.11, which have no ephemeral resources.
var ephemeralVersions = []tfversion.TerraformVersionCheck{
	tfversion.SkipBelow(tfversion.Version1_10_0),
	skipOpenTofuBelow{version.Must(version.NewVersion("1.11.0"))},
}

// skipOpenTofuBelow skips a test when the CLI under test is OpenTofu (the
// harness is pointed at its registry) older than min. OpenTofu reports its
// own version, which tfversion compares as if it were Terraform's.
type skipOpenTofuBelow struct{ min *version.Version }

func (s skipOpenTofuBelow) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if os.Getenv("TF_ACC_PROVIDER_HOST") != "registry.opentofu.org" || req.TerraformVersion == nil {
		return
	}
	if req.TerraformVersion.LessThan(s.min) {
		resp.Skip = fmt.Sprintf("OpenTofu %s has no ephemeral resources; they need %s or later", req.TerraformVersion, s.min)
	}
}

// testNow is the time of the tests that check expiry times: their provider
// clock is a clocktest.Clock that starts there.
var testNow = clocktest.Start

// bearerOf compares authorization_header with access_token.
type bearerOf struct{}

func (bearerOf) CompareValues(values ...any) error {
	header, _ := values[0].(string)
	token, _ := values[1].(string)
	if token == "" || header != "Bearer "+token {
		return fmt.Errorf("authorization_header is not \"Bearer \" + access_token")
	}
	return nil
}

// oneCall returns the only call of the mock, failing the test if there are others.
func oneCall(t *testing.T, mock *mockapi.Server, p auth.Platform) mockapi.Call {
	t.Helper()
	calls := mock.Calls(p)
	if len(calls) != 1 {
		t.Fatalf("%s received %d token calls, want 1", p, len(calls))
	}
	return calls[0]
}

// checkForm compares fields of a logged token request; "" means absent.
func checkForm(t *testing.T, c mockapi.Call, want map[string]string) {
	t.Helper()
	for k, v := range want {
		got, sent := c.Form[k]
		switch {
		case v == "" && sent:
			t.Errorf("%s request sent %s, want it absent", c.Op, k)
		case v != "" && (len(got) != 1 || got[0] != v):
			t.Errorf("%s request field %s = %q, want %q", c.Op, k, got, v)
		}
	}
}
