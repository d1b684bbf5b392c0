// Package models holds Debrief's domain types, rules and persistence. It
// knows nothing of HTTP or views.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names, equal to gorm's Dialector.Name().
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// DefaultSQLitePath is the database file used when DATABASE_URL is empty.
const DefaultSQLitePath = "debrief.db"

// DSN is a parsed DATABASE_URL.
type DSN struct {
	Dialect string
	// Conn is what the driver gets: a postgres URL or a SQLite file DSN.
	Conn string
	// Path is the SQLite file path (empty for PostgreSQL).
	Path string
}

// ParseDSN interprets DATABASE_URL: empty means the SQLite file debrief.db in
// the working directory; postgres:// or postgresql:// select PostgreSQL;
// sqlite:PATH selects SQLite at PATH.
func ParseDSN(raw string) (DSN, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return sqliteDSN(DefaultSQLitePath), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return DSN{}, fmt.Errorf("not a valid URL: %v", err)
		}
		return DSN{Dialect: DialectPostgres, Conn: raw}, nil
	case strings.HasPrefix(raw, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if p == "" {
			return DSN{}, errors.New("sqlite: needs a file path, as in sqlite:/var/lib/debrief/debrief.db")
		}
		return sqliteDSN(p), nil
	}
	return DSN{}, errors.New("must be empty (SQLite file debrief.db), postgres://…, postgresql://… or sqlite:PATH")
}

func sqliteDSN(path string) DSN {
	// WAL lets readers run beside the writer; busy_timeout makes a writer wait
	// for the lock instead of failing; _txlock=immediate takes the write lock
	// at BEGIN so read-then-write transactions cannot deadlock on upgrade.
	q := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	return DSN{Dialect: DialectSQLite, Conn: "file:" + path + "?" + q, Path: path}
}

// Options tune Open.
type Options struct {
	MaxConns int
	Logger   *slog.Logger
	// SlowQuery logs queries slower than this at warn level (0: 200ms).
	SlowQuery time.Duration
}

// Open connects to the database named by dsn and sizes its pool. It does not
// migrate.
func Open(ctx context.Context, dsn DSN, opts Options) (*gorm.DB, error) {
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.SlowQuery == 0 {
		opts.SlowQuery = 200 * time.Millisecond
	}
	var dialector gorm.Dialector
	switch dsn.Dialect {
	case DialectSQLite:
		dialector = sqlite.Open(dsn.Conn)
	case DialectPostgres:
		dialector = postgres.New(postgres.Config{DSN: dsn.Conn})
	default:
		return nil, fmt.Errorf("models: open: unknown dialect %q", dsn.Dialect)
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                                   newGormLogger(opts.Logger, opts.SlowQuery),
		NowFunc:                                  SystemClock,
		TranslateError:                           true,
		DisableForeignKeyConstraintWhenMigrating: true,
		SkipDefaultTransaction:                   true,
	})
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", dsn.Dialect, TranslateError(err))
	}
	if err := useDialect(db); err != nil {
		return nil, fmt.Errorf("models: open: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("models: open: %w", err)
	}
	configurePool(sqlDB, dsn.Dialect, opts.MaxConns)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("models: connect to %s: %w", dsn.Dialect, TranslateError(err))
	}
	return db, nil
}

func configurePool(sqlDB *sql.DB, dialect string, maxConns int) {
	sqlDB.SetMaxOpenConns(maxConns)
	// An idle pool as large as the open pool: the default of 2 made pages
	// several times slower under concurrency.
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if dialect == DialectPostgres {
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
}

type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(l *slog.Logger, slow time.Duration) logger.Interface {
	return &gormLogger{log: l, slow: slow}
}

func (g *gormLogger) LogMode(logger.LogLevel) logger.Interface { return g }
func (g *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	g.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	g.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	g.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

func (g *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled):
		sqlText, rows := fc()
		g.log.WarnContext(ctx, "db query failed", "err", err, "sql", truncate(sqlText, 500), "rows", rows, "ms", elapsed.Milliseconds())
	case elapsed > g.slow:
		sqlText, rows := fc()
		g.log.WarnContext(ctx, "slow db query", "sql", truncate(sqlText, 500), "rows", rows, "ms", elapsed.Milliseconds())
	}
}

// ParseDSNMust is ParseDSN for values known to be valid (tests, constants).
func ParseDSNMust(raw string) DSN {
	d, err := ParseDSN(raw)
	if err != nil {
		panic(err)
	}
	return d
}
