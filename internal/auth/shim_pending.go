package auth

// TEMPORARY: the API of the hardening branch, so that internal/provider
// compiles while that branch is under way. Deleted at its merge.

// Scope keeps apart token uses that must never share a token.
type Scope uint8

const (
	ScopeState     Scope = iota // data sources: the token is written to state
	ScopeEphemeral              // ephemeral resources and proxies: never in state
)

const KindRedirect ErrorKind = 100

// Invalidate stands in for the hardening branch's: it drops the saved token.
func (c *Cache) Invalidate(a Adapter, _ Scope, _ string) { c.Forget(a.Key()) }
