// Package proxy serves an authenticated local endpoint for one API: a request
// to {URL}/X is sent to {Upstream}/X with "Authorization: Bearer <token>",
// where the token comes fresh from a TokenSource for every request. It is
// plain Go (no Terraform); the provider's proxy ephemeral resources start and
// close it.
//
// # Threat model
//
// While it runs, the proxy can act as the user on the API. The URL it hands
// out is therefore a bearer capability, as good as a token that never expires
// but scoped to one API root and to the proxy's lifetime. The defences are
// against:
//
//   - other local processes and users that can connect to loopback ports
//     (shared CI runners, multi-user hosts, containers sharing the network
//     namespace): they do not know the prefix;
//   - web pages in a local browser (cross-site requests, DNS rebinding): they
//     do not know the prefix, and a Host header that does not name a loopback
//     host is refused;
//   - a client that holds the URL and tries to make the proxy send the token
//     elsewhere: to another host (absolute-form request targets, CONNECT) or
//     outside the API root (dot segments, raw or percent-encoded, and encoded
//     separators);
//   - logs and diagnostics, which end up in CI output: nothing logged or
//     answered carries the prefix, a token, a path, a query or a body.
//
// Out of scope: whoever can read the provider's memory or Terraform's
// ephemeral values, and whoever is legitimately given the URL.
//
// # Decisions
//
//   - Listener: 127.0.0.1 on a free port, never another interface.
//   - Prefix: 128 bits from crypto/rand as 32 hex characters, the first path
//     segment of the escaped path, compared with crypto/subtle. A request
//     outside it gets 404 with a fixed body and is never forwarded.
//   - Order of checks: TRACE (405), request-target form and Host (400), then
//     the prefix (404), then the path below the prefix (400). Nothing is
//     forwarded, and no token is fetched, unless all pass.
//   - Refusals: answered at once with Connection: close; the connection's
//     read deadline is set to a second, so that a body the client announced
//     and never sends cannot hold it (there is no server-wide ReadTimeout,
//     which would cut streamed uploads). At most 256 client connections are
//     open at once (netutil.LimitListener); more wait in the listen queue.
//   - Request target: origin-form only. Absolute-form is refused even when
//     it names the proxy itself, and so are CONNECT and "*".
//   - Path below the prefix: every segment is percent-decoded up to three
//     times (to catch double encoding); a segment that is "." or ".." at any
//     stage (also before a ";" parameter, as some servers read "..;"), or that
//     holds a "/", "\" or NUL once decoded, or an empty segment other than a
//     trailing one ("//"), is refused with 400. A literal segment such as
//     "a%252fb" is refused too; APIs do not need one.
//   - Target: scheme and host always come from Upstream (validated with
//     auth.ValidateBaseURL), never from the request; its path prefix is kept;
//     the Host header is the upstream's. {URL} alone maps to {Upstream}/.
//   - Query: passed on byte for byte (httputil.ReverseProxy would drop
//     parameters it cannot parse; the proxy decides nothing by the query).
//   - Headers: incoming Authorization and Proxy-Authorization are dropped and
//     the token set; Cookie is kept (it is the client's own). Hop-by-hop
//     headers (Connection and those it names, Keep-Alive, Proxy-Connection,
//     TE except "trailers", Transfer-Encoding, Upgrade) are removed both ways,
//     so protocol upgrades are not proxied. Forwarded, X-Forwarded-*,
//     X-Original-URL and X-Rewrite-URL from the client are removed (servers
//     that honour the last three would let a caller leave the API root) and
//     none are set: the client is always this
//     machine, and saying so tells the API nothing useful.
//   - Retry on 401: the first 401 of a request reports its token to
//     TokenSource.Invalidate, once per token however many requests get it.
//     The request is sent again, once, with a new token if its body can be
//     replayed: no body, or a body of known length up to MaxReplayBody, which
//     is buffered for that purpose. Larger bodies and bodies of unknown
//     length are streamed and their 401 is passed through. The second answer
//     is passed through whatever it is. A 401 to the token fetched after an
//     invalidation, before it has worked once, is the API's answer (a
//     permission problem): it passes through, and neither it nor any later
//     401 to that token invalidates it, so that N requests answered 401 cost
//     at most two token requests.
//   - Rate limits and passing failures: with Config.MaxRetries, a replayable
//     request answered 429 or 423 (any method), or 502, 503 or 504
//     (idempotent methods only: GET, HEAD, OPTIONS, PUT, DELETE; a POST or
//     PATCH may have had effects), is sent again after the answer's
//     Retry-After (seconds or HTTP-date) or auth.Backoff's jittered backoff,
//     the token client's own. A Retry-After beyond RetryAfterMax is not
//     waited for: that answer passes through at once, as does the last one
//     when the retries are spent. Waits end when the client goes away.
//   - Concurrency: with Config.MaxConcurrent, at most that many requests are
//     past the checks at once (a semaphore); the others wait, with no
//     error, until their client goes away or Close cuts them off.
//   - Request timeout: the upstream transport's ResponseHeaderTimeout
//     (Config.RequestTimeout) bounds the wait for response headers, never a
//     streamed body; past it the client gets 504 upstream_timeout.
//   - Location: an absolute Location under Upstream becomes the same place
//     under the proxy's URL, a root-relative one the same place under the
//     prefix; others pass unchanged.
//   - Bodies stream both ways; responses are flushed as they arrive.
//   - Errors of the proxy's own are JSON {"error": code, "message": text}:
//     502 token_unavailable (TokenSource failed; its message is secret-free by
//     contract), 502 upstream_unreachable, 504 upstream_timeout and 400
//     request_body (the client's body was malformed or cut off). Upstream answers, errors
//     included, pass through unchanged.
//   - Logging: Config.Logger gets one line per request with the platform,
//     method, status, duration, attempts and an error class, nothing else,
//     and one line per retry (status, wait) and per wait for a place.
//     The error logs of httputil.ReverseProxy and http.Server are discarded,
//     as they print URLs. Messages are also scrubbed of the prefix and the
//     request's token as a second line of defence.
//   - Close: stop accepting, let in-flight requests finish within
//     GracePeriod, then cancel them and close their connections, wait for
//     every handler, and close the idle upstream connections of the transport
//     the proxy made itself.
package proxy
