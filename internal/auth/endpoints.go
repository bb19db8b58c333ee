package auth

import (
	"fmt"
	"strings"

	"github.com/translationauth/terraform-provider-translationauth/internal/platforms"
)

// Platform names a token API. Its value is the platform's display name, used in
// diagnostics and logs. It is defined in internal/platforms so that the mock
// APIs, which the auth tests use, are keyed by it too.
type Platform = platforms.Platform

// The supported platforms.
const (
	Smartling     = platforms.Smartling
	EasyTranslate = platforms.EasyTranslate
	SmartConnect  = platforms.SmartConnect
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

// HostTable is an ordered table of named API roots, SmartConnect's regions or
// EasyTranslate's environments, and the one lookup of their endpoints (E).
type HostTable[E any] struct {
	platform Platform
	kind     string      // what a name is, singular: "region"
	hosts    []namedRoot // in the order the platform documents them
	// below builds the endpoints of name below an API root.
	below func(name, root string) E
}

type namedRoot struct{ name, root string }

// Names returns the valid names, in the order the platform documents them.
func (t HostTable[E]) Names() []string {
	names := make([]string, len(t.hosts))
	for i, h := range t.hosts {
		names[i] = h.name
	}
	return names
}

// Root returns the API root of name (exact match), or an error listing the
// valid names.
func (t HostTable[E]) Root(name string) (string, error) {
	for _, h := range t.hosts {
		if h.name == name {
			return h.root, nil
		}
	}
	return "", fmt.Errorf("unknown %s %s %q: valid %ss are %s", t.platform, t.kind, name, t.kind, strings.Join(t.Names(), ", "))
}

// Endpoints returns the endpoints of name (exact match), or Root's error.
func (t HostTable[E]) Endpoints(name string) (E, error) {
	root, err := t.Root(name)
	if err != nil {
		var none E
		return none, err
	}
	return t.below(name, root), nil
}

// Below returns the endpoints of name below another API root, for a
// base_url that overrides the table's.
func (t HostTable[E]) Below(name, baseURL string) E { return t.below(name, TrimBaseURL(baseURL)) }

// EasyTranslateEndpoints are the addresses of one EasyTranslate environment.
type EasyTranslateEndpoints struct {
	Environment string
	TokenURL    string
	APIBaseURL  string
}

// SmartConnectEndpoints are the addresses of one SmartConnect region.
type SmartConnectEndpoints struct {
	Region     string
	TokenURL   string
	APIBaseURL string
	SwaggerURL string
}

// EasyTranslateHosts are the EasyTranslate environments, production first.
var EasyTranslateHosts = HostTable[EasyTranslateEndpoints]{platform: EasyTranslate, kind: "environment", hosts: []namedRoot{
	{easyTranslateProduction, "https://api.platform.easytranslate.com"},
	{easyTranslateSandbox, "https://api.platform.sandbox.easytranslate.com"},
}, below: func(environment, root string) EasyTranslateEndpoints {
	return EasyTranslateEndpoints{Environment: environment, TokenURL: root + easyTranslateTokenPath, APIBaseURL: root}
}}

// SmartConnectHosts is the region table of SmartConnect's authentication guide.
var SmartConnectHosts = HostTable[SmartConnectEndpoints]{platform: SmartConnect, kind: "region", hosts: []namedRoot{
	{"NA", "https://apina.smartconnect.com"},
	{"NA2", "https://apina2.smartconnect.com"},
	{"NA3", "https://apina3.smartconnect.com"},
	{"UK", "https://apieuk.smartconnect.com"},
	{"EU", "https://apieuw.smartconnect.com"},
	{"EU2", "https://apieuw2.smartconnect.com"},
	{"AU", "https://apiau.smartconnect.com"},
}, below: func(region, root string) SmartConnectEndpoints {
	return SmartConnectEndpoints{Region: region, TokenURL: root + smartConnectTokenPath, APIBaseURL: root,
		SwaggerURL: root + smartConnectSwaggerPath}
}}

// TrimBaseURL returns an API root without trailing slashes, so that token paths
// can be appended while any path prefix is kept.
func TrimBaseURL(baseURL string) string { return strings.TrimRight(baseURL, "/") }
