package auth

import (
	"fmt"
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

// HostTable is an ordered table of named API roots: SmartConnect's regions or
// EasyTranslate's environments.
type HostTable struct {
	platform Platform
	kind     string      // what a name is, singular: "region"
	hosts    []namedRoot // in the order the platform documents them
}

type namedRoot struct{ name, root string }

// Names returns the valid names, in the order the platform documents them.
func (t HostTable) Names() []string {
	names := make([]string, len(t.hosts))
	for i, h := range t.hosts {
		names[i] = h.name
	}
	return names
}

// Root returns the API root of name (exact match), or an error listing the
// valid names.
func (t HostTable) Root(name string) (string, error) {
	for _, h := range t.hosts {
		if h.name == name {
			return h.root, nil
		}
	}
	return "", fmt.Errorf("unknown %s %s %q: valid %ss are %s", t.platform, t.kind, name, t.kind, strings.Join(t.Names(), ", "))
}

// EasyTranslateHosts are the API roots of the EasyTranslate environments.
var EasyTranslateHosts = HostTable{platform: EasyTranslate, kind: "environment", hosts: []namedRoot{
	{easyTranslateProduction, "https://api.platform.easytranslate.com"},
	{easyTranslateSandbox, "https://api.platform.sandbox.easytranslate.com"},
}}

// SmartConnectHosts is the region table of SmartConnect's authentication guide.
var SmartConnectHosts = HostTable{platform: SmartConnect, kind: "region", hosts: []namedRoot{
	{"NA", "https://apina.smartconnect.com"},
	{"NA2", "https://apina2.smartconnect.com"},
	{"NA3", "https://apina3.smartconnect.com"},
	{"UK", "https://apieuk.smartconnect.com"},
	{"EU", "https://apieuw.smartconnect.com"},
	{"EU2", "https://apieuw2.smartconnect.com"},
	{"AU", "https://apiau.smartconnect.com"},
}}

// SmartConnectRegions returns the region codes SmartConnect documents.
func SmartConnectRegions() []string { return SmartConnectHosts.Names() }

// EasyTranslateEnvironments returns the EasyTranslate environments, production first.
func EasyTranslateEnvironments() []string { return EasyTranslateHosts.Names() }

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

// endpoints returns what below builds for name from name's API root in the
// table, or the table's error for a name it does not hold.
func endpoints[E any](t HostTable, name string, below func(name, root string) E) (E, error) {
	root, err := t.Root(name)
	if err != nil {
		var none E
		return none, err
	}
	return below(name, root), nil
}

// SmartConnectRegion returns the endpoints of a region code (exact, upper case).
func SmartConnectRegion(region string) (SmartConnectEndpoints, error) {
	return endpoints(SmartConnectHosts, region, SmartConnectEndpointsFor)
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
	return endpoints(EasyTranslateHosts, environment, easyTranslateEndpointsFor)
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
