package provider

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/nettest"
)

// networkEnv are the variables of the network settings: the proxy variables
// in both cases and the CA file's.
var networkEnv = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", envCACertFile}

// clearNetworkEnv unsets networkEnv for the test, which cannot then run in
// parallel.
func clearNetworkEnv(t *testing.T) {
	t.Helper()
	for _, v := range networkEnv {
		t.Setenv(v, "")
	}
}

// behindProxyConfig is a provider block with every platform's demo account
// at its mock API root behind n, plus args, then for every platform a token data source
// and a token ephemeral resource (echoed), and a Smartling proxy that the
// downstream provider calls once.
func behindProxyConfig(mock *mockapi.Server, n *nettest.Network, args string) string {
	var b strings.Builder
	b.WriteString("\nprovider \"translationauth\" {\n" + args + "\n")
	for _, fx := range platformFixtures {
		b.WriteString(fx.attribute(fx.demo(n.Rebase(mock.BaseURL(fx.mock)))))
	}
	b.WriteString("}\n")
	var tokenTypes []string
	for _, c := range grid(platformFixtures, asDataSource, asEphemeral) {
		b.WriteString(c.declare("t", ""))
		tokenTypes = append(tokenTypes, c.ref("t")+".token_type")
	}
	b.WriteString(echoConfig("[" + strings.Join(tokenTypes, ", ") + "]"))
	proxyType := smartling.typeName(proxyFace)
	fmt.Fprintf(&b, "\nephemeral %q \"api\" {}\n", proxyType)
	b.WriteString(whoamiCalls("ephemeral."+proxyType+".api", "through", 1, "0s"))
	return b.String()
}

// TestAccNetworks_behindForwardProxy runs, through the CLI with HTTPS_PROXY
// set, a token of every platform (data source and ephemeral resource) and a
// call through a Smartling proxy, against the mock served over TLS with a
// certificate from a private CA under a name only the forward proxy
// resolves: each way of trusting the CA succeeds through the proxy's
// tunnels; without it, the run fails with a TLS diagnostic that names the CA
// settings and no secret.
func TestAccNetworks_behindForwardProxy(t *testing.T) {
	clearEnv(t)
	clearNetworkEnv(t)
	mock := startMock(t, nil)
	n := nettest.BehindProxy(t, mock)
	t.Setenv("HTTPS_PROXY", n.Proxy.URL)
	t.Setenv("CHECKPOINT_DISABLE", "1") // the CLI would ask the proxy for checkpoint-api.hashicorp.com
	caFile := n.CA.WriteFile(t)
	cases := []struct {
		name   string
		args   string // provider arguments
		envCA  string // TRANSLATIONAUTH_CA_CERT_FILE
		denied bool   // the CA is not trusted: the run fails
	}{
		{name: "ca_cert_file", args: fmt.Sprintf("  ca_cert_file = %q", caFile)},
		{name: "ca_cert_pem", args: "  ca_cert_pem = <<-EOT\n" + string(n.CA.PEM) + "  EOT"},
		{name: "TRANSLATIONAUTH_CA_CERT_FILE", envCA: caFile},
		{name: "CA not trusted", denied: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(envCACertFile, c.envCA)
			mock.Reset()
			tunnels := n.Proxy.Tunnels()
			d := &downstream{}
			step := resource.TestStep{Config: behindProxyConfig(mock, n, c.args)}
			if c.denied {
				step.Check = mustFail
			} else {
				bearers := make([]knownvalue.Check, 2*len(platformFixtures)) // a data source and an ephemeral token each
				for i := range bearers {
					bearers[i] = knownvalue.StringExact("Bearer")
				}
				step.ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.ListExact(bearers)),
					statecheck.ExpectKnownValue("downstream_calls.through", tfjsonpath.New("succeeded"), knownvalue.Int64Exact(1)),
				}
			}
			tc := resource.TestCase{
				TerraformVersionChecks:   ephemeralVersions,
				ProtoV6ProviderFactories: proxyFactories(d),
				Steps:                    []resource.TestStep{step},
			}
			if c.denied {
				tc.ErrorCheck = acctest.ExpectErrorWithout([]string{"Token Request Failed", "TLS failure", "unknown authority",
					"translationauth test CA", "ca_cert_file", "ca_cert_pem", envCACertFile, "HTTPS_PROXY"}, demoSecrets()...)
			}
			resource.UnitTest(t, tc)
			if got := n.Proxy.Tunnels() - tunnels; got < 1 {
				t.Errorf("the forward proxy opened %d tunnels, want at least 1", got)
			}
			for _, h := range n.Proxy.Hosts() {
				if !strings.HasPrefix(h, nettest.Host+":") {
					t.Errorf("the forward proxy was asked for %s, want only %s", h, nettest.Host)
				}
			}
			for _, fx := range platformFixtures {
				if got := mock.Count(fx.mock, mockapi.OpAuthenticate); c.denied != (got == 0) {
					t.Errorf("%s got %d token requests (denied: %v)", fx.name, got, c.denied)
				}
			}
			if got, want := mock.Count(auth.Smartling, mockapi.OpWhoami), map[bool]int{false: 1, true: 0}[c.denied]; got != want {
				t.Errorf("the Smartling mock's /whoami got %d calls through the proxy, want %d", got, want)
			}
		})
	}
}

// TestAccNetworks_badCACertificates checks that each unusable CA setting is
// refused at plan time, naming the attribute (or the environment variable
// it came from), before any request.
func TestAccNetworks_badCACertificates(t *testing.T) {
	clearNetworkEnv(t)
	dir := t.TempDir()
	write := func(name, text string) string { return nettest.WriteFile(t, dir, name, text) }
	keyOnly, broken := nettest.KeyOnlyPEM, nettest.BrokenCertPEM
	missing := filepath.Join(dir, "missing.pem")
	cases := []struct {
		name  string
		args  string
		envCA string
		want  []string
	}{
		{"ca_cert_file missing", fmt.Sprintf("ca_cert_file = %q", missing),
			"", []string{"Invalid CA Certificate File", "ca_cert_file (set by the attribute ca_cert_file): " + missing + " does not exist"}},
		{"ca_cert_file a directory", fmt.Sprintf("ca_cert_file = %q", dir),
			"", []string{"Invalid CA Certificate File", dir + " cannot be read: is a directory"}},
		{"ca_cert_file empty", fmt.Sprintf("ca_cert_file = %q", write("empty.pem", "")),
			"", []string{"Invalid CA Certificate File", "empty.pem holds no PEM certificate"}},
		{"ca_cert_file PEM without a certificate", fmt.Sprintf("ca_cert_file = %q", write("key.pem", keyOnly)),
			"", []string{"Invalid CA Certificate File", "key.pem holds no PEM certificate"}},
		{"ca_cert_file certificate that does not parse", fmt.Sprintf("ca_cert_file = %q", write("broken.pem", broken)),
			"", []string{"Invalid CA Certificate File", "broken.pem holds a PEM certificate (block 1) that does not parse"}},
		{"ca_cert_pem without a certificate", fmt.Sprintf("ca_cert_pem = %q", keyOnly),
			"", []string{"Invalid CA Certificates", "ca_cert_pem holds no PEM certificate"}},
		{"ca_cert_pem not PEM", `ca_cert_pem = "/etc/ssl/corp.pem"`,
			"", []string{"Invalid CA Certificates", "ca_cert_pem holds no PEM certificate"}},
		{"TRANSLATIONAUTH_CA_CERT_FILE missing", "", missing,
			[]string{"Invalid CA Certificate File", "ca_cert_file (set by the environment variable TRANSLATIONAUTH_CA_CERT_FILE): " + missing + " does not exist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(envCACertFile, c.envCA)
			mock := startMock(t, nil)
			want := make([]string, len(c.want))
			for i, w := range c.want { // Terraform wraps long lines: any space may be a line break
				want[i] = strings.ReplaceAll(regexp.QuoteMeta(w), " ", `\s+`)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      providerConfigWith(mock, c.args) + grid(platformFixtures[:1], asDataSource)[0].test(""),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + strings.Join(want, ".*")),
				}},
			})
			for _, p := range mockapi.Platforms {
				if n := len(mock.Calls(p)); n != 0 {
					t.Errorf("%s received %d calls; bad input must be rejected before any request", p, n)
				}
			}
		})
	}
}

// TestAccNetworks_forwardProxyAsksForCredentials runs a token request through
// a forward proxy that answers 407: the diagnostic names the proxy variables
// and never the proxy's credentials.
func TestAccNetworks_forwardProxyAsksForCredentials(t *testing.T) {
	clearEnv(t)
	clearNetworkEnv(t)
	t.Setenv("CHECKPOINT_DISABLE", "1")
	const user, password = "build-bot", "proxy-pa55word"
	mock := startMock(t, nil)
	n := nettest.BehindProxy(t, mock)
	fp := nettest.StartForwardProxy(t, n.Upstream.Listener.Addr().String(), url.UserPassword(user, password))
	for _, c := range []struct {
		name, proxyURL string
		fragments      []string
	}{
		{"no credentials", fp.URL, []string{"407 Proxy Authentication Required", "give its credentials in HTTPS_PROXY or HTTP_PROXY"}},
		{"wrong credentials", fp.URLWithUser(url.UserPassword(user, "wrong-"+password)), []string{"407 Proxy Authentication Required", "refused the credentials in HTTPS_PROXY or HTTP_PROXY"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("HTTPS_PROXY", c.proxyURL)
			refused := fp.Refused()
			fx := platformFixtures[0]
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				ErrorCheck: acctest.ExpectErrorWithout(append(c.fragments, "forward proxy failure", fp.URL,
					"The forward proxy comes from HTTPS_PROXY or HTTP_PROXY"), append(demoSecrets(), password, user+":")...),
				Steps: []resource.TestStep{{
					Config: "\nprovider \"translationauth\" {\n  ca_cert_pem = <<-EOT\n" + string(n.CA.PEM) + "  EOT\n" +
						fx.attribute(fx.demo(n.Rebase(mock.BaseURL(fx.mock)))) + "}\n" + grid([]*platformFixture{fx}, asDataSource)[0].test(""),
					Check: mustFail,
				}},
			})
			if fp.Refused() == refused {
				t.Error("the forward proxy refused no tunnel")
			}
			if got := mock.Count(fx.mock, mockapi.OpAuthenticate); got != 0 {
				t.Errorf("the mock got %d token requests, want none", got)
			}
		})
	}
}

// TestAccNetworks_smartlingRejectionNamesTheAllowlist: Smartling refuses a
// machine outside the account's IP allowlist as it refuses a wrong secret,
// so the hint of a rejected credential mentions the allowlist.
func TestAccNetworks_smartlingRejectionNamesTheAllowlist(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	c := grid([]*platformFixture{fixture(smartling)}, asDataSource)[0]
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		ErrorCheck: acctest.ExpectErrorWithout([]string{"HTTP 401 AUTHENTICATION_ERROR", "Check user_identifier",
			"the account's IP allowlist may not include this machine's address", "HCP Terraform workers",
			"Running in CI, HCP Terraform and behind corporate proxies"}, "wrong-user-secret-1x"),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + c.test(`user_secret = "wrong-user-secret-1x"`),
			Check:  mustFail,
		}},
	})
}

// TestCACertValidators checks the CA attributes' validators alone: they run
// when Terraform validates the configuration, before the provider is
// configured, and name the attribute.
func TestCACertValidators(t *testing.T) {
	t.Parallel()
	ca := nettest.NewCA(t, "validator CA")
	missing := filepath.Join(t.TempDir(), "missing.pem")
	for _, c := range []struct {
		name  string
		v     validator.String
		value types.String
		want  string // "" for no diagnostic
	}{
		{"file: missing", caCertFileValidator, types.StringValue(missing), "ca_cert_file (set by the attribute ca_cert_file): " + missing + " does not exist"},
		{"file: a CA", caCertFileValidator, types.StringValue(ca.WriteFile(t)), ""},
		{"file: unknown", caCertFileValidator, types.StringUnknown(), ""},
		{"PEM: no certificate", caCertPEMValidator, types.StringValue("-----BEGIN X-----\nAA==\n-----END X-----\n"), "ca_cert_pem holds no PEM certificate"},
		{"PEM: a CA", caCertPEMValidator, types.StringValue(string(ca.PEM)), ""},
		{"PEM: null", caCertPEMValidator, types.StringNull(), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var resp validator.StringResponse
			c.v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: c.value}, &resp)
			got := ""
			for _, d := range resp.Diagnostics.Errors() {
				got += d.Detail()
			}
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Errorf("diagnostics %q, want %q", got, c.want)
			}
		})
	}
}
