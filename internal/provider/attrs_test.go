package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAttrs_namedOnlyInAttrsGo: production code spells an attribute name only
// in attrs.go and uses the constant everywhere else, so that a misspelt name
// fails to compile instead of reading an empty setting at run time.
func TestAttrs_namedOnlyInAttrsGo(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	attrsFile, err := parser.ParseFile(fset, "attrs.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // attribute name -> its constant
	ast.Inspect(attrsFile, func(n ast.Node) bool {
		if v, ok := n.(*ast.ValueSpec); ok {
			for i, id := range v.Names {
				if lit, ok := v.Values[i].(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					names[s] = id.Name
				}
			}
		}
		return true
	})
	if len(names) == 0 {
		t.Fatal("attrs.go declares no attribute names")
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name == "attrs.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, _ := strconv.Unquote(lit.Value); names[s] != "" {
				t.Errorf("%s: the attribute name %s is spelt out; use %s", fset.Position(lit.Pos()), lit.Value, names[s])
			}
			return true
		})
	}
}
