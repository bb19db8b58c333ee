package mockapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"
)

// tokenKey indexes issued tokens by hash, so the store stays small even
// though the tokens themselves are around a kilobyte.
type tokenKey [sha256.Size]byte

func keyOf(token string) tokenKey { return sha256.Sum256([]byte(token)) }

type accessToken struct {
	platform Platform
	identity string
	expires  time.Time // zero: never
}

type refreshToken struct {
	platform     Platform
	identity     string
	clientID     string    // OAuth: the client it was issued to
	scope        string    // OAuth: scopes granted
	sessionStart time.Time // Smartling: start of the session (for the cap)
	session      string    // Smartling: session state
	expires      time.Time // zero: never
}

// sweepEvery bounds the store: expired tokens are dropped every so many issues.
const sweepEvery = 4096

func (s *Server) storeAccess(token string, t accessToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access[keyOf(token)] = &t
	s.sweepLocked()
}

func (s *Server) storeRefresh(token string, t refreshToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh[keyOf(token)] = &t
	s.sweepLocked()
}

func (s *Server) sweepLocked() {
	s.issued++
	if s.issued < sweepEvery {
		return
	}
	s.issued = 0
	now := s.now()
	maps.DeleteFunc(s.access, func(_ tokenKey, t *accessToken) bool { return expired(t.expires, now) })
	maps.DeleteFunc(s.refresh, func(_ tokenKey, t *refreshToken) bool { return expired(t.expires, now) })
}

func expired(exp, now time.Time) bool { return !exp.IsZero() && !now.Before(exp) }

// lookupAccess finds a live access token of p.
func (s *Server) lookupAccess(p Platform, token string) (accessToken, bool) {
	if token == "" {
		return accessToken{}, false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.access[keyOf(token)]
	if !ok || t.platform != p || expired(t.expires, now) {
		return accessToken{}, false
	}
	return *t, true
}

// errUnknownRefresh: the refresh token is unknown, revoked, expired or of
// another platform.
var errUnknownRefresh = errors.New("unknown refresh token")

// useRefresh revokes a live refresh token of p and returns it, if check (run
// under the lock, so two requests cannot both use one token) accepts it. If
// check fails, the token is kept and check's error returned; check runs
// before the expiry test.
func (s *Server) useRefresh(p Platform, token string, now time.Time, check func(refreshToken) error) (refreshToken, error) {
	if token == "" {
		return refreshToken{}, errUnknownRefresh
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(token)
	t, ok := s.refresh[k]
	if !ok || t.platform != p {
		return refreshToken{}, errUnknownRefresh
	}
	if check != nil {
		if err := check(*t); err != nil {
			return refreshToken{}, err
		}
	}
	if expired(t.expires, now) {
		delete(s.refresh, k)
		return refreshToken{}, errUnknownRefresh
	}
	delete(s.refresh, k)
	return *t, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return b
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func newRequestID() string { return newUUID() }

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

// newJWT returns a random JWT-looking token: a real header and claims, and a
// random "signature" of sigLen bytes. It is never verified; the store decides
// whether a token is valid.
func newJWT(alg string, claims map[string]any, sigLen int) string {
	header := mustJSON(map[string]any{"alg": alg, "typ": "JWT", "kid": randomHex(8)})
	body, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	return b64(header) + "." + b64(body) + "." + b64(randomBytes(sigLen))
}

// secondsUntil is the whole number of seconds from now to t, never negative.
func secondsUntil(t, now time.Time) int64 {
	d := t.Sub(now)
	if d < 0 {
		return 0
	}
	return int64(d / time.Second)
}
