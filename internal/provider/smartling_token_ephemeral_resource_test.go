package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// TestAccSmartlingTokenEphemeralResource_renew makes Terraform call Renew: a
// second ephemeral resource depends on the first and its mock answers slowly,
// so the first one's RenewAt passes while it is open. Renew refreshes the
// session, and the mock's log shows that refresh inside the slow request.
func TestAccSmartlingTokenEphemeralResource_renew(t *testing.T) {
	t.Parallel()
	mock := startMock(t, func(c *mockapi.Config) { c.Smartling.AccessTTL = 4 * time.Second })
	const slow = 5 * time.Second
	mock.Inject(auth.EasyTranslate, mockapi.Fault{Delay: slow})
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(mock) + `
ephemeral "translationauth_smartling_token" "first" {
  min_validity = "1s"
}
ephemeral "translationauth_easytranslate_token" "slow" {
  min_validity = ephemeral.translationauth_smartling_token.first.token_type == "Bearer" ? "60s" : "61s"
}` + echoConfig("ephemeral.translationauth_easytranslate_token.slow.token_type"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.StringExact("Bearer")),
			},
		}},
	})
	slowCall := mock.Calls(auth.EasyTranslate)[0]
	if slowCall.End.Sub(slowCall.Start) < slow {
		t.Fatalf("the first EasyTranslate call took %s, want at least %s", slowCall.End.Sub(slowCall.Start), slow)
	}
	for _, c := range mock.Calls(auth.Smartling) {
		if c.Op == mockapi.OpRefresh && c.Status == http.StatusOK && c.Start.After(slowCall.Start) && c.Start.Before(slowCall.End) {
			return // Renew ran while the slow resource was being opened.
		}
	}
	t.Fatalf("no Smartling refresh happened while the slow ephemeral resource was opening: Renew did not run")
}

// TestSmartlingTokenEphemeralResource_renewWarnsOnce drives Open, Renew and
// Close through the provider's protocol server, as Terraform does, to check
// the private data, RenewAt and the one-time warning.
func TestSmartlingTokenEphemeralResource_renewWarnsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mock := startMock(t, nil)
	// The provider's clock jumps to each RenewAt, as time would pass between
	// Terraform's calls; the mock keeps real time, so its tokens stay valid.
	var clockMu sync.Mutex
	now := time.Now()
	clock := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
	advanceTo := func(t time.Time) { clockMu.Lock(); defer clockMu.Unlock(); now = t }
	srv, err := providerserver.NewProtocol6WithError(newFactory("test", clock, testRetryWait)())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType, _ := schemas.Provider.ValueType().(tftypes.Object)
	cfg := mustDynamic(t, providerType, map[string]tftypes.Value{
		"smartling": objectValue(providerType.AttributeTypes["smartling"], map[string]tftypes.Value{
			"user_identifier": tftypes.NewValue(tftypes.String, mockapi.DemoSmartlingUserIdentifier),
			"user_secret":     tftypes.NewValue(tftypes.String, mockapi.DemoSmartlingUserSecret),
			"base_url":        tftypes.NewValue(tftypes.String, mock.BaseURL(auth.Smartling)),
		}),
	})
	if resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: cfg}); err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}

	const typeName = "translationauth_smartling_token"
	ephType := schemas.EphemeralResourceSchemas[typeName].ValueType()
	opened, err := srv.OpenEphemeralResource(ctx, &tfprotov6.OpenEphemeralResourceRequest{
		TypeName: typeName,
		Config:   mustDynamic(t, ephType, nil),
	})
	if err != nil || len(opened.Diagnostics) > 0 {
		t.Fatalf("open: %v %v", err, opened.Diagnostics)
	}
	issued := clock()
	if want := issued.Add(480*time.Second - defaultMinValidity); opened.RenewAt.Before(want.Add(-5*time.Second)) || opened.RenewAt.After(want) {
		t.Errorf("RenewAt = %v, want about %v (expiry less min_validity)", opened.RenewAt, want)
	}
	var private map[string][]byte // the framework base64-encodes each key's JSON
	if err := json.Unmarshal(opened.Private, &private); err != nil {
		t.Fatal(err)
	}
	if p := string(private[privateKey]); strings.Contains(p, mockapi.DemoSmartlingUserSecret) || !strings.Contains(p, `"handle"`) {
		t.Errorf("private data should hold a handle and no secret: %s", p)
	}
	result, err := opened.Result.Unmarshal(ephType)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := result.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var expiresAt string
	if err := attrs["expires_at"].As(&expiresAt); err != nil {
		t.Fatal(err)
	}

	advanceTo(opened.RenewAt)
	renewed, err := srv.RenewEphemeralResource(ctx, &tfprotov6.RenewEphemeralResourceRequest{TypeName: typeName, Private: opened.Private})
	if err != nil {
		t.Fatal(err)
	}
	if len(renewed.Diagnostics) != 1 || renewed.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(renewed.Diagnostics[0].Detail, "ephemeral."+typeName) ||
		!strings.Contains(renewed.Diagnostics[0].Detail, expiresAt) {
		t.Fatalf("renew diagnostics = %+v, want one warning naming the resource and the expiry %s", renewed.Diagnostics, expiresAt)
	}
	if n := mock.Count(auth.Smartling, mockapi.OpRefresh); n != 1 {
		t.Errorf("refresh calls after Renew = %d, want 1", n)
	}
	if renewed.RenewAt.IsZero() {
		t.Error("Renew set no next RenewAt: the cached session would not be kept fresh")
	}

	advanceTo(renewed.RenewAt)
	again, err := srv.RenewEphemeralResource(ctx, &tfprotov6.RenewEphemeralResourceRequest{TypeName: typeName, Private: renewed.Private})
	if err != nil || len(again.Diagnostics) != 0 {
		t.Fatalf("second renew: %v %+v, want no second warning", err, again.Diagnostics)
	}

	closed, err := srv.CloseEphemeralResource(ctx, &tfprotov6.CloseEphemeralResourceRequest{TypeName: typeName, Private: again.Private})
	if err != nil || len(closed.Diagnostics) != 0 {
		t.Fatalf("close: %v %+v", err, closed.Diagnostics)
	}
	after, err := srv.RenewEphemeralResource(ctx, &tfprotov6.RenewEphemeralResourceRequest{TypeName: typeName, Private: again.Private})
	if err != nil || len(after.Diagnostics) != 0 || !after.RenewAt.IsZero() {
		t.Fatalf("renew after close: %v %+v %v, want nothing", err, after.Diagnostics, after.RenewAt)
	}
	if n := mock.Count(auth.Smartling, mockapi.OpRefresh); n != 2 {
		t.Errorf("refresh calls = %d, want 2 (none after close)", n)
	}
}

// objectValue builds an object of type typ with the given attributes and
// every other attribute null.
func objectValue(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	obj, _ := typ.(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func mustDynamic(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, objectValue(typ, set))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// unknownSecretConfig takes the provider's user secret from a value Terraform
// learns only during apply.
func unknownSecretConfig(mock *mockapi.Server) string {
	fx := fixture(smartling)
	hcl := merge(fx.demo(mock.BaseURL(fx.mock)), map[string]string{"user_secret": "terraform_data.secret.output"})
	return fmt.Sprintf("\nresource \"terraform_data\" \"secret\" {\n  input = %q\n}\n", fx.creds["user_secret"]) +
		"provider \"translationauth\" {\n" + fx.attribute(hcl) + "}\n"
}

// TestAccEphemeral_unknownProviderValue plans with a provider secret that is
// unknown until apply, through each ephemeral face: the plan gets unknown
// results, opens no proxy and sends no request; the apply gets the token, or
// starts a proxy that serves the downstream provider. OpenTofu (1.12) refuses
// unknown results from an ephemeral resource, so there the plan fails with
// its own message, and still no request goes out.
func TestAccEphemeral_unknownProviderValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		face   string
		config string // after the provider block
		check  statecheck.StateCheck
		op     string // the call that shows the apply went through
	}{
		{face: "token", config: `
ephemeral "translationauth_smartling_token" "test" {}` + echoConfig("ephemeral.translationauth_smartling_token.test.token_type"),
			check: statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.StringExact("Bearer")),
			op:    mockapi.OpAuthenticate},
		{face: "proxy", config: `
ephemeral "translationauth_smartling_proxy" "api" {}
provider "downstream" {
  base_url = ephemeral.translationauth_smartling_proxy.api.url
}
resource "downstream_calls" "one" {
  path     = "/whoami"
  calls    = 1
  interval = "0s"
}
`,
			check: statecheck.ExpectKnownValue("downstream_calls.one", tfjsonpath.New("succeeded"), knownvalue.Int64Exact(1)),
			op:    mockapi.OpWhoami},
	}
	openTofu := os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
	for _, c := range cases {
		t.Run(c.face, func(t *testing.T) {
			t.Parallel()
			mock := startMock(t, nil)
			step := resource.TestStep{
				Config:            unknownSecretConfig(mock) + c.config,
				ConfigStateChecks: []statecheck.StateCheck{c.check},
			}
			if openTofu {
				step.ConfigStateChecks = nil
				step.ExpectError = regexp.MustCompile(`not\s+wholly\s+known`)
			}
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   ephemeralVersions,
				ProtoV6ProviderFactories: proxyFactories(&downstream{}),
				Steps:                    []resource.TestStep{step},
			})
			calls := mock.Calls(auth.Smartling)
			if openTofu {
				if len(calls) != 0 {
					t.Errorf("%d requests were sent with an unknown secret, want none", len(calls))
				}
				return
			}
			for _, call := range calls {
				if call.Op != mockapi.OpWhoami && (call.Status != http.StatusOK || call.Form.Get("userSecret") != mockapi.DemoSmartlingUserSecret) {
					t.Errorf("a token request went out with an unknown or wrong secret: HTTP %d", call.Status)
				}
			}
			if n := mock.Count(auth.Smartling, c.op); n != 1 {
				t.Errorf("the mock answered %d %s calls once the secret was known, want 1", n, c.op)
			}
		})
	}
}
