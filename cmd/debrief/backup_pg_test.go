package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestPostgresBackupRecipe runs the README's PostgreSQL recipe: pg_dump
// --format=custom of a filled database, pg_restore into a new empty
// database, and the restored one is current (nothing to migrate) with the
// same rows in every table.
func TestPostgresBackupRecipe(t *testing.T) {
	base := os.Getenv(dbtest.EnvPostgres)
	if base == "" {
		t.Skip("PostgreSQL not configured (" + dbtest.EnvPostgres + ")")
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx := context.Background()
	src := dbtest.NewDSN(t, models.DialectPostgres)
	if code, _, stderr := runCmd(t, map[string]string{"DATABASE_URL": src.Conn}, "demo"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}

	dump := filepath.Join(t.TempDir(), "debrief.dump")
	run := func(name string, args ...string) {
		t.Helper()
		out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("pg_dump", "--format=custom", "--no-owner", "--file="+dump, src.Conn)

	// A new, empty database to restore into.
	admin := openPG(t, base)
	name := "debrief_restore_" + strings.ReplaceAll(filepath.Base(t.TempDir()), "-", "_")
	if err := admin.Exec(`CREATE DATABASE "` + name + `"`).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`) })
	u, _ := url.Parse(base)
	u.Path = "/" + name
	restored := u.String()
	run("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+restored, dump)

	code, stdout, stderr := runCmd(t, map[string]string{"DATABASE_URL": restored}, "migrate", "status")
	if code != 0 || !strings.Contains(stdout, " 0 pending") {
		t.Fatalf("restored schema: %d %s %s", code, stdout, stderr)
	}
	want, got := pgCounts(t, openPG(t, src.Conn)), pgCounts(t, openPG(t, restored))
	if len(want) < 20 || len(got) != len(want) {
		t.Fatalf("tables: %d in the source, %d restored", len(want), len(got))
	}
	for table, n := range want {
		if got[table] != n {
			t.Errorf("%s: %d rows restored, %d in the source", table, got[table], n)
		}
	}
}

func openPG(t *testing.T, conn string) *gorm.DB {
	t.Helper()
	db, err := models.Open(context.Background(), models.DSN{Dialect: models.DialectPostgres, Conn: conn}, models.Options{MaxConns: 2, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sqlDB, _ := db.DB()
		sqlDB.Close()
	})
	return db
}

func pgCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	var names []string
	if err := db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.Raw(`SELECT count(*) FROM "` + n + `"`).Scan(&c).Error; err != nil {
			t.Fatal(err)
		}
		out[n] = c
	}
	return out
}
