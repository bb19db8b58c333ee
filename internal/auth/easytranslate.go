package auth

import "time"

// EasyTranslate's token path below its API root, and the lifetime assumed
// for an access token whose answer has no expires_in: the year (31622400 s)
// its documentation shows.
const (
	easyTranslateTokenPath = "/oauth/token"
	easyTranslateLifetime  = 31622400 * time.Second
)

// NewEasyTranslate returns an adapter for EasyTranslate's {base_url}/oauth/token.
func NewEasyTranslate(c *Client, baseURL string, creds OAuthCredentials) *OAuthAdapter {
	creds.TokenURL = TrimBaseURL(baseURL) + easyTranslateTokenPath
	return newOAuth(c, EasyTranslate, creds, easyTranslateLifetime)
}
