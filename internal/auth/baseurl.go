package auth

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ValidateBaseURL checks that an API root is an absolute https URL, or a plain
// http URL on a loopback host (127.0.0.0/8, ::1, localhost), so that credentials
// never cross a network in clear text. It also rejects what cannot be a root:
// user info (credentials in URLs end up in logs), a query or a fragment.
func ValidateBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a valid URL: %s", urlErrorReason(err))
	}
	if u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q is not an absolute URL: it needs a scheme and a host, such as https://api.example.com", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%q contains user information; put credentials in their own attributes, never in the URL", redactUserInfo(u))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fmt.Errorf("%q has a query or fragment; give the API root only, such as https://api.example.com or https://proxy.example.com/prefix", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses plain http to a host that is not loopback; use https so that credentials are never sent in clear text (http is accepted only for 127.0.0.0/8, ::1 and localhost)", raw)
	default:
		return fmt.Errorf("%q has scheme %q; use https", raw, u.Scheme)
	}
}

// isLoopbackHost reports whether host is localhost or a loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func urlErrorReason(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

func redactUserInfo(u *url.URL) string {
	c := *u
	c.User = url.User("REDACTED")
	return c.String()
}
