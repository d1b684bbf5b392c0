//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/debrief-sre/debrief/models"
)

// TestMain lets the test binary stand in for the debrief binary in
// subprocesses (DEBRIEF_TEST_AS_MAIN=1), so fault checks can SIGKILL a real
// process without a separate go build.
func TestMain(m *testing.M) {
	if os.Getenv("DEBRIEF_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// debriefProcess is `debrief ARGS…` as a subprocess on DATABASE_URL.
func debriefProcess(t *testing.T, databaseURL string, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), "DEBRIEF_TEST_AS_MAIN=1", "DATABASE_URL="+databaseURL)
	return cmd
}

// bigCloudCSV writes the cloud post-mortems n times over, each copy with
// its own ids, and returns its path and row count.
func bigCloudCSV(t *testing.T, copies int) (string, int) {
	t.Helper()
	f, err := os.Open(cloudCSVPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	_ = w.Write(recs[0])
	rows := 0
	for c := range copies {
		for _, r := range recs[1:] {
			r = append([]string(nil), r...)
			r[0] = fmt.Sprintf("%s-copy%d", r[0], c)
			_ = w.Write(r)
			rows++
		}
	}
	w.Flush()
	if err := out.Close(); err != nil || w.Error() != nil {
		t.Fatal(err, w.Error())
	}
	return path, rows
}

func countRows(t *testing.T, path, table string) int64 {
	t.Helper()
	dsn, err := models.ParseDSN("sqlite:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s, _ := db.DB(); s.Close() }()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestKillDuringImport: `debrief import` SIGKILLed while it writes leaves
// no incident, component or audit entry of the import behind (one
// transaction, rolled back from SQLite's journal when the database opens
// next); importing the file again creates every row once, and a third run
// creates nothing more.
func TestKillDuringImport(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "d.db")
	dbURL := "sqlite:" + dbPath
	if out, err := debriefProcess(t, dbURL, "migrate").CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	csvPath, rows := bigCloudCSV(t, 12)
	auditBefore := countRows(t, dbPath, "audit_log")

	cmd := debriefProcess(t, dbURL, "import", "incidents", "--mapping", cloudMappingPath, csvPath)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	progress := regexp.MustCompile(`writing: (\d+) of (\d+)`)
	sc := bufio.NewScanner(stderr)
	killedAt := ""
	for sc.Scan() {
		m := progress.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		done, _ := strconv.Atoi(m[1])
		total, _ := strconv.Atoi(m[2])
		if done > 0 && done < total {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			killedAt = m[0]
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	err := cmd.Wait()
	if killedAt == "" {
		t.Fatalf("the import finished before it could be killed mid-way (%v): make the file bigger", err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("import was not killed: %v", err)
	}
	t.Logf("killed at %q", killedAt)

	for table, want := range map[string]int64{"incidents": 0, "components": 0, "audit_log": auditBefore} {
		if n := countRows(t, dbPath, table); n != want {
			t.Errorf("after the kill: %d rows in %s, want %d (a partial import remained)", n, table, want)
		}
	}

	for run := 1; run <= 2; run++ {
		out, err := debriefProcess(t, dbURL, "import", "incidents", "--mapping", cloudMappingPath, csvPath).CombinedOutput()
		if err != nil {
			t.Fatalf("import run %d after the kill: %v\n%s", run, err, tail(out))
		}
		if n := countRows(t, dbPath, "incidents"); n != int64(rows) {
			t.Fatalf("after import run %d: %d incidents, want %d", run, n, rows)
		}
	}
}

func tail(b []byte) string {
	s := string(b)
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return strings.TrimSpace(s)
}
