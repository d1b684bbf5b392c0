package views

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestViewsImportOnlyStatic keeps views a leaf: pages get view models
// built by app, so views imports no package of ours but static (no
// models, and with it no gorm or database drivers).
func TestViewsImportOnlyStatic(t *testing.T) {
	const (
		project = "github.com/debrief-sre/debrief/"
		allowed = project + "static"
	)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatalf("%s: import %s: %v", name, imp.Path.Value, err)
			}
			if strings.HasPrefix(path, project) && path != allowed {
				t.Errorf("%s imports %s: views may import only %s of this project; let app build a view model instead",
					fset.Position(imp.Pos()), path, allowed)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no Go files found in views")
	}
}
