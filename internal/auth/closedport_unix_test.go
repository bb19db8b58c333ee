//go:build unix

package auth

import (
	"fmt"
	"syscall"
	"testing"
)

// closedPort returns a loopback address where nothing listens, and that no
// other test can take meanwhile: the port stays bound to a socket that never
// listens, so a connection to it is refused for the whole test.
func closedPort(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("bound socket has address %T, want IPv4", sa)
	}
	return fmt.Sprintf("127.0.0.1:%d", in4.Port)
}
