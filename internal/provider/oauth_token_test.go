package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The scenarios EasyTranslate and SmartConnect share: both are an OAuth2
// password grant against internal/mockapi. Each platform describes itself
// with an oauthPlatform (in its data source test file); each TestAcc function
// is one scenario run for one platform, as a data source or as an ephemeral
// resource.

// oauthPlatform describes an OAuth2 password-grant platform for the shared scenarios.
type oauthPlatform struct {
	name  string           // as in diagnostics: "EasyTranslate"
	block string           // provider block and type name infix: "easytranslate"
	mock  mockapi.Platform // the mock serving it
	// selector is the input that picks the API root when base_url is unset
	// ("environment" or "region"), with its default, another valid value and
	// every valid value in the documented order.
	selector        string
	selectorDefault string
	selectorOther   string
	selectorValues  []string
	// The mock's demo credentials and access token lifetime.
	clientID, clientSecret, username, password string
	ttl                                        time.Duration
	scope                                      string // sent on every grant; "" when none is
	// HTTP statuses of a wrong password, a wrong client secret and a
	// rejected refresh token, and the API's message for a wrong password.
	wrongPasswordStatus, wrongClientStatus, badRefreshStatus int
	wrongPasswordMessage                                     string
	// oauth returns the mock's configuration of the platform.
	oauth func(*mockapi.Config) *mockapi.OAuthConfig
	// endpoints are the results derived from the API root besides api_base_url.
	endpoints func(root string) map[string]knownvalue.Check
}

func (p oauthPlatform) typeName() string { return providerTypeName + "_" + p.block + "_token" }

// env is the environment variable of an input.
func (p oauthPlatform) env(input string) string {
	return strings.ToUpper(p.block) + "_" + strings.ToUpper(input)
}

// providerConfig configures only p, with the demo credentials and the mock as
// API root; extra lines go into p's block.
func (p oauthPlatform) providerConfig(mock *mockapi.Server, extra string) string {
	return fmt.Sprintf(`
provider "translationauth" {
  %[1]s = {
    client_id     = %[2]q
    client_secret = %[3]q
    username      = %[4]q
    password      = %[5]q
    base_url      = %[6]q
    %[7]s
  }
}
`, p.block, p.clientID, p.clientSecret, p.username, p.password, mock.BaseURL(p.mock), extra)
}

// startMock starts the mock with p's configuration changed by edit.
func (p oauthPlatform) startMock(t *testing.T, edit func(*mockapi.OAuthConfig)) *mockapi.Server {
	t.Helper()
	return startMock(t, func(c *mockapi.Config) {
		if edit != nil {
			edit(p.oauth(c))
		}
	})
}

// tokenUse is how a test reads a token type: as a data source, or as an
// ephemeral resource whose values the echo provider surfaces into state.
type tokenUse struct{ ephemeral bool }

var (
	asDataSource = tokenUse{}
	asEphemeral  = tokenUse{ephemeral: true}
)

// config declares p's token type as `name` with the given arguments (one per
// line); the ephemeral resource of the name "test" is echoed.
func (u tokenUse) config(p oauthPlatform, name, args string) string {
	if !u.ephemeral {
		return fmt.Sprintf("\ndata %[1]q %[2]q {\n%[3]s\n}\n", p.typeName(), name, args)
	}
	cfg := fmt.Sprintf("\nephemeral %[1]q %[2]q {\n%[3]s\n}\n", p.typeName(), name, args)
	if name == "test" {
		cfg += echoConfig("ephemeral." + p.typeName() + ".test")
	}
	return cfg
}

// at is where the attribute of the token "test" is found in state.
func (u tokenUse) at(p oauthPlatform, attr string) (string, tfjsonpath.Path) {
	if u.ephemeral {
		return "echo.test", tfjsonpath.New("data").AtMapKey(attr)
	}
	return "data." + p.typeName() + ".test", tfjsonpath.New(attr)
}

// expect checks the results of the token "test".
func (u tokenUse) expect(p oauthPlatform, want map[string]knownvalue.Check) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(want)+1)
	for attr, c := range want {
		addr, path := u.at(p, attr)
		checks = append(checks, statecheck.ExpectKnownValue(addr, path, c))
	}
	headerAddr, header := u.at(p, "authorization_header")
	tokenAddr, token := u.at(p, "access_token")
	return append(checks, statecheck.CompareValuePairs(headerAddr, header, tokenAddr, token, bearerOf{}))
}

// versionChecks skips ephemeral resources on Terraform before 1.10.
func (u tokenUse) versionChecks() []tfversion.TerraformVersionCheck {
	if u.ephemeral {
		return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}
	}
	return nil
}

// mergeChecks returns the union of check maps; later ones win.
func mergeChecks(maps ...map[string]knownvalue.Check) map[string]knownvalue.Check {
	out := map[string]knownvalue.Check{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// oneCall returns the only call of the mock, failing the test if there are others.
func oneCall(t *testing.T, mock *mockapi.Server, p oauthPlatform) mockapi.Call {
	t.Helper()
	calls := mock.Calls(p.mock)
	if len(calls) != 1 {
		t.Fatalf("%s received %d token calls, want 1", p.name, len(calls))
	}
	return calls[0]
}

// checkForm compares fields of a logged token request.
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

// testOAuthTokenResults reads a token with the demo credentials from a mock
// that spells the token type in lower case, at a fixed time.
func testOAuthTokenResults(t *testing.T, p oauthPlatform, u tokenUse) {
	t.Parallel()
	mock := p.startMock(t, func(c *mockapi.OAuthConfig) { c.TokenType = "bearer" })
	root := mock.BaseURL(p.mock)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(fixedClock(testNow)),
		Steps: []resource.TestStep{{
			Config: p.providerConfig(mock, "") + u.config(p, "test", ""),
			ConfigStateChecks: u.expect(p, mergeChecks(map[string]knownvalue.Check{
				"token_type":           knownvalue.StringExact("Bearer"),
				"access_token":         acctest.MinLength(100),
				"authorization_header": acctest.StringPrefix("Bearer ey"),
				"expires_in":           knownvalue.Int64Exact(int64(p.ttl / time.Second)),
				"expires_at":           knownvalue.StringExact(testNow.Add(p.ttl).Format(time.RFC3339)),
				"refresh_token":        acctest.MinLength(32),
				"api_base_url":         knownvalue.StringExact(root),
				p.selector:             knownvalue.StringExact(p.selectorDefault),
				"base_url":             knownvalue.Null(),
				"min_validity":         knownvalue.Null(),
			}, p.endpoints(root))),
		}},
	})
	// One password grant for every read of the test, in the documented form.
	c := oneCall(t, mock, p)
	if c.Op != mockapi.OpAuthenticate || c.Status != 200 {
		t.Errorf("call = %s %d, want %s 200", c.Op, c.Status, mockapi.OpAuthenticate)
	}
	checkForm(t, c, map[string]string{
		"grant_type": "password", "client_id": p.clientID, "client_secret": p.clientSecret,
		"username": p.username, "password": p.password, "scope": p.scope,
	})
	if got := c.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", got)
	}
	if got := c.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q, want application/json", got)
	}
}

// testOAuthTokenNoLifetime reads a token from a mock that reports neither a
// lifetime nor a refresh token, as SmartConnect's own example answer.
func testOAuthTokenNoLifetime(t *testing.T, p oauthPlatform, u tokenUse) {
	t.Parallel()
	mock := p.startMock(t, func(c *mockapi.OAuthConfig) {
		c.AccessTTL = 0
		c.RefreshTokens = false
	})
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(fixedClock(testNow)),
		Steps: []resource.TestStep{{
			Config: p.providerConfig(mock, "") + u.config(p, "test", ""),
			ConfigStateChecks: u.expect(p, map[string]knownvalue.Check{
				"token_type":    knownvalue.StringExact("Bearer"),
				"access_token":  acctest.MinLength(100),
				"expires_in":    knownvalue.Null(),
				"expires_at":    knownvalue.Null(),
				"refresh_token": knownvalue.Null(),
				"api_base_url":  knownvalue.StringExact(mock.BaseURL(p.mock)),
			}),
		}},
	})
	if n := mock.Count(p.mock, mockapi.OpAuthenticate); n != 1 {
		t.Errorf("authenticate calls = %d, want 1 (a token without a lifetime is reused)", n)
	}
}

// testOAuthTokenEnvCredentials takes every input from the environment, with
// base_url overriding the selector set at the same level.
func testOAuthTokenEnvCredentials(t *testing.T, p oauthPlatform, u tokenUse) {
	clearEnv(t)
	mock := p.startMock(t, nil)
	root := mock.BaseURL(p.mock)
	for input, v := range map[string]string{
		"client_id": p.clientID, "client_secret": p.clientSecret, "username": p.username, "password": p.password,
		"base_url": root, p.selector: p.selectorOther,
	} {
		t.Setenv(p.env(input), v)
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(fixedClock(testNow)),
		Steps: []resource.TestStep{{
			Config: u.config(p, "test", ""),
			ConfigStateChecks: u.expect(p, mergeChecks(map[string]knownvalue.Check{
				"token_type":   knownvalue.StringExact("Bearer"),
				"expires_at":   knownvalue.StringExact(testNow.Add(p.ttl).Format(time.RFC3339)),
				"api_base_url": knownvalue.StringExact(root),
				p.selector:     knownvalue.StringExact(p.selectorOther),
			}, p.endpoints(root))),
		}},
	})
	checkForm(t, oneCall(t, mock, p), map[string]string{
		"client_id": p.clientID, "client_secret": p.clientSecret, "username": p.username, "password": p.password,
	})
}

// testOAuthTokenEnvInvalidSelector sets the selector's environment variable
// to a value the schema validators never see: the read rejects it.
func testOAuthTokenEnvInvalidSelector(t *testing.T, p oauthPlatform, u tokenUse) {
	clearEnv(t)
	mock := p.startMock(t, nil)
	t.Setenv(p.env(p.selector), "mars")
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: p.providerConfig(mock, "") + u.config(p, "test", ""),
			ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Invalid %[1]s.*environment variable %[2]s.*"mars".*valid values\s+are\s+%[3]s`,
				p.selector, p.env(p.selector), strings.Join(p.selectorValues, `,\s+`))),
		}},
	})
	if n := len(mock.Calls(p.mock)); n != 0 {
		t.Errorf("%s received %d calls, want none", p.name, n)
	}
}

// testOAuthTokenInvalidSelector rejects an unknown selector value at
// validation, on the token type and in the provider block, listing the valid ones.
func testOAuthTokenInvalidSelector(t *testing.T, p oauthPlatform, u tokenUse) {
	t.Parallel()
	mock := p.startMock(t, nil)
	quoted := make([]string, len(p.selectorValues))
	for i, v := range p.selectorValues {
		quoted[i] = regexp.QuoteMeta(fmt.Sprintf("%q", v))
	}
	want := regexp.MustCompile(fmt.Sprintf(`(?s)Invalid Attribute Value Match.*%[1]s.*value must be one of:\s*\[%[2]s\],\s+got:\s+"mars"`,
		p.selector, strings.Join(quoted, `\s+`)))
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:      p.providerConfig(mock, "") + u.config(p, "test", fmt.Sprintf("%[1]s = %[2]q", p.selector, "mars")),
				PlanOnly:    true,
				ExpectError: want,
			},
			{
				Config:      p.providerConfig(mock, fmt.Sprintf("%[1]s = %[2]q", p.selector, "mars")) + u.config(p, "test", ""),
				PlanOnly:    true,
				ExpectError: want,
			},
		},
	})
	if n := len(mock.Calls(p.mock)); n != 0 {
		t.Errorf("%s received %d calls, want none", p.name, n)
	}
}

// testOAuthTokenRejected sends one wrong credential; the error carries the
// API's status, code and message (if any) and a hint, and no secret.
func testOAuthTokenRejected(t *testing.T, p oauthPlatform, u tokenUse, input, value string, status int, code, message string) {
	t.Parallel()
	mock := p.startMock(t, nil)
	patterns := []string{
		p.name + " Token Request Failed", fmt.Sprintf("HTTP %d %s", status, code), "request id",
		p.block + "." + input, p.env(input),
	}
	if message != "" {
		patterns = append(patterns, message)
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(nil),
		ErrorCheck:               acctest.ExpectErrorWithout(patterns, value, p.password, p.clientSecret),
		Steps: []resource.TestStep{{
			Config: p.providerConfig(mock, "") + u.config(p, "test", fmt.Sprintf("%[1]s = %[2]q", input, value)),
			Check:  mustFail,
		}},
	})
	c := oneCall(t, mock, p) // a 4xx is not retried
	if c.Status != status {
		t.Errorf("status = %d, want %d", c.Status, status)
	}
}

func testOAuthTokenWrongPassword(t *testing.T, p oauthPlatform, u tokenUse) {
	testOAuthTokenRejected(t, p, u, "password", "wrong password & more", p.wrongPasswordStatus, "invalid_grant", p.wrongPasswordMessage)
}

func testOAuthTokenWrongClient(t *testing.T, p oauthPlatform, u tokenUse) {
	testOAuthTokenRejected(t, p, u, "client_secret", "wrong-client-secret", p.wrongClientStatus, "invalid_client", "")
}

// testOAuthTokenSpecialCharacters authenticates with secrets full of form
// syntax: they must reach the API as they are.
func testOAuthTokenSpecialCharacters(t *testing.T, p oauthPlatform, u tokenUse) {
	t.Parallel()
	const (
		clientID     = "client id+1"
		clientSecret = "s3cr&t=a+b%2 c"
		username     = "first.last+tf@example.com"
		password     = "p&ss=w+rd%20 100% sure"
	)
	mock := p.startMock(t, func(c *mockapi.OAuthConfig) {
		c.Clients[clientID] = clientSecret
		c.Users[username] = password
	})
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   u.versionChecks(),
		ProtoV6ProviderFactories: factories(fixedClock(testNow)),
		Steps: []resource.TestStep{{
			Config: p.providerConfig(mock, "") + u.config(p, "test", fmt.Sprintf(`
  client_id     = %[1]q
  client_secret = %[2]q
  username      = %[3]q
  password      = %[4]q`, clientID, clientSecret, username, password)),
			ConfigStateChecks: u.expect(p, map[string]knownvalue.Check{
				"expires_at": knownvalue.StringExact(testNow.Add(p.ttl).Format(time.RFC3339)),
			}),
		}},
	})
	c := oneCall(t, mock, p)
	if c.Status != 200 {
		t.Errorf("status = %d, want 200", c.Status)
	}
	checkForm(t, c, map[string]string{
		"client_id": clientID, "client_secret": clientSecret, "username": username, "password": password,
	})
}

// testOAuthTokenBaseURLOverridesSelector sets base_url with a selector at the
// same level, in the provider block and on the token type: base_url decides
// the API root (keeping its path prefix, without a trailing slash), and the
// selector is reported as set. Each case has its own test case, as the echo
// resource keeps its first value.
func testOAuthTokenBaseURLOverridesSelector(t *testing.T, p oauthPlatform, u tokenUse) {
	t.Parallel()
	mock := p.startMock(t, nil)
	root := mock.BaseURL(p.mock)
	block := p.providerConfig(mock, fmt.Sprintf("%[1]s = %[2]q", p.selector, p.selectorOther))
	for _, step := range []resource.TestStep{
		{
			Config: block + u.config(p, "test", ""),
			ConfigStateChecks: u.expect(p, mergeChecks(map[string]knownvalue.Check{
				"api_base_url": knownvalue.StringExact(root),
				p.selector:     knownvalue.StringExact(p.selectorOther),
			}, p.endpoints(root))),
		},
		{
			Config: block + u.config(p, "test", fmt.Sprintf("%[1]s = %[2]q\nbase_url = %[3]q", p.selector, p.selectorDefault, root+"/")),
			ConfigStateChecks: u.expect(p, mergeChecks(map[string]knownvalue.Check{
				"api_base_url": knownvalue.StringExact(root),
				p.selector:     knownvalue.StringExact(p.selectorDefault),
			}, p.endpoints(root))),
		},
	} {
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   u.versionChecks(),
			ProtoV6ProviderFactories: factories(nil),
			Steps:                    []resource.TestStep{step},
		})
	}
	for _, c := range mock.Calls(p.mock) {
		if want := "/" + string(p.mock) + "/"; !strings.HasPrefix(c.Path, want) {
			t.Errorf("token request to %s, want below %s", c.Path, want)
		}
	}
}

// testOAuthTokenRefresh reads a second token that must outlive what the first
// has left: the provider refreshes it, with the platform's refresh form.
func testOAuthTokenRefresh(t *testing.T, p oauthPlatform) {
	testOAuthTokenRefreshAnswered(t, p, 200)
}

// testOAuthTokenRefreshRejected is testOAuthTokenRefresh with the refresh
// answered by an error: the provider authenticates again.
func testOAuthTokenRefreshRejected(t *testing.T, p oauthPlatform) {
	testOAuthTokenRefreshAnswered(t, p, p.badRefreshStatus)
}

func testOAuthTokenRefreshAnswered(t *testing.T, p oauthPlatform, status int) {
	t.Parallel()
	mock := p.startMock(t, nil)
	want := []struct {
		op     string
		status int
	}{{mockapi.OpAuthenticate, 200}, {mockapi.OpRefresh, status}}
	if status != 200 {
		mock.Inject(p.mock, mockapi.Fault{}, mockapi.Fault{Status: status})
		want = append(want, want[0])
	}
	// Ten minutes pass once the first token has been asked for: it then has
	// ttl-10m left, less than the second's min_validity of ttl-5m.
	const elapsed = 10 * time.Minute
	clock := func() time.Time {
		if mock.Count(p.mock, mockapi.OpAuthenticate) > 0 {
			return testNow.Add(elapsed)
		}
		return testNow
	}
	first, second := "data."+p.typeName()+".first", "data."+p.typeName()+".second"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{{
			Config: p.providerConfig(mock, "") + asDataSource.config(p, "first", "") + asDataSource.config(p, "second",
				fmt.Sprintf("min_validity = %[1]q\ndepends_on = [%[2]s]", (p.ttl-5*time.Minute).String(), first)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(first, tfjsonpath.New("expires_at"),
					knownvalue.StringExact(testNow.Add(p.ttl).Format(time.RFC3339))),
				statecheck.ExpectKnownValue(second, tfjsonpath.New("expires_at"),
					knownvalue.StringExact(testNow.Add(elapsed+p.ttl).Format(time.RFC3339))),
				statecheck.ExpectKnownValue(second, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(int64(p.ttl/time.Second))),
				statecheck.CompareValuePairs(first, tfjsonpath.New("access_token"), second, tfjsonpath.New("access_token"), compare.ValuesDiffer()),
				statecheck.CompareValuePairs(first, tfjsonpath.New("refresh_token"), second, tfjsonpath.New("refresh_token"), compare.ValuesDiffer()),
			},
		}},
	})
	calls := mock.Calls(p.mock)
	if len(calls) != len(want) {
		t.Fatalf("%s received %d token calls, want %d", p.name, len(calls), len(want))
	}
	for i, w := range want {
		if calls[i].Op != w.op || calls[i].Status != w.status {
			t.Errorf("call %d = %s %d, want %s %d", i, calls[i].Op, calls[i].Status, w.op, w.status)
		}
	}
	checkForm(t, calls[1], map[string]string{
		"grant_type": "refresh_token", "client_id": p.clientID, "client_secret": p.clientSecret, "scope": p.scope,
		"username": "", "password": "",
	})
	if calls[1].Form.Get("refresh_token") == "" {
		t.Error("the refresh grant carried no refresh_token")
	}
}
