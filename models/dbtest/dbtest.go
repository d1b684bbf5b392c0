// Package dbtest gives tests a fresh, migrated database on every dialect
// under test: SQLite always, PostgreSQL when DEBRIEF_TEST_DATABASE_URL is
// set. Each call gets its own database, cloned from a migrated template, so
// tests can run in parallel and never see each other's rows.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/migrations"
	"github.com/debrief-sre/debrief/models"
)

// EnvPostgres names the PostgreSQL server for tests, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const EnvPostgres = "DEBRIEF_TEST_DATABASE_URL"

// Dialects lists the dialects to test on.
// EnvDialects optionally narrows the dialects, e.g. "postgres" when a
// run has already covered SQLite (CI's browser step).
const EnvDialects = "DEBRIEF_TEST_DIALECTS"

func Dialects() []string {
	all := []string{models.DialectSQLite}
	if os.Getenv(EnvPostgres) != "" {
		all = append(all, models.DialectPostgres)
	}
	only := os.Getenv(EnvDialects)
	if only == "" {
		return all
	}
	var out []string
	for _, d := range all {
		if strings.Contains(","+only+",", ","+d+",") {
			out = append(out, d)
		}
	}
	return out
}

// Each runs fn as a subtest once per dialect, each with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// EachDialect runs fn as a subtest once per dialect without opening a
// database; fn calls NewDSN or New itself.
func EachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// New returns a gorm handle on a fresh migrated database of dialect, closed
// (and for PostgreSQL dropped) when the test ends.
func New(t testing.TB, dialect string) *gorm.DB {
	t.Helper()
	dsn := NewDSN(t, dialect)
	db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 8, Logger: quietLogger()})
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dialect, err)
	}
	sqlDB, _ := db.DB()
	// Registered after NewDSN's cleanup, so it runs first: close, then drop.
	t.Cleanup(func() { _ = sqlDB.Close() })
	return db
}

// NewDSN creates a fresh migrated database and returns its DSN, for tests
// that open it themselves (for example two app instances on one database).
func NewDSN(t testing.TB, dialect string) models.DSN {
	t.Helper()
	switch dialect {
	case models.DialectSQLite:
		return newSQLite(t)
	case models.DialectPostgres:
		return newPostgres(t)
	}
	t.Fatalf("dbtest: unknown dialect %q", dialect)
	return models.DSN{}
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// ---- SQLite: migrate once per process, copy the file per test ----

var sqliteTemplate = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "debrief-dbtest-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "template.db")
	dsn := models.ParseDSNMust("sqlite:" + path)
	if err := migrate(dsn); err != nil {
		return "", err
	}
	return path, nil
})

func newSQLite(t testing.TB) models.DSN {
	tmpl, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("dbtest: sqlite template: %v", err)
	}
	path := filepath.Join(t.TempDir(), "debrief.db")
	data, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return models.ParseDSNMust("sqlite:" + path)
}

func migrate(dsn models.DSN) error {
	ctx := context.Background()
	db, err := models.Open(ctx, dsn, models.Options{MaxConns: 2, Logger: quietLogger()})
	if err != nil {
		return err
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	return migrations.Apply(ctx, sqlDB, dsn.Dialect, quietLogger())
}

// ---- PostgreSQL: one template database per migration set, cloned per test ----

func newPostgres(t testing.TB) models.DSN {
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("dbtest: %s is not set", EnvPostgres)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := models.Open(ctx, models.DSN{Dialect: models.DialectPostgres, Conn: base}, models.Options{MaxConns: 2, Logger: quietLogger()})
	if err != nil {
		t.Fatalf("dbtest: PostgreSQL at %s is required (%s) but unreachable: %v", redact(base), EnvPostgres, err)
	}
	adminSQL, _ := admin.DB()
	defer adminSQL.Close()

	tmpl, err := templateName()
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	name := "debrief_t_" + randomHex(8)

	conn, err := adminSQL.Conn(ctx)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer conn.Close()
	// One creator at a time across test processes.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(744201)"); err != nil {
		t.Fatalf("dbtest: lock: %v", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(744201)") //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmpl).Scan(&exists); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(tmpl)); err != nil {
			t.Fatalf("dbtest: create template: %v", err)
		}
		if err := migrate(models.DSN{Dialect: models.DialectPostgres, Conn: withDatabase(base, tmpl)}); err != nil {
			_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(tmpl)+" WITH (FORCE)")
			t.Fatalf("dbtest: migrate template: %v", err)
		}
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)+" TEMPLATE "+quoteIdent(tmpl)); err != nil {
		t.Fatalf("dbtest: clone template: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := models.Open(ctx, models.DSN{Dialect: models.DialectPostgres, Conn: base}, models.Options{MaxConns: 1, Logger: quietLogger()})
		if err != nil {
			return
		}
		sqlDB, _ := admin.DB()
		defer sqlDB.Close()
		_, _ = sqlDB.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)")
	})
	return models.DSN{Dialect: models.DialectPostgres, Conn: withDatabase(base, name)}
}

// templateName is derived from the migration files, so a changed migration
// gets a fresh template.
func templateName() (string, error) {
	src, err := migrations.Sources(migrations.Postgres)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	var names []string
	_ = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(src, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\n%d\n", n, len(b))
		h.Write(b)
	}
	h.Write([]byte(migrations.Fingerprint()))
	return "debrief_tmpl_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

func withDatabase(base, db string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + db
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
