//go:build !unix

package auth

import (
	"net"
	"testing"
)

// closedPort returns a loopback address where nothing listens (another test
// may take the port meanwhile; closedport_unix_test.go holds it bound).
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
