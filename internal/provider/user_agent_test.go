package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// uaVersion is the provider version of the User-Agent tests: not the "test"
// of the other tests, so that a hard-coded version cannot pass.
const uaVersion = "0.1.0-uatest"

// cliVersion is a version check that records the version of the CLI the
// harness runs, as the harness reports it.
type cliVersion struct{ version string }

func (c *cliVersion) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, _ *tfversion.CheckTerraformVersionResponse) {
	c.version = req.TerraformVersion.String()
}

// TestAccUserAgent checks, through the real CLI, that every token request
// of every platform's type sends the User-Agent
// terraform-provider-translationauth/<version> Terraform/<the CLI's version>,
// followed by TF_APPEND_USER_AGENT, trimmed, when it is set. Not parallel: it
// sets TF_APPEND_USER_AGENT.
func TestAccUserAgent(t *testing.T) {
	for _, f := range tokenFaces {
		for _, appended := range []struct{ name, value, want string }{
			{"without_TF_APPEND_USER_AGENT", "", ""},
			{"with_TF_APPEND_USER_AGENT", "  ci-pipeline/7 (run 42)\n", " ci-pipeline/7 (run 42)"},
		} {
			t.Run(f.name+"/"+appended.name, func(t *testing.T) {
				t.Setenv(auth.AppendUserAgentEnv, appended.value)
				mock := startMock(t, nil)
				cfg := providerConfig(mock)
				var tokenTypes []string
				var checks []statecheck.StateCheck
				for _, c := range grid(platformFixtures, f) {
					cfg += c.declare("t", "")
					if f.keyword == "data" {
						checks = append(checks, statecheck.ExpectKnownValue(c.ref("t"), tfjsonpath.New("token_type"), knownvalue.StringExact("Bearer")))
					}
					tokenTypes = append(tokenTypes, c.ref("t")+".token_type")
				}
				if f.keyword == "ephemeral" {
					cfg += echoConfig("[" + strings.Join(tokenTypes, ", ") + "]")
					bearers := make([]knownvalue.Check, len(tokenTypes))
					for i := range bearers {
						bearers[i] = knownvalue.StringExact("Bearer")
					}
					checks = append(checks, statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.ListExact(bearers)))
				}
				cli := &cliVersion{}
				resource.UnitTest(t, resource.TestCase{
					TerraformVersionChecks:   slices.Concat(f.versionChecks(), []tfversion.TerraformVersionCheck{cli}),
					ProtoV6ProviderFactories: versionFactories(uaVersion, nil),
					Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
				})
				if cli.version == "" {
					t.Fatal("the harness reported no CLI version")
				}
				checkUserAgents(t, mock, fmt.Sprintf("terraform-provider-translationauth/%s Terraform/%s%s", uaVersion, cli.version, appended.want))
			})
		}
	}
}

// checkUserAgents checks that every platform got at least one token request
// and that each one sent the User-Agent want.
func checkUserAgents(t *testing.T, mock *mockapi.Server, want string) {
	t.Helper()
	for _, p := range mockapi.Platforms {
		n := 0
		for _, c := range mock.Calls(p) {
			if c.Op == mockapi.OpWhoami {
				continue
			}
			n++
			if ua := c.Header.Get("User-Agent"); ua != want {
				t.Errorf("%s %s request sent User-Agent %q, want %q", p, c.Op, ua, want)
			}
		}
		if n == 0 {
			t.Errorf("no token request reached the %s mock", p)
		}
	}
}
