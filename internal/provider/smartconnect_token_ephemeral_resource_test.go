package provider

import "testing"

// The ephemeral resource shares its schema and request with the data source;
// these run the same scenarios through the echo provider (Terraform 1.10+).

func TestAccSmartConnectTokenEphemeralResource_results(t *testing.T) {
	testOAuthTokenResults(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_noLifetime(t *testing.T) {
	testOAuthTokenNoLifetime(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_envCredentials(t *testing.T) {
	testOAuthTokenEnvCredentials(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_invalidRegion(t *testing.T) {
	testOAuthTokenInvalidSelector(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_wrongPassword(t *testing.T) {
	testOAuthTokenWrongPassword(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_wrongClient(t *testing.T) {
	testOAuthTokenWrongClient(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_specialCharacters(t *testing.T) {
	testOAuthTokenSpecialCharacters(t, smartConnectPlatform, asEphemeral)
}

func TestAccSmartConnectTokenEphemeralResource_baseURLOverridesRegion(t *testing.T) {
	testOAuthTokenBaseURLOverridesSelector(t, smartConnectPlatform, asEphemeral)
}
