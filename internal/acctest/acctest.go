// Package acctest holds helpers for the provider's acceptance tests: value
// checks for knownvalue and state and plan checks that search for secrets.
package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// StringPrefix checks that a string value starts with prefix and has more after it.
func StringPrefix(prefix string) knownvalue.Check {
	return stringCheck{fmt.Sprintf("StringPrefix(%q)", prefix), func(s string) error {
		if !strings.HasPrefix(s, prefix) || len(s) == len(prefix) {
			return fmt.Errorf("expected a value starting with %q and longer than it", prefix)
		}
		return nil
	}}
}

// MinLength checks that a string value has at least n bytes, without printing it.
func MinLength(n int) knownvalue.Check {
	return stringCheck{fmt.Sprintf("MinLength(%d)", n), func(s string) error {
		if len(s) < n {
			return fmt.Errorf("expected at least %d bytes, got %d", n, len(s))
		}
		return nil
	}}
}

// stringCheck is a check of a string value that never prints the value,
// named for the failure messages of the test harness.
type stringCheck struct {
	name  string
	check func(string) error
}

func (c stringCheck) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string, got %T", v)
	}
	return c.check(s)
}

func (c stringCheck) String() string { return c.name }

// SecretsFunc returns the secret values to search for, when the check runs.
type SecretsFunc func() ([]string, error)

// FileContents reads secret values written to files during the test (for
// example by a provisioner that received an ephemeral token).
func FileContents(paths ...string) SecretsFunc {
	return func() ([]string, error) {
		var out []string
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", p, err)
			}
			if s := strings.TrimSpace(string(b)); s != "" {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("no secret was written to %v", paths)
		}
		return out, nil
	}
}

// StateLacks checks that no secret appears anywhere in the state.
func StateLacks(secrets SecretsFunc) statecheck.StateCheck { return stateLacks{secrets} }

type stateLacks struct{ secrets SecretsFunc }

func (c stateLacks) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = lacks("state", req.State, c.secrets)
}

// PlanLacks checks that no secret appears anywhere in the plan.
func PlanLacks(secrets SecretsFunc) plancheck.PlanCheck { return planLacks{secrets} }

type planLacks struct{ secrets SecretsFunc }

func (c planLacks) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = lacks("plan", req.Plan, c.secrets)
}

func lacks(what string, v any, secrets SecretsFunc) error {
	values, err := secrets()
	if err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for i, s := range values {
		if at := strings.Index(string(b), s); at >= 0 {
			return fmt.Errorf("the %s contains secret #%d (of %d) at byte %d of its JSON", what, i+1, len(values), at)
		}
	}
	return nil
}

// ExpectErrorWithout returns a TestCase ErrorCheck that passes an error which
// matches every pattern and contains none of the secrets, and fails otherwise.
// Terraform wraps long diagnostic lines, so white space is folded on both
// sides first: neither a pattern nor a secret with spaces escapes the check by
// being wrapped. Pair it with a step Check that fails, so that a step without
// an error fails too. A failure never repeats a secret: it names the secret by
// its number in the list and its place in the error, and quotes the error
// with every secret masked.
func ExpectErrorWithout(patterns []string, secrets ...string) func(error) error {
	return func(err error) error {
		if err == nil {
			return nil // the step's failing Check reports it
		}
		msg := fold(err.Error())
		for i, s := range secrets {
			if at := strings.Index(msg, fold(s)); fold(s) != "" && at >= 0 {
				return fmt.Errorf("the error contains secret #%d (of %d) at byte %d of its folded text: %s",
					i+1, len(secrets), at, mask(msg, secrets))
			}
		}
		for _, p := range patterns {
			if !strings.Contains(msg, fold(p)) {
				return fmt.Errorf("the error lacks %q: %w", p, err)
			}
		}
		return nil
	}
}

// mask hides every byte of a folded text that belongs to an occurrence of a
// secret, so that not even a part of one shows where two overlap.
func mask(msg string, secrets []string) string {
	hidden := make([]bool, len(msg))
	for _, s := range secrets {
		f := fold(s)
		for i := 0; f != "" && i+len(f) <= len(msg); i++ {
			if strings.HasPrefix(msg[i:], f) {
				for j := range len(f) {
					hidden[i+j] = true
				}
			}
		}
	}
	var b strings.Builder
	for i := range len(msg) {
		switch {
		case !hidden[i]:
			b.WriteByte(msg[i])
		case i == 0 || !hidden[i-1]:
			b.WriteString("<secret>")
		}
	}
	return b.String()
}

// fold turns every run of white space into one space.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }
