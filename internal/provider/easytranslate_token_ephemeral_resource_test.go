package provider

import "testing"

// The ephemeral resource shares its schema and request with the data source;
// these run the same scenarios through the echo provider (Terraform 1.10+).

func TestAccEasyTranslateTokenEphemeralResource_results(t *testing.T) {
	testOAuthTokenResults(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_noLifetime(t *testing.T) {
	testOAuthTokenNoLifetime(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_envCredentials(t *testing.T) {
	testOAuthTokenEnvCredentials(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_invalidEnvironment(t *testing.T) {
	testOAuthTokenInvalidSelector(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_wrongPassword(t *testing.T) {
	testOAuthTokenWrongPassword(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_wrongClient(t *testing.T) {
	testOAuthTokenWrongClient(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_specialCharacters(t *testing.T) {
	testOAuthTokenSpecialCharacters(t, easyTranslatePlatform, asEphemeral)
}

func TestAccEasyTranslateTokenEphemeralResource_baseURLOverridesEnvironment(t *testing.T) {
	testOAuthTokenBaseURLOverridesSelector(t, easyTranslatePlatform, asEphemeral)
}
