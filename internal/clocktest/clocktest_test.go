package clocktest_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/clocktest"
)

func TestClock(t *testing.T) {
	c := clocktest.New()
	if got := c.Now(); !got.Equal(clocktest.Start) {
		t.Fatalf("New().Now() = %v, want Start %v", got, clocktest.Start)
	}
	c.Advance(90 * time.Second)
	if got, want := c.Now(), clocktest.Start.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("after Advance(90s): Now() = %v, want %v", got, want)
	}
	if err := c.Sleep(context.Background(), 2*time.Second); err != nil {
		t.Fatalf("Sleep: %v", err)
	}
	if got, want := c.Now(), clocktest.Start.Add(92*time.Second); !got.Equal(want) {
		t.Errorf("after Sleep(2s): Now() = %v, want %v", got, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil {
		t.Errorf("Sleep on an ended context returned no error")
	}
	if got, want := c.Waits(), []time.Duration{2 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("Waits() = %v, want %v (a Sleep on an ended context is not a wait)", got, want)
	}
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c.Set(at)
	if got := c.Now(); !got.Equal(at) {
		t.Errorf("after Set: Now() = %v, want %v", got, at)
	}
}
