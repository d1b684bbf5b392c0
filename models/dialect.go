package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SQLDialect is the SQL that differs between SQLite and PostgreSQL. Open
// chooses one for the database it opens and attaches it to the handle;
// SQL(db) returns it. Features write one query and ask the dialect for
// the pieces that differ, so no code outside the dialect files compares
// dialect names: dialect_postgres.go, dialect_sqlite.go and
// dialect_sqlite_time.go hold the two implementations.
type SQLDialect interface {
	// Name is DialectSQLite or DialectPostgres.
	Name() string
	// ListenNotify reports whether the database carries notifications
	// between connections (PostgreSQL's LISTEN/NOTIFY). Without it, live
	// events reach only the process that wrote them.
	ListenNotify() bool

	// SecondsBetween is b − a in fractional seconds, NULL when either is
	// NULL. a and b are timestamp expressions.
	SecondsBetween(a, b string) string
	// UnixSeconds is the Unix time of a timestamp column in fractional
	// seconds.
	UnixSeconds(col string) string
	// Greatest is the larger of two numbers.
	Greatest(a, b string) string
	// Floor is the integer part of a non-negative number.
	Floor(x string) string
	// Bare is a timestamp column for a comparison with a parameter (see
	// sqliteSQL.Bare).
	Bare(col string) string
	// Subquery is the placeholder a statement embeds a query with, when
	// its outer query refers to the subquery's values several times: on
	// PostgreSQL "(? OFFSET 0)" makes it compute each row's values once
	// instead of inlining the expressions at every reference.
	Subquery() string
	// IndexedBy names the table with the index a query must read, where
	// the planner needs telling (SQLite's INDEXED BY); ok is false where
	// the planner chooses for itself.
	IndexedBy(table, index string) (from string, ok bool)
	// TextMatch is the condition that a row matches every term, as a word
	// or the start of one, through the full-text index: on PostgreSQL the
	// tsvector expression vector, on SQLite the FTS5 table fts whose rowid
	// is idCol. arg is the condition's one parameter.
	TextMatch(idCol, fts, vector string, terms []string) (cond string, arg any)
	// Analyze is the statement that refreshes the planner's statistics
	// the way a live database keeps them (autovacuum on PostgreSQL).
	Analyze() string

	// LocalTime prepares the local-time expressions of a zone. span gives
	// the range of times the data covers, for dialects that work out the
	// zone's offsets in Go; it is called at most once.
	LocalTime(loc *time.Location, zone string, span func() (from, to time.Time, err error)) (LocalTime, error)
	// GroupQuantiles computes count, mean and quantiles per group of a
	// query values selecting (g, d) rows: g an integer group, d a number.
	// The quantiles are interpolated as percentile_cont does.
	GroupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*QuantileGroup, error)
	// groupStatsSQL is a statement giving per group (g, COUNT, SUM(w),
	// AVG(v), the quantiles ps of v) over the rows of from ("FROM … WHERE
	// …", parameters bound by the caller), interpolated as percentile_cont
	// does. Without grouping, group is a constant; with it, one more row
	// keyed whole holds the figures of all rows (quantiles do not add up).
	groupStatsSQL(group string, grouped bool, whole int, v, w, from string, ps []float64) string
}

// LocalTime builds SQL expressions for the local time of a timestamp
// column in one zone. Each returns the expression and its parameters.
type LocalTime interface {
	// HourOfWeek is 0 for Sunday 00:00–00:59 local … 167 for Saturday 23:00.
	HourOfWeek(col string) (string, []any)
	// WeekDay is the Monday that starts the local week, as days since
	// 1970-01-01.
	WeekDay(col string) (string, []any)
	// MonthNum is the local month as year·12 + month − 1.
	MonthNum(col string) (string, []any)
	// Date is the local calendar day as YYYY-MM-DD.
	Date(col string) (string, []any)
}

// QuantileGroup is one group's figures from GroupQuantiles.
type QuantileGroup struct {
	N      int
	Mean   float64
	Values []float64 // at the quantiles asked for
}

// SQL returns the dialect of db, chosen when Open opened it. A handle
// gorm opened some other way gets the dialect of its driver.
func SQL(db *gorm.DB) SQLDialect {
	if p, ok := db.Config.Plugins[dialectPluginName].(dialectPlugin); ok {
		return p.SQLDialect
	}
	return dialectNamed(db.Dialector.Name())
}

func dialectNamed(name string) SQLDialect {
	if name == DialectPostgres {
		return postgresSQL{}
	}
	return sqliteSQL{}
}

// dialectPlugin carries the dialect in the handle's Config.Plugins, which
// every Session, WithContext and transaction shares.
type dialectPlugin struct{ SQLDialect }

const dialectPluginName = "debrief:sql-dialect"

func (dialectPlugin) Name() string              { return dialectPluginName }
func (dialectPlugin) Initialize(*gorm.DB) error { return nil }

// useDialect attaches the dialect of the handle's driver.
func useDialect(db *gorm.DB) error {
	return db.Use(dialectPlugin{dialectNamed(db.Dialector.Name())})
}
