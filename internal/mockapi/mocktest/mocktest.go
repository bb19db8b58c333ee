// Package mocktest starts internal/mockapi for a test. It is the only piece
// of the mock that needs the testing package, kept apart so that the
// released translationauth-mockapi and every other production package build
// without it.
package mocktest

import (
	"testing"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

// New starts a mock for a test and closes it when the test ends.
func New(t testing.TB, cfg mockapi.Config) *mockapi.Server {
	t.Helper()
	s, err := mockapi.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}
