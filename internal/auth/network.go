package auth

// The network settings shared by every request to a platform: token requests
// and the proxies' upstream requests go through one transport built here, so
// that extra trusted CAs and the forward proxy variables apply to both alike.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/net/http/httpproxy"
)

// maxIdleConnsPerHost keeps enough idle connections per platform host that a
// parallel apply does not open a connection per proxied request.
const maxIdleConnsPerHost = 64

// TransportOptions configure the transport of every request to a platform.
type TransportOptions struct {
	// CACerts are PEM texts whose certificates are trusted in addition to
	// the system's roots (a TLS-inspecting proxy, a private gateway). Each
	// must hold at least one certificate. There is no way to turn
	// certificate checks off.
	CACerts [][]byte
	// Proxy chooses each request's forward proxy; nil means HTTPS_PROXY,
	// HTTP_PROXY and NO_PROXY (either case) as the environment holds them
	// when NewTransport is called. Loopback hosts are never proxied.
	Proxy *httpproxy.Config
}

// NewTransport builds the pooled transport shared by token requests and the
// proxies' upstream requests: go-cleanhttp's timeouts, the system's trusted
// roots plus o.CACerts, and the forward proxy of o.Proxy. A forward proxy
// that refuses a tunnel fails the request with a *ProxyError.
func NewTransport(o TransportOptions) (*http.Transport, error) {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	proxy, err := proxyFunc(o.Proxy)
	if err != nil {
		return nil, err
	}
	t.Proxy = proxy
	t.OnProxyConnectResponse = checkProxyConnect
	if len(o.CACerts) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil { // no system roots on this machine: the extra ones alone
			pool = x509.NewCertPool()
		}
		for _, text := range o.CACerts {
			certs, err := ParseCACerts(text)
			if err != nil {
				return nil, err
			}
			for _, c := range certs {
				pool.AddCert(c)
			}
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return t, nil
}

// ReadCACertFile reads a PEM file of extra trusted CA certificates and checks
// that it holds at least one certificate. Its errors name the file, never its
// content.
func ReadCACertFile(path string) ([]byte, error) {
	text, err := os.ReadFile(path) //nolint:gosec // the user names the file to trust
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s does not exist", path)
	case err != nil:
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return nil, fmt.Errorf("%s cannot be read: %w", path, err)
	}
	if _, err := ParseCACerts(text); err != nil {
		return nil, fmt.Errorf("%s %w", path, err)
	}
	return text, nil
}

// ParseCACerts returns the certificates of a PEM text: every CERTIFICATE
// block, other blocks ignored. A block that does not parse, or a text without
// any certificate, is an error (worded to follow the text's name).
func ParseCACerts(text []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for n := 1; ; n++ {
		var block *pem.Block
		block, text = pem.Decode(text)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("holds a PEM certificate (block %d) that does not parse: %w", n, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)")
	}
	return certs, nil
}

// proxyFunc reads the forward proxy of each request from c, or from the
// environment now if c is nil. Unlike http.ProxyFromEnvironment, which reads
// the environment once per process, each transport reads it when it is
// built. A proxy variable that is not a URL is an error here: httpproxy would
// silently send every request around the proxy. The error never repeats the
// variable's value, which may hold the proxy's password.
func proxyFunc(c *httpproxy.Config) (func(*http.Request) (*url.URL, error), error) {
	if c == nil {
		c = httpproxy.FromEnvironment()
	}
	for _, v := range []struct{ name, value string }{{"HTTPS_PROXY", c.HTTPSProxy}, {"HTTP_PROXY", c.HTTPProxy}} {
		if !validProxy(v.value) {
			return nil, fmt.Errorf("the forward proxy variable %s (or %s) is not a valid URL", v.name, strings.ToLower(v.name))
		}
	}
	choose := c.ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return choose(r.URL) }, nil
}

// validProxy reports whether httpproxy can use a proxy variable's value: it
// takes a URL, or a host[:port] to which it prepends http://.
func validProxy(v string) bool {
	if _, err := url.Parse(v); err == nil {
		return true
	}
	_, err := url.Parse("http://" + v)
	return err == nil
}

// checkProxyConnect turns a forward proxy's refusal of a CONNECT tunnel into a
// *ProxyError; net/http would report only the status text.
func checkProxyConnect(_ context.Context, proxyURL *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return &ProxyError{
		Proxy:       redactedProxy(proxyURL),
		Status:      resp.StatusCode,
		credentials: proxyURL.User != nil,
	}
}

// redactedProxy is a proxy URL's scheme and host: never its user info.
func redactedProxy(u *url.URL) string {
	if u == nil {
		return ""
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}

// ProxyError is a forward proxy's refusal of a tunnel: the proxy that
// HTTPS_PROXY or HTTP_PROXY names answered CONNECT with another status than
// 200. It never carries the proxy's user info.
type ProxyError struct {
	Proxy       string // the proxy's scheme and host
	Status      int    // the proxy's answer to CONNECT, such as 407
	credentials bool   // the proxy variable carried user info
}

func (e *ProxyError) Error() string {
	switch {
	case e.Status == http.StatusProxyAuthRequired && e.credentials:
		return fmt.Sprintf("the forward proxy %s answered 407 Proxy Authentication Required: it refused the "+
			"credentials in HTTPS_PROXY or HTTP_PROXY", e.Proxy)
	case e.Status == http.StatusProxyAuthRequired:
		return fmt.Sprintf("the forward proxy %s answered 407 Proxy Authentication Required: give its credentials "+
			"in HTTPS_PROXY or HTTP_PROXY (http://user:password@host:port), or name the platform's host in NO_PROXY "+
			"if it is reachable without the proxy", e.Proxy)
	default:
		return fmt.Sprintf("the forward proxy %s refused the tunnel with HTTP %d %s; check HTTPS_PROXY, HTTP_PROXY "+
			"and NO_PROXY", e.Proxy, e.Status, http.StatusText(e.Status))
	}
}
