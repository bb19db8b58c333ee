// Package platforms names the token APIs, for internal/auth (auth.Platform
// is this type) and for internal/mockapi, which imitates them and which the
// auth tests use, so that neither has to import the other.
package platforms

// Platform names a token API. Its value is the platform's display name, used
// in diagnostics and logs.
type Platform string

// The supported platforms.
const (
	Smartling     Platform = "Smartling"
	EasyTranslate Platform = "EasyTranslate"
	SmartConnect  Platform = "SmartConnect"
)
