package provider

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// The token scenarios of every platform. Each TestAcc function is one
// scenario; its subtests are the cells <Platform>/<face> it runs on (see
// platforms_test.go). Wrong credentials are TestAccTokenFailure_wrongCredentials.

// passwordGrant is the form of an OAuth password grant of fx's demo account.
func passwordGrant(fx *platformFixture) map[string]string {
	form := maps.Clone(fx.creds)
	form["grant_type"], form["scope"] = "password", fx.scope
	return form
}

// TestAccToken_results reads a token with the demo account at a fixed time,
// from OAuth mocks that spell the token type in lower case. Each platform's
// fixture row holds the whole expectation (results).
func TestAccToken_results(t *testing.T) {
	t.Parallel()
	eachCell(t, grid(platformFixtures, tokenFaces...), func(t *testing.T, c cell) {
		// The form of the one token request differs by platform.
		form, contentType := c.tokenForm, c.tokenContentType
		if c.oauth != nil { // RFC 6749 4.3: a form-encoded password grant
			form, contentType = passwordGrant(c.platformFixture), "application/x-www-form-urlencoded"
		}
		mock := startMock(t, func(m *mockapi.Config) {
			if c.oauth != nil {
				c.oauth(m).TokenType = "bearer"
			}
		})
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   c.versionChecks(),
			ProtoV6ProviderFactories: factories(clocktest.At(testNow).Now),
			Steps: []resource.TestStep{{
				Config:            c.provider(mock, nil) + c.test(c.resultArgs),
				ConfigStateChecks: c.expect(c.results(mock.BaseURL(c.mock))),
			}},
		})
		// One token request for every read of the test, in the documented form.
		call := oneCall(t, mock, c.mock)
		if call.Op != mockapi.OpAuthenticate || call.Status != 200 {
			t.Errorf("call = %s %d, want %s 200", call.Op, call.Status, mockapi.OpAuthenticate)
		}
		checkForm(t, call, form)
		if got := call.Header.Get("Content-Type"); got != contentType {
			t.Errorf("Content-Type = %q, want %s", got, contentType)
		}
		if got := call.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept = %q, want application/json", got)
		}
	})
}

// TestAccToken_noLifetime reads a token from an OAuth mock that reports
// neither a lifetime nor a refresh token, as SmartConnect's own example answer.
func TestAccToken_noLifetime(t *testing.T) {
	t.Parallel()
	eachCell(t, grid(oauthFixtures, tokenFaces...), func(t *testing.T, c cell) {
		mock := c.startMock(t, func(o *mockapi.OAuthConfig) {
			o.AccessTTL = 0
			o.RefreshTokens = false
		})
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   c.versionChecks(),
			ProtoV6ProviderFactories: factories(clocktest.At(testNow).Now),
			Steps: []resource.TestStep{{
				Config: c.provider(mock, nil) + c.test(""),
				ConfigStateChecks: c.expect(map[string]knownvalue.Check{
					"token_type":    knownvalue.StringExact("Bearer"),
					"access_token":  acctest.MinLength(100),
					"expires_in":    knownvalue.Null(),
					"expires_at":    knownvalue.Null(),
					"refresh_token": knownvalue.Null(),
					"api_base_url":  knownvalue.StringExact(mock.BaseURL(c.mock)),
				}),
			}},
		})
		wantTokenCalls(t, mock, c.mock, 1, 0) // a token without a lifetime is reused
	})
}

// TestAccToken_envCredentials takes every input from the environment, with
// base_url overriding the selector set at the same level.
func TestAccToken_envCredentials(t *testing.T) {
	for _, c := range grid(oauthFixtures, tokenFaces...) {
		t.Run(c.subtest(), func(t *testing.T) {
			clearEnv(t)
			mock := startMock(t, nil)
			root := mock.BaseURL(c.mock)
			env := maps.Clone(c.creds)
			env["base_url"] = root
			want := c.rooted(root)
			want["token_type"] = knownvalue.StringExact("Bearer")
			want["expires_at"] = knownvalue.StringExact(testNow.Add(c.ttl).Format(time.RFC3339))
			if c.selector.input != "" {
				env[c.selector.input] = c.selector.other
				want[c.selector.input] = knownvalue.StringExact(c.selector.other)
			}
			for input, v := range env {
				t.Setenv(c.env(input), v)
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   c.versionChecks(),
				ProtoV6ProviderFactories: factories(clocktest.At(testNow).Now),
				Steps: []resource.TestStep{{
					Config:            c.test(""),
					ConfigStateChecks: c.expect(want),
				}},
			})
			checkForm(t, oneCall(t, mock, c.mock), c.creds)
		})
	}
}

// TestAccToken_envInvalidSelector sets the selector's environment variable to
// a value the schema validators never see: the read rejects it. The check is
// made where the settings are resolved, which every face shares.
func TestAccToken_envInvalidSelector(t *testing.T) {
	for _, c := range grid(selectorFixtures, asDataSource) {
		t.Run(c.subtest(), func(t *testing.T) {
			clearEnv(t)
			mock := startMock(t, nil)
			env := c.env(c.selector.input)
			t.Setenv(env, "mars")
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   c.versionChecks(),
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: c.provider(mock, nil) + c.test(""),
					ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Invalid %[1]s.*environment variable %[2]s.*"mars".*valid values\s+are\s+%[3]s`,
						c.selector.input, env, strings.Join(c.selector.values, `,\s+`))),
				}},
			})
			if n := len(mock.Calls(c.mock)); n != 0 {
				t.Errorf("%s received %d calls, want none", c.name, n)
			}
		})
	}
}

// TestAccToken_invalidSelector rejects an unknown selector value at
// validation, on the token type and in the provider block, listing the valid ones.
func TestAccToken_invalidSelector(t *testing.T) {
	t.Parallel()
	eachCell(t, grid(selectorFixtures, tokenFaces...), func(t *testing.T, c cell) {
		mock := startMock(t, nil)
		quoted := make([]string, len(c.selector.values))
		for i, v := range c.selector.values {
			quoted[i] = regexp.QuoteMeta(fmt.Sprintf("%q", v))
		}
		want := regexp.MustCompile(fmt.Sprintf(`(?s)Invalid Attribute Value Match.*%[1]s.*value must be one of:\s*\[%[2]s\],\s+got:\s+"mars"`,
			c.selector.input, strings.Join(quoted, `\s+`)))
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   c.versionChecks(),
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{
				{
					Config:      c.provider(mock, nil) + c.test(fmt.Sprintf("%s = %q", c.selector.input, "mars")),
					PlanOnly:    true,
					ExpectError: want,
				},
				{
					Config:      c.provider(mock, map[string]string{c.selector.input: "mars"}) + c.test(""),
					PlanOnly:    true,
					ExpectError: want,
				},
			},
		})
		if n := len(mock.Calls(c.mock)); n != 0 {
			t.Errorf("%s received %d calls, want none", c.name, n)
		}
	})
}

// TestAccToken_specialCharacters authenticates with secrets full of form
// syntax: they must reach the API as they are.
func TestAccToken_specialCharacters(t *testing.T) {
	t.Parallel()
	creds := map[string]string{
		"client_id":     "client id+1",
		"client_secret": "s3cr&t=a+b%2 c",
		"username":      "first.last+tf@example.com",
		"password":      "p&ss=w+rd%20 100% sure",
	}
	eachCell(t, grid(oauthFixtures, tokenFaces...), func(t *testing.T, c cell) {
		mock := c.startMock(t, func(o *mockapi.OAuthConfig) {
			o.Clients[creds["client_id"]] = creds["client_secret"]
			o.Users[creds["username"]] = creds["password"]
		})
		var args strings.Builder
		for _, name := range []string{"client_id", "client_secret", "username", "password"} {
			fmt.Fprintf(&args, "%s = %q\n", name, creds[name])
		}
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   c.versionChecks(),
			ProtoV6ProviderFactories: factories(clocktest.At(testNow).Now),
			Steps: []resource.TestStep{{
				Config: c.provider(mock, nil) + c.test(args.String()),
				ConfigStateChecks: c.expect(map[string]knownvalue.Check{
					"expires_at": knownvalue.StringExact(testNow.Add(c.ttl).Format(time.RFC3339)),
				}),
			}},
		})
		call := oneCall(t, mock, c.mock)
		if call.Status != 200 {
			t.Errorf("status = %d, want 200", call.Status)
		}
		checkForm(t, call, creds)
	})
}

// TestAccToken_baseURLOverridesSelector sets base_url with a selector at the
// same level, in the provider block and on the token type: base_url decides
// the API root (keeping its path prefix, without a trailing slash), and the
// selector is reported as set. Each case has its own test case, as the echo
// resource keeps its first value.
func TestAccToken_baseURLOverridesSelector(t *testing.T) {
	t.Parallel()
	eachCell(t, grid(selectorFixtures, tokenFaces...), func(t *testing.T, c cell) {
		mock := startMock(t, nil)
		root := mock.BaseURL(c.mock)
		sel := c.selector
		block := c.provider(mock, map[string]string{sel.input: sel.other})
		// The selector the provider block sets, then the one the type sets.
		for _, step := range []struct{ args, selected string }{
			{"", sel.other},
			{fmt.Sprintf("%s = %q\nbase_url = %q", sel.input, sel.def, root+"/"), sel.def},
		} {
			want := c.rooted(root)
			want[sel.input] = knownvalue.StringExact(step.selected)
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   c.versionChecks(),
				ProtoV6ProviderFactories: factories(nil),
				Steps:                    []resource.TestStep{{Config: block + c.test(step.args), ConfigStateChecks: c.expect(want)}},
			})
		}
		for _, call := range mock.Calls(c.mock) {
			if want := strings.TrimPrefix(mock.BaseURL(c.mock), mock.URL) + "/"; !strings.HasPrefix(call.Path, want) {
				t.Errorf("token request to %s, want below %s", call.Path, want)
			}
		}
	})
}

// TestAccToken_refresh reads a second token that must outlive what the first
// has left: the provider refreshes it with the platform's refresh request
// ("refreshed"), or authenticates again when the API rejects the refresh
// token ("refresh_rejected").
func TestAccToken_refresh(t *testing.T) {
	t.Parallel()
	for _, c := range grid(platformFixtures, asDataSource) {
		for _, outcome := range []struct {
			name   string
			status int
		}{{"refreshed", 200}, {"refresh_rejected", c.refreshRejected}} {
			t.Run(c.subtest()+"/"+outcome.name, func(t *testing.T) {
				t.Parallel()
				mock := startMock(t, nil)
				want := []struct {
					op     string
					status int
				}{{mockapi.OpAuthenticate, 200}, {mockapi.OpRefresh, outcome.status}}
				if outcome.status != 200 {
					mock.Inject(c.mock, mockapi.Fault{}, mockapi.Fault{Status: outcome.status})
					want = append(want, want[0])
				}
				// The first token is read at testNow; then time passes, and it
				// has ttl-elapsed left, less than the second's min_validity.
				// The first is read again from the cache in the second step.
				elapsed := min(10*time.Minute, c.ttl/2)
				clock := clocktest.At(testNow)
				first, second := c.ref("first"), c.ref("second")
				resource.UnitTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(clock.Now),
					Steps: []resource.TestStep{{
						Config: c.provider(mock, nil) + c.declare("first", ""),
					}, {
						PreConfig: func() { clock.Advance(elapsed) },
						Config: c.provider(mock, nil) + c.declare("first", "") + c.declare("second",
							fmt.Sprintf("min_validity = %q\ndepends_on = [%s]", (c.ttl-elapsed/2).String(), first)),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(first, tfjsonpath.New("expires_at"),
								knownvalue.StringExact(testNow.Add(c.ttl).Format(time.RFC3339))),
							statecheck.ExpectKnownValue(second, tfjsonpath.New("expires_at"),
								knownvalue.StringExact(testNow.Add(elapsed+c.ttl).Format(time.RFC3339))),
							statecheck.ExpectKnownValue(second, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(int64(c.ttl/time.Second))),
							statecheck.CompareValuePairs(first, tfjsonpath.New("access_token"), second, tfjsonpath.New("access_token"), compare.ValuesDiffer()),
							statecheck.CompareValuePairs(first, tfjsonpath.New("refresh_token"), second, tfjsonpath.New("refresh_token"), compare.ValuesDiffer()),
						},
					}},
				})
				calls := mock.Calls(c.mock)
				if len(calls) != len(want) {
					t.Fatalf("%s received %d token calls, want %d", c.name, len(calls), len(want))
				}
				for i, w := range want {
					if calls[i].Op != w.op || calls[i].Status != w.status {
						t.Errorf("call %d = %s %d, want %s %d", i, calls[i].Op, calls[i].Status, w.op, w.status)
					}
				}
				// The refresh request carries the refresh token and no user credentials.
				form, field := map[string]string{"userIdentifier": "", "userSecret": ""}, "refreshToken"
				if c.oauth != nil {
					form, field = map[string]string{"grant_type": "refresh_token", "client_id": c.creds["client_id"],
						"client_secret": c.creds["client_secret"], "scope": c.scope, "username": "", "password": ""}, "refresh_token"
				}
				checkForm(t, calls[1], form)
				if calls[1].Form.Get(field) == "" {
					t.Errorf("the refresh request carried no %s", field)
				}
			})
		}
	}
}

// TestAccToken_emptyPassThroughValues sets account_id and project_id to
// empty strings, as the copyable smartling-token module can: the results
// keep the configured values, for the data source and the ephemeral resource.
func TestAccToken_emptyPassThroughValues(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	applyOnce(t, factories(nil), providerConfig(mock)+`
data "translationauth_smartling_token" "test" {
  account_id = ""
  project_id = ""
}
ephemeral "translationauth_smartling_token" "test" {
  account_id = ""
  project_id = ""
}
`+echoConfig("ephemeral.translationauth_smartling_token.test"),
		statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New("account_id"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue("data.translationauth_smartling_token.test", tfjsonpath.New("project_id"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("account_id"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("project_id"), knownvalue.StringExact("")),
	)
}
