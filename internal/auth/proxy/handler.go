package proxy

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// discardLog silences httputil.ReverseProxy and http.Server, whose error
// lines carry URLs.
var discardLog = log.New(io.Discard, "", 0)

// handler checks, authenticates and forwards requests.
type handler struct {
	prefix   string
	self     string // the proxy's URL, for Location headers; set by Start
	upstream *url.URL
	rootPath string // the upstream's escaped path without a trailing slash
	root     string // scheme://host of the upstream, for messages
	tokens   TokenSource
	logger   auth.Logger
	platform string // Config.Platform, for the log
	name     string // the platform or "the API", for messages
	timeout  time.Duration
	slots    *semaphore.Weighted // nil: no limit
	rp       *httputil.ReverseProxy
}

// displayName names the API in messages: the platform, or "the API".
func displayName(cfg Config) string {
	if cfg.Platform == "" {
		return "the API"
	}
	return cfg.Platform
}

func newHandler(cfg Config) (*handler, error) {
	name := displayName(cfg)
	if err := auth.ValidateBaseURL(cfg.Upstream); err != nil {
		return nil, fmt.Errorf("proxy for %s: invalid upstream: %w", name, err)
	}
	if cfg.Tokens == nil {
		return nil, fmt.Errorf("proxy for %s: no token source", name)
	}
	if cfg.Transport == nil {
		return nil, fmt.Errorf("proxy for %s: no transport", name)
	}
	if cfg.MaxConcurrent < 0 || cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("proxy for %s: MaxConcurrent and MaxRetries must not be negative", name)
	}
	u, err := url.Parse(cfg.Upstream)
	if err != nil { // ValidateBaseURL parsed it already
		return nil, fmt.Errorf("proxy for %s: invalid upstream: %w", name, err)
	}
	h := &handler{
		prefix:   newPrefix(),
		upstream: u,
		rootPath: strings.TrimSuffix(u.EscapedPath(), "/"),
		root:     u.Scheme + "://" + u.Host,
		tokens:   cfg.Tokens,
		logger:   cfg.Logger,
		platform: cfg.Platform,
		name:     name,
		timeout:  requestTimeout(cfg),
	}
	if cfg.MaxConcurrent > 0 {
		h.slots = semaphore.NewWeighted(int64(cfg.MaxConcurrent))
	}
	h.rp = &httputil.ReverseProxy{
		Rewrite:        h.rewrite,
		Transport:      newRetryTransport(cfg, h),
		FlushInterval:  -1,
		ErrorLog:       discardLog,
		ErrorHandler:   h.upstreamError,
		ModifyResponse: h.modifyResponse,
		BufferPool:     buffers,
	}
	return h, nil
}

// bufferPool lends ReverseProxy its 32 KiB copy buffers, which it would
// otherwise allocate per request.
type bufferPool struct{ p sync.Pool }

var buffers = &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}

func (b *bufferPool) Get() []byte { return *b.p.Get().(*[]byte) } //nolint:forcetypeassert // New makes only these

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }

// newPrefix returns 128 random bits as 32 lower-case hex characters.
func newPrefix() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b)
}

// exchange is the state of one request, shared by the handler, the rewrite
// function and the retrying transport through the request's context. They
// all run on the handler's goroutine.
type exchange struct {
	tailPath, tailRaw string // the path below the prefix, decoded and as sent
	token             string // the token of the latest attempt
	replayable        bool   // the body can be sent again
	attempts          int
	retries           int    // of 429, 423 and 5xx answers
	renewed           bool   // a 401 was answered with a new token
	errClass          string // for the log line
	body              bodyReader
}

// bodyReader passes on a streamed request body and keeps the error that
// broke it off, so that a malformed body is reported as the client's fault,
// not the API's.
type bodyReader struct {
	io.ReadCloser
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

type exchangeKey struct{}

func exchangeOf(ctx context.Context) *exchange {
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	return ex
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	ex := &exchange{}
	defer func() {
		if v := recover(); v != nil {
			ex.errClass = "panic"
			if v == http.ErrAbortHandler {
				ex.errClass = "response_aborted" // ReverseProxy gave up mid-body
			}
			h.log(r, sw.status, start, ex)
			panic(v)
		}
		h.log(r, sw.status, start, ex)
	}()

	if ref := h.route(r, ex); ref != nil {
		ex.errClass = ref.code
		refuse(sw, ref)
		return
	}
	if h.slots != nil {
		if err := h.acquire(r.Context()); err != nil {
			ex.errClass = "canceled"
			writeError(sw, http.StatusBadGateway, ex.errClass, "the request was cancelled while it waited for a free upstream slot")
			return
		}
		defer h.slots.Release(1)
	}
	tok, err := h.tokens.Token(r.Context())
	if err != nil {
		ex.errClass = "token_unavailable"
		msg := fmt.Sprintf("could not get an access token for %s: %v", h.name, err)
		writeError(sw, http.StatusBadGateway, ex.errClass, h.redact(msg, ""))
		return
	}
	ex.token = tok
	if ex.replayable, err = bufferBody(r); err != nil {
		ex.errClass = "request_body"
		refuse(sw, refuseBody)
		return
	}
	if !ex.replayable { // streamed: watch it for a malformed body
		ex.body.ReadCloser = r.Body
		r.Body = &ex.body
	}
	h.rp.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, ex)))
}

// acquire takes one of the MaxConcurrent upstream slots, waiting for one if
// need be, until ctx ends (the client went away, or Close cut it off).
func (h *handler) acquire(ctx context.Context) error {
	if h.slots.TryAcquire(1) {
		return nil
	}
	if h.logger != nil {
		h.logger.Debug(ctx, "proxy request waits for a free upstream slot", map[string]any{"platform": h.platform})
	}
	return h.slots.Acquire(ctx, 1)
}

// refusal is an answer of the proxy's own to a request it does not forward.
type refusal struct {
	status        int
	code, message string
}

var (
	refuseNotFound = &refusal{http.StatusNotFound, "not_found", "not found"}
	refuseMethod   = &refusal{http.StatusMethodNotAllowed, "method_not_allowed", "TRACE is not forwarded"}
	refuseClosed   = &refusal{http.StatusServiceUnavailable, "closed", "the proxy is closed"}
	refuseBody     = &refusal{http.StatusBadRequest, "request_body",
		"could not read the request body: it is malformed or was cut off"}
	refuseTarget = &refusal{http.StatusBadRequest, "bad_request",
		"only a path may be requested (origin-form); CONNECT, absolute URLs and * are refused"}
	refuseHost = &refusal{http.StatusBadRequest, "bad_request",
		"the Host header must name a loopback host"}
	refusePath = &refusal{http.StatusBadRequest, "bad_request",
		"the path has a dot segment, an encoded slash or backslash, or an empty segment; only paths below the API root are forwarded"}
)

// refuse answers a request the proxy does not forward, and closes its
// connection: whatever the client still sends (a body it announced) is read
// for refusalReadTimeout at most, so that a refused request cannot hold its
// connection.
func refuse(w http.ResponseWriter, ref *refusal) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(refusalReadTimeout))
	w.Header().Set("Connection", "close")
	if ref == refuseMethod {
		w.Header().Set("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
	}
	writeError(w, ref.status, ref.code, ref.message)
}

// route checks the request target and finds the path below the prefix.
func (h *handler) route(r *http.Request, ex *exchange) *refusal {
	if r.Method == http.MethodTrace {
		return refuseMethod
	}
	if r.Method == http.MethodConnect || r.URL.Scheme != "" || r.URL.Host != "" || r.URL.Opaque != "" ||
		(r.RequestURI != "" && !strings.HasPrefix(r.RequestURI, "/")) {
		return refuseTarget
	}
	if !loopbackHost(r.Host) {
		return refuseHost
	}
	escaped := r.URL.EscapedPath()
	if !strings.HasPrefix(escaped, "/") {
		return refuseNotFound
	}
	first, rest, hasRest := strings.Cut(escaped[1:], "/")
	if subtle.ConstantTimeCompare([]byte(first), []byte(h.prefix)) != 1 {
		return refuseNotFound
	}
	if !hasRest {
		return nil // {URL} alone: the API root
	}
	tail := "/" + rest
	if unsafePath(tail) {
		return refusePath
	}
	decoded, err := url.PathUnescape(tail)
	if err != nil { // net/http parsed it, so it cannot happen
		return refusePath
	}
	ex.tailPath, ex.tailRaw = decoded, tail
	return nil
}

// loopbackHost reports whether a Host header names a loopback host (or is
// absent, as HTTP/1.0 allows): a defence against DNS rebinding.
func loopbackHost(hostport string) bool {
	if hostport == "" {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return auth.IsLoopbackHost(host)
}

// maxDecodes is how many rounds of percent-decoding a path segment is
// checked through; a segment still changing after that is refused.
const maxDecodes = 3

// unsafePath reports whether an escaped path, starting with "/", could leave
// the API root once some server along the way decodes or normalises it.
func unsafePath(escaped string) bool {
	segs := strings.Split(escaped[1:], "/")
	for i, seg := range segs {
		if seg == "" {
			if i == len(segs)-1 {
				continue // a trailing slash
			}
			return true // "//"
		}
		if unsafeSegment(seg) {
			return true
		}
	}
	return false
}

func unsafeSegment(seg string) bool {
	for range maxDecodes + 1 {
		if strings.ContainsAny(seg, "/\\\x00") {
			return true
		}
		if name, _, _ := strings.Cut(seg, ";"); name == "." || name == ".." {
			return true
		}
		dec, err := url.PathUnescape(seg)
		if err != nil || dec == seg {
			return false
		}
		seg = dec
	}
	return true
}

// bufferBody reads a small body of known length into memory so that the
// request can be sent again; it reports whether the request can be.
func bufferBody(r *http.Request) (bool, error) {
	switch {
	case r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0:
		return true, nil
	case r.ContentLength < 0 || r.ContentLength > MaxReplayBody:
		return false, nil
	}
	buf := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, buf); err != nil {
		return false, err
	}
	r.Body = io.NopCloser(bytes.NewReader(buf))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	return true, nil
}

// rewrite builds the upstream request: the upstream's scheme, host and path
// prefix, the path below the proxy's prefix, the query as sent, and the
// token in place of any credentials of the client's.
func (h *handler) rewrite(pr *httputil.ProxyRequest) {
	ex := exchangeOf(pr.In.Context())
	pr.Out.URL.Path, pr.Out.URL.RawPath = ex.tailPath, ex.tailRaw
	pr.SetURL(h.upstream)
	pr.Out.URL.RawQuery = pr.In.URL.RawQuery
	pr.Out.Host = h.upstream.Host
	// ReverseProxy put these back for a protocol upgrade; upgrades are not
	// proxied.
	pr.Out.Header.Del("Connection")
	pr.Out.Header.Del("Upgrade")
	pr.Out.Header.Del("Proxy-Authorization")
	// Headers that some servers read as the path or prefix the client asked
	// for: honoured, they would let a caller leave the API root.
	// ReverseProxy dropped X-Forwarded-For, -Host and -Proto already.
	for k := range pr.Out.Header {
		if strings.HasPrefix(k, "X-Forwarded-") || k == "X-Original-Url" || k == "X-Rewrite-Url" {
			delete(pr.Out.Header, k)
		}
	}
	pr.Out.Header.Set("Authorization", "Bearer "+ex.token)
}

// modifyResponse rewrites a Location under the upstream's root to the same
// place under the proxy's URL, so that redirects and the locations of
// created resources stay on the proxy.
func (h *handler) modifyResponse(resp *http.Response) error {
	if locs := resp.Header["Location"]; len(locs) == 1 { // the key as net/http stores it, without canonicalising
		if to, ok := h.rewriteLocation(locs[0]); ok {
			locs[0] = to
		}
	}
	return nil
}

// rewriteLocation maps an absolute URL under the upstream's root to the
// proxy's URL, and a root-relative one ("/api/x") to the proxy's path; it
// reports false for any other location.
func (h *handler) rewriteLocation(loc string) (string, bool) {
	u, err := url.Parse(loc)
	if err != nil || u.User != nil || u.Opaque != "" {
		return "", false
	}
	var base string
	switch {
	case u.Host == "" && u.Scheme == "" && strings.HasPrefix(loc, "/"):
		base = "/" + h.prefix
	case (u.Scheme == "" || strings.EqualFold(u.Scheme, h.upstream.Scheme)) && strings.EqualFold(u.Host, h.upstream.Host) &&
		h.self != "":
		base = h.self
	default:
		return "", false
	}
	path := u.EscapedPath()
	rest, ok := strings.CutPrefix(path, h.rootPath)
	if !ok || (rest != "" && rest[0] != '/') {
		return "", false
	}
	if u.ForceQuery || u.RawQuery != "" {
		rest += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		rest += "#" + u.EscapedFragment()
	}
	return base + rest, true
}

// upstreamError answers when the upstream could not be reached or the
// request was cancelled.
func (h *handler) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	ex := exchangeOf(r.Context())
	status, code := http.StatusBadGateway, "upstream_unreachable"
	msg := fmt.Sprintf("could not reach %s at %s: %s", h.name, h.root, describe(err))
	var netErr net.Error
	switch {
	case r.Context().Err() != nil:
		code, msg = "canceled", "the request was cancelled before the API answered"
	case ex != nil && ex.body.err != nil:
		ex.errClass = refuseBody.code
		refuse(w, refuseBody)
		return
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		status, code = http.StatusGatewayTimeout, "upstream_timeout"
		msg = fmt.Sprintf("%s at %s did not answer within the request timeout (%s)", h.name, h.root, h.timeout)
	}
	token := ""
	if ex != nil {
		ex.errClass = code
		token = ex.token
	}
	writeError(w, status, code, h.redact(msg, token))
}

// describe shortens a transport error to what went wrong, without a URL.
func describe(err error) string {
	var op *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &op) && op.Err != nil:
		return op.Op + ": " + op.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// redact removes the prefix and a token from a message, in case an error
// text ever carries one.
func (h *handler) redact(msg, token string) string {
	msg = strings.ReplaceAll(msg, h.prefix, "[prefix]")
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "[token]")
	}
	return msg
}

func (h *handler) log(r *http.Request, status int, start time.Time, ex *exchange) {
	if h.logger == nil {
		return
	}
	fields := map[string]any{
		"platform":    h.platform,
		"method":      r.Method,
		"status":      status,
		"duration_ms": time.Since(start).Milliseconds(),
		"attempts":    ex.attempts,
	}
	if ex.errClass != "" {
		fields["error"] = ex.errClass
	}
	h.logger.Debug(r.Context(), "proxy request", fields)
}

// writeError writes a JSON error of the proxy's own.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{code, message})
	body = append(body, '\n')
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// statusWriter records the final status for the log line. Unwrap lets
// http.ResponseController (used by ReverseProxy to flush) reach the original.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
