package proxy

import (
	"context"
	"net"
	"testing"
)

type nopTokens struct{}

func (nopTokens) Token(context.Context) (string, error) { return "t", nil }
func (nopTokens) Invalidate(string)                     {}

// The listener is bound to 127.0.0.1, not to every interface.
func TestListensOnLoopbackOnly(t *testing.T) {
	p, err := Start(Config{Upstream: "https://api.example.com", Tokens: nopTokens{}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Close() }()
	addr, ok := p.ln.Addr().(*net.TCPAddr)
	if !ok || !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) || addr.Port == 0 {
		t.Errorf("listening on %v, want 127.0.0.1:<port>", p.ln.Addr())
	}
}
