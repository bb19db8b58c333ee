package provider

import "fmt"

// whoamiCalls is a copy of the helper tidy-provider-tests adds, until it is merged.
func whoamiCalls(proxyRef, name string, calls int, interval string) string {
	return fmt.Sprintf(`
provider "downstream" {
  base_url = %s.url
}

resource "downstream_calls" %q {
  path     = "/whoami"
  calls    = %d
  interval = %q
}
`, proxyRef, name, calls, interval)
}
