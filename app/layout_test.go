package app_test

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The layers import in one direction only. This test walks the package
// graph (go list) and fails on any import the layout forbids.
func TestPackageGraph(t *testing.T) {
	const mod = "github.com/debrief-sre/debrief"
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	type pkg struct {
		ImportPath    string
		Imports, Deps []string
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	under := func(p, prefix string) bool { return p == mod+prefix || strings.HasPrefix(p, mod+prefix+"/") }
	rules := []struct {
		from   string // packages at or under mod+from
		why    string
		banned func(imp string) bool
		deps   bool // check every dependency, not only direct imports
	}{
		{"/views", "views knows only static", func(i string) bool {
			return strings.HasPrefix(i, mod+"/") && !under(i, "/static")
		}, false},
		{"/views", "views links no database code", func(i string) bool { return strings.HasPrefix(i, "gorm.io/") }, true},
		{"/models", "models knows nothing of HTTP or views", func(i string) bool {
			return under(i, "/app") || under(i, "/views") || under(i, "/cmd") || strings.HasPrefix(i, "github.com/labstack/echo")
		}, false},
		{"/models", "models/importing is a leaf: no other package of models imports it", func(i string) bool {
			return under(i, "/models/importing")
		}, false},
		{"/models", "models/insights is a leaf feature: nothing in models imports it", func(i string) bool { return under(i, "/models/insights") }, false},
		{"/app/web", "the kit knows no handler package", func(i string) bool {
			return under(i, "/app/pages") || under(i, "/app/api")
		}, false},
		{"/app/pages", "pages and the API are separate rooms", func(i string) bool { return under(i, "/app/api") }, false},
		{"/app/api", "pages and the API are separate rooms", func(i string) bool { return under(i, "/app/pages") }, false},
		{"/cmd/loadgen", "the load generator links no database layer", func(i string) bool {
			return strings.HasPrefix(i, "gorm.io/") || under(i, "/models")
		}, true},
		{"/static", "static imports nothing of ours", func(i string) bool { return strings.HasPrefix(i, mod+"/") }, false},
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, r := range rules {
			if !under(p.ImportPath, r.from) {
				continue
			}
			seen[r.from] = true
			list := p.Imports
			if r.deps {
				list = p.Deps
			}
			for _, imp := range list {
				if r.banned(imp) {
					t.Errorf("%s imports %s: %s", p.ImportPath, imp, r.why)
				}
			}
		}
	}
	for _, r := range rules {
		if !seen[r.from] {
			t.Errorf("no package under %s: the rule %q checks nothing", r.from, r.why)
		}
	}
}

// One clock: models.SystemClock is the only reader of the wall clock in
// models, app and views; everything else takes the injected clock (the
// database handle's, the kit's, the page's), so a test clock moves every
// timestamp.
func TestOneClock(t *testing.T) {
	eachSource(t, func(rel, src string) {
		if rel != filepath.Join("models", "clock.go") && strings.Contains(src, "time.Now(") {
			t.Errorf("%s reads the wall clock (time.Now); take the injected clock instead", rel)
		}
	})
}

// TestOneCSVWriter: every CSV Debrief writes goes through
// models.CSVWriter, which defuses spreadsheet formulas.
func TestOneCSVWriter(t *testing.T) {
	eachSource(t, func(rel, src string) {
		if rel != filepath.Join("models", "csv_writer.go") && strings.Contains(src, "csv.NewWriter(") {
			t.Errorf("%s writes CSV itself; use models.NewCSVWriter", rel)
		}
	})
}

// eachSource calls fn with every hand-written non-test source file (Go
// and templ) of models, app and views, outside test support packages.
func eachSource(t *testing.T, fn func(rel, src string)) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	testSupport := map[string]bool{"apptest": true, "jobstest": true, "notifytest": true, "dbtest": true, "e2e": true}
	for _, dir := range []string{"models", "app", "views"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if testSupport[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			name := d.Name()
			if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") ||
				!(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".templ")) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fn(rel, string(b))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
