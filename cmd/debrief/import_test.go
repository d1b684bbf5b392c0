package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

const (
	cloudMappingPath = "../../docs/mappings/cloud_incidents.yaml"
	cloudCSVPath     = "../../models/testdata/cloud_incidents.csv"
)

// TestImportCommand imports the shared post-mortems from the command line
// on each database, imports them again (nothing changes), and refuses a
// file with a bad row as a whole.
func TestImportCommand(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		var env map[string]string
		if dialect == models.DialectSQLite {
			env = map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "d.db")}
		} else {
			env = map[string]string{"DATABASE_URL": dbtest.NewDSN(t, dialect).Conn}
		}
		code, out, errOut := runCmd(t, env, "import", "incidents", "--mapping", cloudMappingPath, cloudCSVPath)
		if code != 0 || !strings.Contains(out, "created:   356") || !strings.Contains(errOut, "writing: 356 of 356") {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		code, out, _ = runCmd(t, env, "import", "incidents", cloudCSVPath, "--mapping", cloudMappingPath)
		if code != 0 || !strings.Contains(out, "unchanged: 356") || !strings.Contains(out, "created:   0") {
			t.Fatalf("second import: exit %d\n%s", code, out)
		}
		data, err := os.ReadFile(cloudCSVPath)
		if err != nil {
			t.Fatal(err)
		}
		bad := filepath.Join(t.TempDir(), "bad.csv")
		os.WriteFile(bad, []byte(strings.Replace(string(data), "aws-10,AWS,2012-10-22,", "aws-10,AWS,yesterday,", 1)+
			"new-1,AWS,2022-01-01,A new one,5,,,,,,,https://example.com,\n"), 0o600)
		code, out, errOut = runCmd(t, env, "import", "incidents", "--dry-run", "--mapping", cloudMappingPath, bad)
		if code != 1 || !strings.Contains(out, "error: row at line 5 (aws-10), started_at:") || !strings.Contains(errOut, "1 rows rejected; nothing was imported") {
			t.Fatalf("bad file: exit %d\n%s\n%s", code, out, errOut)
		}
		code, _, errOut = runCmd(t, env, "import", "incidents", bad)
		if code != 2 || !strings.Contains(errOut, "usage: debrief import incidents --mapping") {
			t.Errorf("no mapping: exit %d %s", code, errOut)
		}
	})
}
