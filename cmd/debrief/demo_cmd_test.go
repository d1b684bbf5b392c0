package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestDemoCommand fills a new database, prints how to sign in, and refuses
// to run again on the filled database.
func TestDemoCommand(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "demo.db")}
		if dialect == models.DialectPostgres {
			env = map[string]string{"DATABASE_URL": dbtest.NewDSN(t, dialect).Conn}
		}
		code, out, errOut := runCmd(t, env, "demo")
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		for _, want := range []string{"dana@northwind.example", "admin", "viewer", "debrief-demo-2026", "356 public cloud post-mortems", "MIT licence"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		code, _, errOut = runCmd(t, env, "demo")
		if code != 1 || !strings.Contains(errOut, "the database is not empty (it has 9 users)") || !strings.Contains(errOut, "only fills an empty database") {
			t.Fatalf("second run: exit %d\n%s", code, errOut)
		}
		// A bad password stops the demo before it writes anything.
		fresh := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "fresh.db")}
		if dialect == models.DialectPostgres {
			fresh = map[string]string{"DATABASE_URL": dbtest.NewDSN(t, dialect).Conn}
		}
		code, _, errOut = runCmd(t, fresh, "demo", "--password", "short")
		if code != 1 || !strings.Contains(errOut, "at least 12 characters") {
			t.Fatalf("short password: exit %d %s", code, errOut)
		}
		code, out, _ = runCmd(t, fresh, "demo", "--password", "a-longer-demo-password")
		if code != 0 || !strings.Contains(out, "a-longer-demo-password") {
			t.Fatalf("after a refused password the database is not empty: exit %d\n%s", code, out)
		}
	})
}
