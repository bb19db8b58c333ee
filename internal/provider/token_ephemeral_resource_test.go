package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/translationauth/terraform-provider-translationauth/internal/acctest"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// TestAccTokenEphemeralResource_smartling opens
// ephemeral.translationauth_smartling_token with the demo account given as
// its own arguments, at testNow, and surfaces it through the echo provider:
// every result it returns, written out (TestAccToken_results runs the grid).
// Like every configuration with an ephemeral block, applyOnce skips it
// below Terraform 1.10 (tfversion.SkipBelow) and OpenTofu 1.11.
func TestAccTokenEphemeralResource_smartling(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	data := tfjsonpath.New("data")
	applyOnce(t, factories(clocktest.At(testNow).Now), fmt.Sprintf(`
ephemeral "translationauth_smartling_token" "test" {
  user_identifier = %q
  user_secret     = %q
  base_url        = %q
  account_id      = "acct-1"
}

provider "echo" {
  data = ephemeral.translationauth_smartling_token.test
}

resource "echo" "test" {}
`, mockapi.DemoSmartlingUserIdentifier, mockapi.DemoSmartlingUserSecret, mock.BaseURL(auth.Smartling)+"/"),
		// The arguments, as the configuration sets them.
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("user_identifier"), knownvalue.StringExact(mockapi.DemoSmartlingUserIdentifier)),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("user_secret"), knownvalue.StringExact(mockapi.DemoSmartlingUserSecret)),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("base_url"), knownvalue.StringExact(mock.BaseURL(auth.Smartling)+"/")),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("account_id"), knownvalue.StringExact("acct-1")),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("project_id"), knownvalue.Null()),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("min_validity"), knownvalue.Null()),
		// The token the mock issued at testNow.
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("access_token"), acctest.MinLength(500)),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("token_type"), knownvalue.StringExact("Bearer")),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("authorization_header"), acctest.StringPrefix("Bearer ey")),
		statecheck.CompareValuePairs("echo.test", data.AtMapKey("authorization_header"), "echo.test", data.AtMapKey("access_token"), bearerOf{}),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("expires_in"), knownvalue.Int64Exact(480)),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("expires_at"), knownvalue.StringExact("2026-11-21T12:08:00Z")),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("refresh_token"), acctest.MinLength(500)),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("refresh_expires_in"), knownvalue.Int64Exact(3660)),
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("refresh_expires_at"), knownvalue.StringExact("2026-11-21T13:01:00Z")),
		// Where the token is for: base_url without its trailing slash.
		statecheck.ExpectKnownValue("echo.test", data.AtMapKey("api_base_url"), knownvalue.StringExact(mock.BaseURL(auth.Smartling))),
	)
	wantTokenCalls(t, mock, auth.Smartling, 1, 0) // plan and apply share the ephemeral scope's token
}

// TestAccTokenEphemeralResource_renew makes Terraform call Renew: a
// second ephemeral resource depends on the first and its mock answers slowly,
// so the first one's RenewAt passes while it is open. Renew refreshes the
// session, and the mock's log shows that refresh inside the slow request.
func TestAccTokenEphemeralResource_renew(t *testing.T) {
	t.Parallel()
	mock := startMock(t, func(c *mockapi.Config) { c.Smartling.AccessTTL = 4 * time.Second })
	const slow = 5 * time.Second
	mock.Inject(auth.EasyTranslate, mockapi.Fault{Delay: slow})
	applyOnce(t, factories(nil), providerConfig(mock)+`
ephemeral "translationauth_smartling_token" "first" {
  min_validity = "1s"
}
ephemeral "translationauth_easytranslate_token" "slow" {
  min_validity = ephemeral.translationauth_smartling_token.first.token_type == "Bearer" ? "60s" : "61s"
}`+echoConfig("ephemeral.translationauth_easytranslate_token.slow.token_type"),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.StringExact("Bearer")),
	)
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

// TestTokenEphemeralResource_renewWarnsOnce drives Open, Renew and
// Close through the provider's protocol server, as Terraform does, to check
// the private data, RenewAt and the one-time warning.
func TestTokenEphemeralResource_renewWarnsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mock := startMock(t, nil)
	// The provider's clock jumps to each RenewAt, as time would pass between
	// Terraform's calls; the mock keeps real time, so its tokens stay valid.
	clock := clocktest.At(time.Now())
	srv, err := providerserver.NewProtocol6WithError(newFactory("test", clock.Now, testRetryWait)())()
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
	issued := clock.Now()
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

	clock.Set(opened.RenewAt)
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

	clock.Set(renewed.RenewAt)
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

// TestRenewAt checks when Terraform is asked to renew an open token: at
// min_validity before the token stops being usable, but not before half its
// life, whether the API reported the lifetime or the platform's default was
// assumed (SmartConnect's documented answer has no expires_in).
func TestRenewAt(t *testing.T) {
	issued := clocktest.Start
	cases := []struct {
		name  string
		token auth.Token
		want  time.Time
	}{
		{"reported lifetime, min_validity before expiry",
			auth.Token{ExpiresIn: 480 * time.Second, IssuedAt: issued}, issued.Add(420 * time.Second)},
		{"assumed lifetime, min_validity before the assumed expiry",
			auth.Token{AssumedLifetime: 1799 * time.Second, IssuedAt: issued}, issued.Add(1739 * time.Second)},
		{"short lifetime, not before half of it",
			auth.Token{ExpiresIn: 100 * time.Second, IssuedAt: issued}, issued.Add(50 * time.Second)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := renewAt(c.token, time.Minute); !got.Equal(c.want) {
				t.Errorf("renewAt(min_validity 60s) = %v, want %v", got, c.want)
			}
		})
	}
}

// TestAccTokenEphemeralResource_neverTheDataSourceToken reads a data source
// and an ephemeral resource with the same credentials, both at apply (they
// depend on a resource created then): the ephemeral token is not the one the
// data source wrote to state.
func TestAccTokenEphemeralResource_neverTheDataSourceToken(t *testing.T) {
	t.Parallel()
	mock := startMock(t, nil)
	applyOnce(t, factories(nil), providerConfig(mock)+`
resource "terraform_data" "later" {
  input = "known only at apply"
}
data "translationauth_smartling_token" "state" {
  project_id = terraform_data.later.output == "" ? "x" : "p"
}
ephemeral "translationauth_smartling_token" "test" {
  project_id = terraform_data.later.output == "" ? "x" : "p"
}
`+echoConfig("ephemeral.translationauth_smartling_token.test"),
		statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("project_id"), knownvalue.StringExact("p")),
		statecheck.CompareValuePairs(
			"data.translationauth_smartling_token.state", tfjsonpath.New("access_token"),
			"echo.test", tfjsonpath.New("data").AtMapKey("access_token"),
			compare.ValuesDiffer()),
	)
	// One authenticate for the state scope and one for the ephemeral scope,
	// however many times Terraform opened the ephemeral resource.
	wantTokenCalls(t, mock, auth.Smartling, 2, 0)
}
