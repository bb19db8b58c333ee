package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Platform names a token API. Its value is the platform's display name, used in
// diagnostics and logs.
type Platform string

// The supported platforms.
const (
	Smartling     Platform = "Smartling"
	EasyTranslate Platform = "EasyTranslate"
	SmartConnect  Platform = "SmartConnect"
)

// Token paths appended to a platform's API root (base URL).
const (
	smartlingAuthenticatePath = "/auth-api/v2/authenticate"
	smartlingRefreshPath      = "/auth-api/v2/authenticate/refresh"
	easyTranslateTokenPath    = "/oauth/token"
	smartConnectTokenPath     = "/token"
	smartConnectSwaggerPath   = "/swagger"
)

// SmartlingDefaultBaseURL is Smartling's only API root; it has no public sandbox.
const SmartlingDefaultBaseURL = "https://api.smartling.com"

// EasyTranslate environments.
const (
	easyTranslateProduction = "production"
	easyTranslateSandbox    = "sandbox"
)

// Defaults of the EasyTranslate environment and scope attributes and of the
// SmartConnect region attribute.
const (
	DefaultEasyTranslateEnvironment = easyTranslateProduction
	DefaultEasyTranslateScope       = "dashboard"
	DefaultSmartConnectRegion       = "NA"
)

var easyTranslateHosts = map[string]string{
	easyTranslateProduction: "https://api.platform.easytranslate.com",
	easyTranslateSandbox:    "https://api.platform.sandbox.easytranslate.com",
}

// smartConnectHosts is the region table of SmartConnect's authentication guide.
var smartConnectHosts = map[string]string{
	"NA":  "https://apina.smartconnect.com",
	"NA2": "https://apina2.smartconnect.com",
	"NA3": "https://apina3.smartconnect.com",
	"UK":  "https://apieuk.smartconnect.com",
	"EU":  "https://apieuw.smartconnect.com",
	"EU2": "https://apieuw2.smartconnect.com",
	"AU":  "https://apiau.smartconnect.com",
}

// smartConnectRegions lists the region codes in the order of SmartConnect's guide.
var smartConnectRegions = []string{"NA", "NA2", "NA3", "UK", "EU", "EU2", "AU"}

// easyTranslateEnvironments lists the environments, production first.
var easyTranslateEnvironments = []string{easyTranslateProduction, easyTranslateSandbox}

// SmartConnectRegions returns the region codes SmartConnect documents.
func SmartConnectRegions() []string { return slices.Clone(smartConnectRegions) }

// EasyTranslateEnvironments returns the EasyTranslate environments.
func EasyTranslateEnvironments() []string { return slices.Clone(easyTranslateEnvironments) }

// SmartConnectEndpoints are the addresses of one SmartConnect region.
type SmartConnectEndpoints struct {
	Region     string
	TokenURL   string
	APIBaseURL string
	SwaggerURL string
}

// EasyTranslateEndpoints are the addresses of one EasyTranslate environment.
type EasyTranslateEndpoints struct {
	Environment string
	TokenURL    string
	APIBaseURL  string
}

// SmartConnectRegion returns the endpoints of a region code (exact, upper case).
func SmartConnectRegion(region string) (SmartConnectEndpoints, error) {
	host, ok := smartConnectHosts[region]
	if !ok {
		return SmartConnectEndpoints{}, fmt.Errorf("unknown SmartConnect region %q: valid regions are %s", region, strings.Join(smartConnectRegions, ", "))
	}
	return SmartConnectEndpointsFor(region, host), nil
}

// SmartConnectEndpointsFor returns the endpoints below an API root, for a
// base_url that overrides the region.
func SmartConnectEndpointsFor(region, baseURL string) SmartConnectEndpoints {
	root := TrimBaseURL(baseURL)
	return SmartConnectEndpoints{
		Region:     region,
		TokenURL:   root + smartConnectTokenPath,
		APIBaseURL: root,
		SwaggerURL: root + smartConnectSwaggerPath,
	}
}

// EasyTranslateEnvironment returns the endpoints of an environment name.
func EasyTranslateEnvironment(environment string) (EasyTranslateEndpoints, error) {
	host, ok := easyTranslateHosts[environment]
	if !ok {
		return EasyTranslateEndpoints{}, fmt.Errorf("unknown EasyTranslate environment %q: valid environments are %s", environment, strings.Join(easyTranslateEnvironments, ", "))
	}
	return easyTranslateEndpointsFor(environment, host), nil
}

// easyTranslateEndpointsFor returns the endpoints below an API root.
func easyTranslateEndpointsFor(environment, baseURL string) EasyTranslateEndpoints {
	root := TrimBaseURL(baseURL)
	return EasyTranslateEndpoints{
		Environment: environment,
		TokenURL:    root + easyTranslateTokenPath,
		APIBaseURL:  root,
	}
}

// TrimBaseURL returns an API root without trailing slashes, so that token paths
// can be appended while any path prefix is kept.
func TrimBaseURL(baseURL string) string { return strings.TrimRight(baseURL, "/") }
