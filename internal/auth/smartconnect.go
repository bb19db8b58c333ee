package auth

import "time"

// SmartConnect's token and Swagger paths below a region's API root, and the
// lifetime assumed for an access token whose answer has no expires_in (its
// documented example has none): 1799 s, as the vendor's own client assumes.
const (
	smartConnectTokenPath   = "/token"
	smartConnectSwaggerPath = "/swagger"
	smartConnectLifetime    = 1799 * time.Second
)

// NewSmartConnect returns an adapter for SmartConnect's {base_url}/token.
func NewSmartConnect(c *Client, baseURL string, creds OAuthCredentials) *OAuthAdapter {
	creds.TokenURL = TrimBaseURL(baseURL) + smartConnectTokenPath
	return newOAuth(c, SmartConnect, creds, smartConnectLifetime)
}
