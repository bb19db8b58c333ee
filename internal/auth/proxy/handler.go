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

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
)

// discardLog silences httputil.ReverseProxy and http.Server, whose error
// lines carry URLs.
var discardLog = log.New(io.Discard, "", 0)

// handler checks, authenticates and forwards requests.
type handler struct {
	prefix   string
	upstream *url.URL
	root     string // scheme://host of the upstream, for messages
	tokens   TokenSource
	logger   auth.Logger
	platform string // Config.Platform, for the log
	name     string // the platform or "the API", for messages
	rp       *httputil.ReverseProxy
}

// NewHandler returns the proxy's handler and its prefix, for serving it some
// other way (tests, benchmarks): requests must come to /<prefix>/X. If
// cfg.Transport is nil the handler gets a pooled transport that nothing
// closes; pass one to control idle connections.
func NewHandler(cfg Config) (http.Handler, string, error) {
	if cfg.Transport == nil {
		cfg.Transport = newTransport()
	}
	h, err := newHandler(cfg)
	if err != nil {
		return nil, "", err
	}
	return h, h.prefix, nil
}

func newHandler(cfg Config) (*handler, error) {
	name := cfg.Platform
	if name == "" {
		name = "the API"
	}
	if err := auth.ValidateBaseURL(cfg.Upstream); err != nil {
		return nil, fmt.Errorf("proxy for %s: invalid upstream: %w", name, err)
	}
	if cfg.Tokens == nil {
		return nil, fmt.Errorf("proxy for %s: no token source", name)
	}
	if cfg.Transport == nil {
		return nil, fmt.Errorf("proxy for %s: no transport", name)
	}
	u, err := url.Parse(cfg.Upstream)
	if err != nil { // ValidateBaseURL parsed it already
		return nil, fmt.Errorf("proxy for %s: invalid upstream: %w", name, err)
	}
	h := &handler{
		prefix:   newPrefix(),
		upstream: u,
		root:     u.Scheme + "://" + u.Host,
		tokens:   cfg.Tokens,
		logger:   cfg.Logger,
		platform: cfg.Platform,
		name:     name,
	}
	h.rp = &httputil.ReverseProxy{
		Rewrite:       h.rewrite,
		Transport:     &retryTransport{next: cfg.Transport, tokens: cfg.Tokens},
		FlushInterval: -1,
		ErrorLog:      discardLog,
		ErrorHandler:  h.upstreamError,
		BufferPool:    buffers,
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
	errClass          string // for the log line
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
		writeError(sw, ref.status, ref.code, ref.message)
		return
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
		writeError(sw, http.StatusBadRequest, ex.errClass, "could not read the request body")
		return
	}
	h.rp.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, ex)))
}

// refusal is an answer of the proxy's own to a request it does not forward.
type refusal struct {
	status        int
	code, message string
}

var (
	refuseNotFound = &refusal{http.StatusNotFound, "not_found", "not found"}
	refuseTarget   = &refusal{http.StatusBadRequest, "bad_request",
		"only a path may be requested (origin-form); CONNECT, absolute URLs and * are refused"}
	refuseHost = &refusal{http.StatusBadRequest, "bad_request",
		"the Host header must name a loopback host"}
	refusePath = &refusal{http.StatusBadRequest, "bad_request",
		"the path has a dot segment, an encoded slash or backslash, or an empty segment; only paths below the API root are forwarded"}
)

// route checks the request target and finds the path below the prefix.
func (h *handler) route(r *http.Request, ex *exchange) *refusal {
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
	pr.Out.Header.Set("Authorization", "Bearer "+ex.token)
}

// upstreamError answers when the upstream could not be reached or the
// request was cancelled.
func (h *handler) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	ex := exchangeOf(r.Context())
	code, msg := "upstream_unreachable", fmt.Sprintf("could not reach %s at %s: %s", h.name, h.root, describe(err))
	if r.Context().Err() != nil {
		code, msg = "canceled", "the request was cancelled before the API answered"
	}
	token := ""
	if ex != nil {
		ex.errClass = code
		token = ex.token
	}
	writeError(w, http.StatusBadGateway, code, h.redact(msg, token))
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
