package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/debrief-sre/debrief/models"
)

// errDatabaseInUse says another process (a running `debrief serve`) holds
// the SQLite database's lock.
var errDatabaseInUse = errors.New("the database is in use by a running debrief (stop it first)")

// Backups of PostgreSQL are PostgreSQL's business: these are the commands
// the README's recipe uses (and a test runs).
const (
	pgBackupHint  = `for PostgreSQL use pg_dump, which takes a consistent copy while Debrief runs: pg_dump --format=custom --no-owner --file=debrief.dump "$DATABASE_URL"`
	pgRestoreHint = `for PostgreSQL use pg_restore into an empty database, with every Debrief stopped: createdb debrief_restored && pg_restore --no-owner --exit-on-error --dbname="postgres://…/debrief_restored" debrief.dump, then point DATABASE_URL at it`
)

// cmdBackup copies the live SQLite database to FILE with VACUUM INTO: one
// read transaction, so the copy is the database as of one moment while
// `debrief serve` keeps writing, and compact.
func cmdBackup(ctx context.Context, e env, args []string) error {
	cfg, rest, err := parseConfig("backup", args, e.getenv, e.stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError("backup takes one argument: the file to write, e.g. debrief backup /backups/debrief-2026-05-01.db")
	}
	if cfg.DSN.Dialect == models.DialectPostgres {
		return usageError("debrief backup copies SQLite databases; " + pgBackupHint)
	}
	out := rest[0]
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists: a backup never overwrites a file, choose a new name", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, err := os.Stat(cfg.DSN.Path); err != nil {
		return fmt.Errorf("no database at %s to back up (check DATABASE_URL): %w", cfg.DSN.Path, err)
	}
	db, err := openDB(ctx, cfg, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	// VACUUM INTO itself refuses a file that appeared since the check.
	if _, err := sqlDB.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		return fmt.Errorf("back up %s to %s: %w", cfg.DSN.Path, out, err)
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", cfg.DSN.Path, out)
	return nil
}

// cmdRestore puts a backup made by cmdBackup where DATABASE_URL points. It
// refuses while a debrief serves that database (the lock serve holds) and
// whenever a database file is already there: a restore never overwrites.
func cmdRestore(ctx context.Context, e env, args []string) error {
	cfg, rest, err := parseConfig("restore", args, e.getenv, e.stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError("restore takes one argument: the backup file, e.g. debrief restore /backups/debrief-2026-05-01.db")
	}
	if cfg.DSN.Dialect == models.DialectPostgres {
		return usageError("debrief restore restores SQLite databases; " + pgRestoreHint)
	}
	src, target := rest[0], cfg.DSN.Path
	unlock, err := lockDatabase(target)
	if err != nil {
		return fmt.Errorf("restore into %s: %w", target, err)
	}
	defer unlock()
	for _, p := range []string{target, target + "-wal", target + "-shm", target + "-journal"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: restore only into an empty location (move the old database away first, or set DATABASE_URL=sqlite:NEW_PATH)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := checkBackup(ctx, src); err != nil {
		return err
	}
	// Written beside the target and renamed: the target is either absent or
	// complete, never half written.
	tmp := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".restoring")
	_ = os.Remove(tmp)
	if err := vacuumInto(ctx, src, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("restore %s: %w", src, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s to %s; start debrief serve to use it (it applies any newer migrations)\n", src, target)
	return nil
}

// openReadOnly opens a SQLite file without changing it.
func openReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
}

// checkBackup makes sure src is an intact SQLite database made by Debrief.
func checkBackup(ctx context.Context, src string) error {
	db, err := openReadOnly(src)
	if err != nil {
		return fmt.Errorf("read backup %s: %w", src, err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return fmt.Errorf("%s is not a SQLite database: %w", src, err)
	}
	if result != "ok" {
		return fmt.Errorf("%s is damaged (integrity check: %s)", src, result)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('goose_db_version', 'users')").Scan(&n); err != nil || n != 2 {
		return fmt.Errorf("%s is not a Debrief database (no migrations table or users)", src)
	}
	return nil
}

// vacuumInto writes a compact copy of the SQLite database src to dst.
func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := openReadOnly(src)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}
