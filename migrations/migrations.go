// Package migrations holds the versioned SQL schema of Debrief for both
// dialects and applies it with goose. The schema comes only from here: the
// server never auto-migrates from the gorm models.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Dialect names accepted by New; they match gorm's dialector names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ErrUnknownDialect is returned for a dialect other than SQLite or Postgres.
var ErrUnknownDialect = errors.New("migrations: unknown dialect")

// Migrator applies and inspects the embedded migrations of one dialect:
// Debrief's own (goose) and the job queue's (River's rivermigrate).
type Migrator struct {
	provider *goose.Provider
	db       *sql.DB
	dialect  string
	river    *rivermigrate.Migrator[*sql.Tx]
}

// New returns a Migrator for db in the given dialect ("sqlite" or "postgres").
func New(db *sql.DB, dialect string, logger *slog.Logger) (*Migrator, error) {
	var (
		gd   goose.Dialect
		dir  string
		opts []goose.ProviderOption
	)
	switch dialect {
	case SQLite:
		gd, dir = goose.DialectSQLite3, "sqlite"
	case Postgres:
		gd, dir = goose.DialectPostgres, "postgres"
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migrations: session locker: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownDialect, dialect)
	}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(gd, db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	rm, err := newRiverMigrator(db, dialect, logger)
	if err != nil {
		return nil, err
	}
	return &Migrator{provider: p, db: db, dialect: dialect, river: rm}, nil
}

// Up applies every pending migration, Debrief's first and then River's, and
// returns how many ran.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrations: up: %w", err)
	}
	n, err := riverUp(ctx, m.db, m.dialect, m.river)
	return len(res) + n, err
}

// Migration lines: Debrief's own schema and the job queue's.
const (
	LineDebrief = "debrief"
	LineRiver   = "river"
)

// Status is one migration and whether it has been applied.
type Status struct {
	// Line is LineDebrief or LineRiver; versions are numbered per line.
	Line    string
	Version int64
	Name    string
	Applied bool
}

// Status lists every migration with its state, Debrief's oldest first, then
// River's.
func (m *Migrator) Status(ctx context.Context) ([]Status, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: status: %w", err)
	}
	out := make([]Status, 0, len(st))
	for _, s := range st {
		out = append(out, Status{
			Line:    LineDebrief,
			Version: s.Source.Version,
			Name:    s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	rs, err := riverStatus(ctx, m.river)
	if err != nil {
		return nil, err
	}
	return append(out, rs...), nil
}

// Versions reports the newest applied version and the newest available one.
func (m *Migrator) Versions(ctx context.Context) (current, target int64, err error) {
	current, target, err = m.provider.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrations: versions: %w", err)
	}
	return current, target, nil
}

// HasPending reports whether any migration, Debrief's or River's, has not
// been applied yet.
func (m *Migrator) HasPending(ctx context.Context) (bool, error) {
	p, err := m.provider.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("migrations: pending: %w", err)
	}
	if p {
		return true, nil
	}
	return m.RiverPending(ctx)
}

// RiverPending reports whether any of River's migrations is missing.
func (m *Migrator) RiverPending(ctx context.Context) (bool, error) {
	res, err := m.river.Validate(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrations: river pending: %w", err)
	}
	return !res.OK, nil
}

// Sources returns the embedded SQL of a dialect, for hashing in tests.
func Sources(dialect string) (fs.FS, error) {
	switch dialect {
	case SQLite, Postgres:
		return fs.Sub(files, dialect)
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownDialect, dialect)
}

// Apply brings the database fully up to date: Debrief's own migrations and
// then the job queue's (River), so every caller — the migrate command,
// serve --migrate, SQLite's automatic migration and the test templates —
// gets them all.
func Apply(ctx context.Context, db *sql.DB, dialect string, logger *slog.Logger) error {
	m, err := New(db, dialect, logger)
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	return err
}

// Fingerprint names schema parts applied outside the SQL files — River's
// schema version — so test templates are rebuilt when they change.
func Fingerprint() string { return riverFingerprint() }
