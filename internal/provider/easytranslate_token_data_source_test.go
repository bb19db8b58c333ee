package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// easyTranslatePlatform is EasyTranslate for the scenarios in oauth_token_test.go: a
// Laravel Passport server that requires scope=dashboard, answers a wrong
// password with 400 and a wrong client with 401, and issues year-long tokens.
var easyTranslatePlatform = oauthPlatform{
	name:                 "EasyTranslate",
	block:                "easytranslate",
	mock:                 mockapi.EasyTranslate,
	selector:             "environment",
	selectorDefault:      "production",
	selectorOther:        "sandbox",
	selectorValues:       []string{"production", "sandbox"},
	clientID:             mockapi.DemoEasyTranslateClientID,
	clientSecret:         mockapi.DemoEasyTranslateClientSecret,
	username:             mockapi.DemoEasyTranslateUsername,
	password:             mockapi.DemoEasyTranslatePassword,
	ttl:                  31622400 * time.Second,
	scope:                "dashboard",
	wrongPasswordStatus:  400,
	badRefreshStatus:     401,
	wrongClientStatus:    401,
	wrongPasswordMessage: "The user credentials were incorrect.",
	oauth:                func(c *mockapi.Config) *mockapi.OAuthConfig { return &c.EasyTranslate },
	endpoints:            func(string) map[string]knownvalue.Check { return nil },
}

func TestAccEasyTranslateTokenDataSource_results(t *testing.T) {
	testOAuthTokenResults(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_noLifetime(t *testing.T) {
	testOAuthTokenNoLifetime(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_envCredentials(t *testing.T) {
	testOAuthTokenEnvCredentials(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_envInvalidEnvironment(t *testing.T) {
	testOAuthTokenEnvInvalidSelector(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_invalidEnvironment(t *testing.T) {
	testOAuthTokenInvalidSelector(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_wrongPassword(t *testing.T) {
	testOAuthTokenWrongPassword(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_wrongClient(t *testing.T) {
	testOAuthTokenWrongClient(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_specialCharacters(t *testing.T) {
	testOAuthTokenSpecialCharacters(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_baseURLOverridesEnvironment(t *testing.T) {
	testOAuthTokenBaseURLOverridesSelector(t, easyTranslatePlatform, asDataSource)
}

func TestAccEasyTranslateTokenDataSource_refresh(t *testing.T) {
	testOAuthTokenRefresh(t, easyTranslatePlatform)
}

func TestAccEasyTranslateTokenDataSource_refreshRejected(t *testing.T) {
	testOAuthTokenRefreshRejected(t, easyTranslatePlatform)
}
