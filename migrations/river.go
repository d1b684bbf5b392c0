package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// River, the job queue, ships its own schema (river_job, river_leader, …)
// and migrates it with rivermigrate. Its migrations run beside goose's, not
// inside a goose transaction: PostgreSQL refuses some of River's DDL there
// (SQLSTATE 55P04), and River tracks its versions in its own table.

// riverLockKey serialises River migrations across processes on PostgreSQL
// (goose has its own session lock); any constant unlikely to collide.
const riverLockKey = 7442_0080

func newRiverMigrator(db *sql.DB, dialect string, logger *slog.Logger) (*rivermigrate.Migrator[*sql.Tx], error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg := &rivermigrate.Config{Logger: logger}
	var (
		m   *rivermigrate.Migrator[*sql.Tx]
		err error
	)
	switch dialect {
	case SQLite:
		m, err = rivermigrate.New(riversqlite.New(db), cfg)
	case Postgres:
		m, err = rivermigrate.New(riverdatabasesql.New(db), cfg)
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownDialect, dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("migrations: river: %w", err)
	}
	return m, nil
}

// riverUp applies River's pending migrations. On PostgreSQL it holds an
// advisory lock meanwhile, so instances started together with --migrate
// take turns.
func riverUp(ctx context.Context, db *sql.DB, dialect string, rm *rivermigrate.Migrator[*sql.Tx]) (int, error) {
	if dialect == Postgres {
		conn, err := db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("migrations: river lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", riverLockKey); err != nil {
			return 0, fmt.Errorf("migrations: river lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverLockKey) //nolint:errcheck
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("migrations: river up: %w", err)
	}
	return len(res.Versions), nil
}

// riverStatus lists River's migrations with their state.
func riverStatus(ctx context.Context, rm *rivermigrate.Migrator[*sql.Tx]) ([]Status, error) {
	existing, err := rm.ExistingVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: river status: %w", err)
	}
	applied := map[int]bool{}
	for _, e := range existing {
		applied[e.Version] = true
	}
	var out []Status
	for _, v := range rm.AllVersions() {
		out = append(out, Status{Line: LineRiver, Version: int64(v.Version), Name: v.Name, Applied: applied[v.Version]})
	}
	return out, nil
}

// riverFingerprint names the newest River schema version this build knows.
func riverFingerprint() string {
	rm, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return "river:?"
	}
	all := rm.AllVersions()
	if len(all) == 0 {
		return "river:0"
	}
	return "river:" + strconv.Itoa(all[len(all)-1].Version)
}
