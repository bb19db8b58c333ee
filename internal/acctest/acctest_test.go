package acctest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// A failing check names the secret and where it stood, and never shows it,
// not even the part of one that overlaps another.
func TestExpectErrorWithout_neverShowsASecret(t *testing.T) {
	t.Parallel()
	secrets := []string{"", "abc-def", "def-ghi", "two\n  words"}
	for _, tc := range []struct{ msg, want string }{
		{"x abc-def-ghi y", "secret #2 (of 4) at byte 2 of its folded text: x <secret> y"},
		{"wrapped two\nwords here", "secret #4 (of 4) at byte 8 of its folded text: wrapped <secret> here"},
	} {
		err := ExpectErrorWithout(nil, secrets...)(errors.New(tc.msg))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want it to contain %q", tc.msg, err, tc.want)
			continue
		}
		for _, part := range []string{"abc", "def", "ghi", "two", "words"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("%q: the failure shows %q of a secret: %v", tc.msg, part, err)
			}
		}
	}
	if err := ExpectErrorWithout([]string{"needed"}, secrets...)(errors.New("a needed  text")); err != nil {
		t.Errorf("an error with the pattern and no secret: %v", err)
	}
}

// The string checks pass what they describe and fail the rest without
// printing the value, and name themselves for the harness's messages.
func TestStringChecks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		check knownvalue.Check
		value any
		ok    bool
	}{
		{"StringPrefix(\"Bearer \")", StringPrefix("Bearer "), "Bearer secret-token", true},
		{"StringPrefix(\"Bearer \")", StringPrefix("Bearer "), "Bearer ", false},
		{"StringPrefix(\"Bearer \")", StringPrefix("Bearer "), "Basic secret-token", false},
		{"StringPrefix(\"Bearer \")", StringPrefix("Bearer "), 42, false},
		{"MinLength(6)", MinLength(6), "secret", true},
		{"MinLength(7)", MinLength(7), "secret", false},
		{"MinLength(7)", MinLength(7), nil, false},
	} {
		err := tc.check.CheckValue(tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("%s on %T: error %v, want ok = %v", tc.name, tc.value, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the failure shows the value: %v", tc.name, err)
		}
		if got := fmt.Sprint(tc.check); got != tc.name {
			t.Errorf("String() = %q, want %q", got, tc.name)
		}
	}
}
