// Package auth obtains access tokens from the translation platforms' token
// APIs. It is plain Go: one Adapter per platform behind one small interface,
// the token cache that decides between reuse, refresh and authentication, and
// the HTTP client with retries, timeouts and a user agent.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Operations, as named in errors and logs.
const (
	OpAuthenticate = "authenticate"
	OpRefresh      = "refresh"
)

// Token is what a token API issued. Adapters fill the wire values; the cache
// stamps IssuedAt with the time the request started.
//
// What the API reported (ExpiresIn, and so ExpiresAt) is kept apart from how
// long the cache may reuse the access token (lifetime): an answer without a
// lifetime reports none, yet its token is assumed to live the platform's
// default (AssumedLifetime), never forever.
type Token struct {
	AccessToken  string
	RefreshToken string
	// ExpiresIn is the lifetime the API reported; 0 when it reported none,
	// or one of 0 or less.
	ExpiresIn time.Duration
	// AssumedLifetime is how long the cache may reuse an access token whose
	// answer reported no lifetime (ExpiresIn 0): the platform's default when
	// the answer had none, 0 (never reused) when it reported 0 or less.
	AssumedLifetime  time.Duration
	RefreshExpiresIn time.Duration // 0: unknown
	IssuedAt         time.Time
	RequestID        string
}

// ExpiresAt is when the access token expires; zero when the API gave no lifetime.
func (t *Token) ExpiresAt() time.Time {
	if t.ExpiresIn <= 0 {
		return time.Time{}
	}
	return t.IssuedAt.Add(t.ExpiresIn)
}

// Lifetime is how long the cache may reuse the access token from IssuedAt:
// the lifetime the API reported, else the one assumed; 0 or less means never.
func (t *Token) Lifetime() time.Duration {
	if t.ExpiresIn > 0 {
		return t.ExpiresIn
	}
	return t.AssumedLifetime
}

// UsableUntil is when the access token stops being usable by the cache's
// reckoning (IssuedAt plus Lifetime), whether the API reported that lifetime
// or the platform's default was assumed; zero for a token never reused.
// ExpiresAt, not this, is what results report.
func (t *Token) UsableUntil() time.Time {
	if t.Lifetime() <= 0 {
		return time.Time{}
	}
	return t.IssuedAt.Add(t.Lifetime())
}

// RefreshExpiresAt is when the refresh token expires; zero when unknown.
func (t *Token) RefreshExpiresAt() time.Time {
	if t.RefreshExpiresIn <= 0 {
		return time.Time{}
	}
	return t.IssuedAt.Add(t.RefreshExpiresIn)
}

// validFor reports whether the access token may be used for at least d after
// now. A token with a lifetime of 0 or less is never reused.
func (t *Token) validFor(now time.Time, d time.Duration) bool {
	if t.AccessToken == "" || t.Lifetime() <= 0 {
		return false
	}
	return !t.IssuedAt.Add(t.Lifetime()).Before(now.Add(d))
}

// assumedLifetime is Token.AssumedLifetime for an answer that reported a
// lifetime or not: the platform's default def when it reported none.
func assumedLifetime(reported bool, def time.Duration) time.Duration {
	if reported {
		return 0
	}
	return def
}

// detailUnsafeToken explains why an access token with control characters,
// spaces or non-ASCII bytes is refused.
const detailUnsafeToken = "the access token contains characters an HTTP header cannot carry"

// unusableToken says why an issued access token cannot serve as a bearer
// token, or returns "" if it can. The token must be visible ASCII only: a
// control character (CR and LF above all), a space or a non-ASCII byte
// cannot go safely into "Authorization: Bearer <token>". The token type,
// when the API names one, must be Bearer in any case; typeField is its name
// in the answer. The detail is scrubbed and shortened with the error.
func unusableToken(accessToken, tokenType, typeField string) string {
	for i := 0; i < len(accessToken); i++ {
		if c := accessToken[i]; c <= ' ' || c >= 0x7f {
			return detailUnsafeToken
		}
	}
	if tokenType != "" && !strings.EqualFold(tokenType, "bearer") {
		return fmt.Sprintf("%s %q is not Bearer; this provider handles bearer tokens only", typeField, tokenType)
	}
	return ""
}

// Adapter authenticates to one platform with one credential set.
type Adapter interface {
	// Key identifies the credential set for the cache: platform, token URL,
	// identity and a keyed hash of the secrets, never a secret itself.
	Key() string
	// Platform names the platform.
	Platform() Platform
	// Authenticate obtains a new token from the credentials.
	Authenticate(ctx context.Context) (*Token, error)
	// Refresh exchanges a refresh token for a new token.
	Refresh(ctx context.Context, refreshToken string) (*Token, error)
}

// processKey keys the secret hashes: they are comparable within this process
// only, and useless to anyone who reads them elsewhere.
var processKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("auth: no randomness for the cache key: " + err.Error())
	}
	return k
}()

// cacheKey joins the public parts of a credential set with an HMAC of its
// secrets. Both encodings are unambiguous, so that distinct credential sets
// never share a key: each secret is hashed after its length, and each public
// part has "%" and the "|" separator escaped.
func cacheKey(p Platform, tokenURL string, identity []string, secrets []string) string {
	mac := hmac.New(sha256.New, processKey)
	for _, s := range secrets {
		mac.Write(binary.BigEndian.AppendUint64(nil, uint64(len(s))))
		mac.Write([]byte(s))
	}
	parts := append([]string{string(p), tokenURL}, identity...)
	for i, s := range parts {
		parts[i] = keyEscaper.Replace(s)
	}
	return strings.Join(parts, "|") + "|" + hex.EncodeToString(mac.Sum(nil))
}

var keyEscaper = strings.NewReplacer("%", "%25", "|", "%7C")
