package acctest

import (
	"errors"
	"strings"
	"testing"
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
