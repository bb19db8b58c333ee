package mockapi

import (
	"github.com/translationauth/terraform-provider-translationauth/internal/platforms"
	"testing"
	"time"
)

// The token store drops expired tokens as new ones are issued.
func TestSweepDropsExpiredTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newServer(Config{Now: func() time.Time { return now }})
	s.storeAccess("forever", accessToken{platform: platforms.SmartConnect})
	s.storeRefresh("forever", refreshToken{platform: platforms.SmartConnect})
	for i := 0; i < sweepEvery; i++ {
		s.storeAccess(randomHex(8), accessToken{platform: platforms.Smartling, expires: now.Add(time.Minute)})
	}
	now = now.Add(time.Minute)
	for i := 0; i < sweepEvery; i++ {
		s.storeRefresh(randomHex(8), refreshToken{platform: platforms.Smartling, expires: now.Add(-time.Second)})
	}
	// Tokens issued after the last sweep may remain; the rest are gone.
	if len(s.access) != 1 || len(s.refresh) > 10 {
		t.Errorf("after sweeps: %d access, %d refresh tokens", len(s.access), len(s.refresh))
	}
	if _, ok := s.lookupAccess(platforms.SmartConnect, "forever"); !ok {
		t.Error("token without expiry was swept")
	}
}
