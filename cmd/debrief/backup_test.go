package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

func openSQLite(t *testing.T, path string) *gorm.DB {
	t.Helper()
	dsn, err := models.ParseDSN("sqlite:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 4, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sqlDB, _ := db.DB()
		sqlDB.Close()
	})
	return db
}

// tableCounts counts the rows of every table of a SQLite database.
func tableCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	var names []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.Raw(`SELECT count(*) FROM "` + n + `"`).Scan(&c).Error; err != nil {
			t.Fatalf("count %s: %v", n, err)
		}
		out[n] = c
	}
	return out
}

// TestBackupWhileWritingRestoresOneMoment backs up a SQLite database
// while a writer keeps adding teams (each with a member and an audit entry,
// in one transaction), restores the backup into a new path and checks that
// every table holds exactly the source's rows as of one moment: the
// source's final rows minus those the writer added after that moment.
func TestBackupWhileWritingRestoresOneMoment(t *testing.T) {
	dir := t.TempDir()
	src, backup, restored := filepath.Join(dir, "live.db"), filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored", "debrief.db")
	if err := os.Mkdir(filepath.Dir(restored), 0o755); err != nil {
		t.Fatal(err)
	}
	srcEnv := map[string]string{"DATABASE_URL": "sqlite:" + src}
	if code, _, stderr := runCmd(t, srcEnv, "demo", "--password", "correct horse battery staple"); code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	db := openSQLite(t, src)
	ctx := context.Background()
	var member models.User
	if err := db.Where("role = ?", models.RoleMember).Order("id").Take(&member).Error; err != nil {
		t.Fatal(err)
	}

	// The writer: one team after another until told to stop, counting
	// the commits.
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_, err := models.CreateTeam(ctx, db, models.SystemActor("writer"), models.NewTeam{
				Name: fmt.Sprintf("Backup writer %d", i), Slug: fmt.Sprintf("bk-%d", i), Members: []string{member.Email},
			})
			if err != nil {
				t.Errorf("writer: %v", err)
				return
			}
			written.Add(1)
		}
	})
	waitFor := func(n int64) {
		for written.Load() < n {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	waitFor(3)
	before := written.Load()
	code, stdout, stderr := runCmd(t, srcEnv, "backup", backup)
	if code != 0 {
		close(stop)
		wg.Wait()
		t.Fatalf("backup: %d %s %s", code, stdout, stderr)
	}
	after := written.Load()
	waitFor(after + 3)
	close(stop)
	wg.Wait()
	final := tableCounts(t, db)

	// A second backup to the same file is refused.
	if code, _, stderr := runCmd(t, srcEnv, "backup", backup); code == 0 || !strings.Contains(stderr, "exists") {
		t.Fatalf("backup over an existing file: %d %s", code, stderr)
	}

	dstEnv := map[string]string{"DATABASE_URL": "sqlite:" + restored}
	if code, _, stderr := runCmd(t, dstEnv, "restore", backup); code != 0 {
		t.Fatalf("restore: %d %s", code, stderr)
	}
	// Restoring again finds a database there and refuses.
	if code, _, stderr := runCmd(t, dstEnv, "restore", backup); code == 0 || !strings.Contains(stderr, "empty location") {
		t.Fatalf("restore over a database: %d %s", code, stderr)
	}

	got := openSQLite(t, restored)
	counts := tableCounts(t, got)
	// The moment of the backup: the last writer team it holds.
	var maxTeam int64
	if err := got.Raw("SELECT coalesce(max(id), 0) FROM teams").Scan(&maxTeam).Error; err != nil {
		t.Fatal(err)
	}
	var inBackup int64
	got.Raw("SELECT count(*) FROM teams WHERE slug LIKE 'bk-%'").Scan(&inBackup)
	if inBackup < before || inBackup > after {
		t.Fatalf("the backup holds %d writer teams; the writer had committed %d when it started and %d when it ended", inBackup, before, after)
	}
	var laterIDs []string
	db.Raw("SELECT CAST(id AS TEXT) FROM teams WHERE id > ?", maxTeam).Scan(&laterIDs)
	later := map[string]int64{"teams": int64(len(laterIDs))}
	var laterMembers, laterAudit int64
	db.Raw("SELECT count(*) FROM team_members WHERE team_id > ?", maxTeam).Scan(&laterMembers)
	db.Raw("SELECT count(*) FROM audit_log WHERE object_type = 'team' AND object_id IN ?", append(laterIDs, "none")).Scan(&laterAudit)
	later["team_members"], later["audit_log"] = laterMembers, laterAudit
	if later["teams"] == 0 {
		t.Fatal("the writer added nothing after the backup: not a backup during writes")
	}
	t.Logf("writer teams: %d committed when the backup started, %d when it ended, %d in the backup; source: %d tables, %d incidents, %d audit entries",
		before, after, inBackup, len(final), final["incidents"], final["audit_log"])
	if len(counts) != len(final) || len(counts) < 20 {
		t.Fatalf("tables: %d in the restore, %d in the source", len(counts), len(final))
	}
	for table, n := range final {
		if want := n - later[table]; counts[table] != want {
			t.Errorf("%s: %d rows restored, want %d (source %d, %d added after the backup)", table, counts[table], want, n, later[table])
		}
	}

	// A sample of content, row for row.
	for _, q := range []string{
		"SELECT id || '|' || email || '|' || name || '|' || password_hash FROM users ORDER BY id",
		"SELECT id || '|' || title || '|' || coalesce(summary, '') FROM incidents ORDER BY id LIMIT 50",
		"SELECT id || '|' || slug || '|' || name FROM teams WHERE id <= " + strconv.FormatInt(maxTeam, 10) + " ORDER BY id",
		"SELECT id || '|' || summary FROM audit_log ORDER BY id LIMIT 200",
	} {
		var want, have []string
		db.Raw(q).Scan(&want)
		got.Raw(q).Scan(&have)
		if len(want) == 0 || strings.Join(want, "\n") != strings.Join(have, "\n") {
			t.Errorf("%s: %d rows in the source, %d restored, or different", q, len(want), len(have))
		}
	}
}

// TestRestoreRefusesARunningTarget: a serving debrief holds the database;
// restore into its path is refused (and so would be into any existing file).
func TestRestoreRefusesARunningTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "serving.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + path}
	if code, _, stderr := runCmd(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	backup := filepath.Join(dir, "b.db")
	if code, _, stderr := runCmd(t, env, "backup", backup); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	// A serve owns the (new, empty) location.
	listening := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- cmdServe(ctx, envOf(env), []string{"--addr", "127.0.0.1:0"}, serveOptions{listening: listening})
	}()
	<-listening
	code, _, stderr := runCmd(t, env, "restore", backup)
	// A second serve on the same file is refused too.
	second := cmdServe(context.Background(), envOf(env), []string{"--addr", "127.0.0.1:0"}, serveOptions{})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if code == 0 || !strings.Contains(stderr, "in use") {
		t.Fatalf("restore beside a running serve: %d %q", code, stderr)
	}
	if second == nil || !strings.Contains(second.Error(), "in use") {
		t.Fatalf("second serve on the same file: %v", second)
	}
}

// TestBackupAndRestoreOnPostgresNameTheTools: PostgreSQL has its own tools.
func TestBackupAndRestoreOnPostgresNameTheTools(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://debrief@db.example:5432/debrief"}
	if code, _, stderr := runCmd(t, env, "backup", filepath.Join(t.TempDir(), "x.dump")); code == 0 || !strings.Contains(stderr, "pg_dump") {
		t.Fatalf("backup: %d %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, env, "restore", "x.dump"); code == 0 || !strings.Contains(stderr, "pg_restore") {
		t.Fatalf("restore: %d %q", code, stderr)
	}
}

func envOf(m map[string]string) env {
	return env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: envMap(m)}
}
