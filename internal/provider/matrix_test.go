package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The reliability and security matrix in TESTING.md names the test that checks
// each fault and bad input. These tests keep it honest.

const matrixFile = "../../TESTING.md"

// matrixDocumented are the test files whose every test and fuzz target must
// appear in the matrix.
var matrixDocumented = []string{
	"failures_test.go",
	"security_test.go",
	"../auth/fuzz_test.go",
}

var (
	matrixTestName = regexp.MustCompile("`((?:Test|Fuzz)[A-Za-z0-9_]*(?:/[A-Za-z0-9_.-]+)*)`")
	testFunc       = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark|Example)[A-Za-z0-9_]*)\(`)
)

// matrixTests returns the test names of every row of TESTING.md's tables,
// failing for a row that names none.
func matrixTests(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(matrixFile)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	rows := 0
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		last := strings.TrimSpace(cells[len(cells)-1])
		if last == "Test" { // a header row
			continue
		}
		rows++
		found := matrixTestName.FindAllStringSubmatch(last, -1)
		if len(found) == 0 {
			t.Errorf("%s:%d: the row names no test in its last column: %s", matrixFile, i+1, line)
		}
		for _, m := range found {
			names = append(names, m[1])
		}
	}
	if rows < 40 {
		t.Fatalf("%s has %d table rows; the matrix was not parsed (or lost most of its rows)", matrixFile, rows)
	}
	return names
}

// testFuncs maps every test, fuzz, benchmark and example function of the
// module's internal packages to the file that declares it.
func testFuncs(t *testing.T) map[string]string {
	t.Helper()
	funcs := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(src), -1) {
			funcs[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return funcs
}

func TestTestingMatrix_namesExistingTests(t *testing.T) {
	t.Parallel()
	funcs := testFuncs(t)
	for _, name := range matrixTests(t) {
		base, sub, _ := strings.Cut(name, "/")
		file, ok := funcs[base]
		if !ok {
			t.Errorf("TESTING.md names %s, but no *_test.go under internal/ declares func %s(", name, base)
			continue
		}
		if sub == "" {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if part, ok := subtestNamed(funcBody(string(src), base), sub); !ok {
			t.Errorf("TESTING.md names the subtest %s, but %s does not name %q", name, base, part)
		}
	}
}

// funcBody is the source of a function, up to the next top-level func.
func funcBody(src, name string) string {
	i := strings.Index(src, "func "+name+"(")
	if i < 0 {
		return ""
	}
	if j := strings.Index(src[i+1:], "\nfunc "); j >= 0 {
		return src[i : i+1+j]
	}
	return src[i:]
}

// subtestNamed checks that a test's body names each part of a subtest path:
// as a string (t.Run turns spaces into underscores, so with spaces too), or,
// in a test that runs a grid of cells, as a platform's name or a face's.
// It returns the first part not named.
func subtestNamed(body, sub string) (string, bool) {
	for _, part := range strings.Split(sub, "/") {
		if strings.Contains(body, `"`+part+`"`) || strings.Contains(body, `"`+strings.ReplaceAll(part, "_", " ")+`"`) {
			continue
		}
		if !strings.Contains(body, "grid(") || !gridPart(part) {
			return part, false
		}
	}
	return "", true
}

// gridPart reports whether a subtest name part names a platform or a face.
func gridPart(part string) bool {
	for _, fx := range platformFixtures {
		if string(fx.name) == part {
			return true
		}
	}
	for _, f := range testFaces {
		if f.name == part {
			return true
		}
	}
	return false
}

// TestTestingMatrix_subtestNames checks the check above on names it must
// accept and refuse.
func TestTestingMatrix_subtestNames(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("token_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for sub, want := range map[string]bool{
		"SmartConnect/ephemeral":                      true,
		"Smartling/data_source/refreshed":             true,
		"Smartling/data_source/refresh_rejected":      true,
		"Smartling/data_source/nonexistent":           false,
		"Mars/data_source":                            false,
		"SmartConnect/ephemeral/unlisted_scenario_xy": false,
	} {
		if _, ok := subtestNamed(funcBody(string(src), "TestAccToken_refresh"), sub); ok != want {
			t.Errorf("TestAccToken_refresh/%s: named = %v, want %v", sub, ok, want)
		}
	}
	if _, ok := subtestNamed(funcBody(string(src), "TestAccToken_results"), "SmartConnect/ephemeral"); !ok {
		t.Error("TestAccToken_results/SmartConnect/ephemeral is not accepted")
	}
	if _, ok := subtestNamed(`func TestNoGrid(t *testing.T) { t.Run("x", nil) }`, "Smartling/data_source"); ok {
		t.Error("a test without a grid accepts grid names")
	}
}

func TestTestingMatrix_coversFailureAndSecurityTests(t *testing.T) {
	t.Parallel()
	named := map[string]bool{}
	for _, name := range matrixTests(t) {
		named[name] = true
		base, _, _ := strings.Cut(name, "/")
		named[base] = true
	}
	var missing []string
	for _, file := range matrixDocumented {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(src), -1) {
			if !named[m[1]] {
				missing = append(missing, m[1]+" ("+file+")")
			}
		}
	}
	// Every plan-time validation case has its own row entry.
	src, err := os.ReadFile("failures_test.go")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	if i := strings.Index(body, "func TestAccProvider_planTimeValidation("); i >= 0 {
		for _, m := range regexp.MustCompile(`\{name: "([A-Za-z0-9_]+)"`).FindAllStringSubmatch(body[i:], -1) {
			if name := "TestAccProvider_planTimeValidation/" + m[1]; !named[name] {
				missing = append(missing, name)
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s is not in TESTING.md's matrix", m)
	}
}
