package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// smartConnectPlatform is SmartConnect for the scenarios in oauth_token_test.go: an
// ASP.NET OAuth server that sends no scope, answers every token error with
// 400, spells the token type "bearer" and issues half-hour tokens.
var smartConnectPlatform = oauthPlatform{
	name:                 "SmartConnect",
	block:                "smartconnect",
	mock:                 mockapi.SmartConnect,
	selector:             "region",
	selectorDefault:      "NA",
	selectorOther:        "EU",
	selectorValues:       []string{"NA", "NA2", "NA3", "UK", "EU", "EU2", "AU"},
	clientID:             mockapi.DemoSmartConnectClientID,
	clientSecret:         mockapi.DemoSmartConnectClientSecret,
	username:             mockapi.DemoSmartConnectUsername,
	password:             mockapi.DemoSmartConnectPassword,
	ttl:                  1799 * time.Second,
	wrongPasswordStatus:  400,
	badRefreshStatus:     400,
	wrongClientStatus:    400,
	wrongPasswordMessage: "The user name or password is incorrect.",
	oauth:                func(c *mockapi.Config) *mockapi.OAuthConfig { return &c.SmartConnect },
	endpoints: func(root string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			"token_url":   knownvalue.StringExact(root + "/token"),
			"swagger_url": knownvalue.StringExact(root + "/swagger"),
		}
	},
}

func TestAccSmartConnectTokenDataSource_results(t *testing.T) {
	testOAuthTokenResults(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_noLifetime(t *testing.T) {
	testOAuthTokenNoLifetime(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_envCredentials(t *testing.T) {
	testOAuthTokenEnvCredentials(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_envInvalidRegion(t *testing.T) {
	testOAuthTokenEnvInvalidSelector(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_invalidRegion(t *testing.T) {
	testOAuthTokenInvalidSelector(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_wrongPassword(t *testing.T) {
	testOAuthTokenWrongPassword(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_wrongClient(t *testing.T) {
	testOAuthTokenWrongClient(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_specialCharacters(t *testing.T) {
	testOAuthTokenSpecialCharacters(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_baseURLOverridesRegion(t *testing.T) {
	testOAuthTokenBaseURLOverridesSelector(t, smartConnectPlatform, asDataSource)
}

func TestAccSmartConnectTokenDataSource_refresh(t *testing.T) {
	testOAuthTokenRefresh(t, smartConnectPlatform)
}

func TestAccSmartConnectTokenDataSource_refreshRejected(t *testing.T) {
	testOAuthTokenRefreshRejected(t, smartConnectPlatform)
}
