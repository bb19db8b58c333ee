package provider

// Attribute names, each spelled once. Production code addresses attributes,
// settings and results only through these constants, so that a misspelt name
// fails to compile instead of panicking (platform.input) or reading an empty
// setting.
const (
	// The provider block's own settings.
	attrRequestTimeout = "request_timeout"
	attrMaxRetries     = "max_retries"
	attrCACertFile     = "ca_cert_file"
	attrCACertPEM      = "ca_cert_pem"

	// Arguments of the proxy face only (beside max_retries and
	// request_timeout, which default to the provider block's).
	attrMaxConcurrentRequests = "max_concurrent_requests"

	// Inputs: arguments of every face, and attributes of the platform blocks.
	attrMinValidity    = "min_validity"
	attrBaseURL        = "base_url"
	attrUserIdentifier = "user_identifier"
	attrUserSecret     = "user_secret"
	attrAccountID      = "account_id"
	attrProjectID      = "project_id"
	attrClientID       = "client_id"
	attrClientSecret   = "client_secret"
	attrUsername       = "username"
	attrPassword       = "password"
	attrScope          = "scope"
	attrEnvironment    = "environment"
	attrRegion         = "region"

	// Results of the token and proxy faces, the endpoint objects and the
	// regions data source.
	attrAccessToken         = "access_token"
	attrTokenType           = "token_type"
	attrAuthorizationHeader = "authorization_header"
	attrExpiresIn           = "expires_in"
	attrExpiresAt           = "expires_at"
	attrRefreshToken        = "refresh_token"
	attrRefreshExpiresIn    = "refresh_expires_in"
	attrRefreshExpiresAt    = "refresh_expires_at"
	attrURL                 = "url"
	attrAPIBaseURL          = "api_base_url"
	attrTokenURL            = "token_url"
	attrSwaggerURL          = "swagger_url"
	attrRegions             = "regions"
)
