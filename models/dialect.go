package models

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SQLDialect is the SQL that differs between SQLite and PostgreSQL. Open
// chooses one for the database it opens and attaches it to the handle;
// SQL(db) returns it. Features write one query and ask the dialect for
// the pieces that differ, so no code outside this file compares dialect
// names.
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

	// localTime prepares the local-time expressions of a zone. span gives
	// the range of times the data covers, for dialects that work out the
	// zone's offsets in Go; it is called at most once.
	localTime(loc *time.Location, zone string, span func() (from, to time.Time, err error)) (localTime, error)
	// groupQuantiles computes count, mean and quantiles per group of a
	// query selecting (g, d) rows (see insight_durations.go).
	groupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*quantileGroup, error)
	// groupStatsSQL is a statement giving per group (g, COUNT, SUM(w),
	// AVG(v), the quantiles ps of v) over the rows of from ("FROM … WHERE
	// …", parameters bound by the caller), interpolated as percentile_cont
	// does. Without grouping, group is a constant; with it, one more row
	// keyed whole holds the figures of all rows (quantiles do not add up).
	groupStatsSQL(group string, grouped bool, whole int, v, w, from string, ps []float64) string
}

// localTime builds SQL expressions for the local time of a timestamp
// column in one zone.
type localTime interface {
	// hourOfWeek is 0 for Sunday 00:00–00:59 local … 167 for Saturday 23:00.
	hourOfWeek(col string) (string, []any)
	// weekDay is the Monday that starts the local week, as days since
	// 1970-01-01 (dateOfDay turns it into a Date).
	weekDay(col string) (string, []any)
	// monthNum is the local month as year·12 + month − 1 (monthOfNum turns
	// it into the month's first day).
	monthNum(col string) (string, []any)
	// date is the local calendar day as YYYY-MM-DD.
	date(col string) (string, []any)
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

// quantileSQL is percentile_cont's interpolation between the ranks
// ⌊p(n−1)⌋ and the next of values v numbered i = 0…n−1 (SQLite).
func quantileSQL(p float64) string {
	ps := strconv.FormatFloat(p, 'g', -1, 64)
	pos := ps + " * (n - 1)"
	lo := "CAST(" + pos + " AS INTEGER)"
	hi := lo + " + (" + pos + " > " + lo + ")"
	return "MAX(CASE WHEN i = " + lo + " THEN v END) + (" + pos + " - " + lo + ") * " +
		"(MAX(CASE WHEN i = " + hi + " THEN v END) - MAX(CASE WHEN i = " + lo + " THEN v END))"
}

// ---- PostgreSQL ----

type postgresSQL struct{}

func (postgresSQL) Name() string       { return DialectPostgres }
func (postgresSQL) ListenNotify() bool { return true }

func (postgresSQL) SecondsBetween(a, b string) string {
	return "date_part('epoch', " + b + " - " + a + ")"
}

// UnixSeconds uses date_part, which unlike EXTRACT (numeric since
// PostgreSQL 14) works in double precision: several times faster over
// 100,000 rows.
func (postgresSQL) UnixSeconds(col string) string { return "date_part('epoch', " + col + ")" }

func (postgresSQL) Greatest(a, b string) string { return "GREATEST(" + a + ", " + b + ")" }
func (postgresSQL) Floor(x string) string       { return "CAST(FLOOR(" + x + ") AS BIGINT)" }
func (postgresSQL) Bare(col string) string      { return col }
func (postgresSQL) Subquery() string            { return "(? OFFSET 0)" }

func (postgresSQL) IndexedBy(string, string) (string, bool) { return "", false }
func (postgresSQL) Analyze() string                         { return "VACUUM ANALYZE" }

func (postgresSQL) TextMatch(_, _, vector string, terms []string) (string, any) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return vector + " @@ to_tsquery('simple', ?)", strings.Join(parts, " & ")
}

// localTime: PostgreSQL converts with `started_at AT TIME ZONE
// 'Europe/Berlin'`, which applies the zone's rules (DST included) from its
// own time zone database.
func (postgresSQL) localTime(_ *time.Location, zone string, _ func() (time.Time, time.Time, error)) (localTime, error) {
	return pgLocalTime{zone: zone}, nil
}

type pgLocalTime struct{ zone string }

func (lt pgLocalTime) local(col string) (string, []any) {
	return "(" + col + " AT TIME ZONE ?)", []any{lt.zone}
}

func (lt pgLocalTime) hourOfWeek(col string) (string, []any) {
	l, a := lt.local(col)
	return "(CAST(date_part('dow', " + l + ") AS INTEGER) * 24 + CAST(date_part('hour', " + l + ") AS INTEGER))", append(a, a...)
}

func (lt pgLocalTime) weekDay(col string) (string, []any) {
	l, a := lt.local(col)
	return "(CAST(date_trunc('week', " + l + ") AS DATE) - DATE '1970-01-01')", a
}

func (lt pgLocalTime) monthNum(col string) (string, []any) {
	l, a := lt.local(col)
	return "(CAST(date_part('year', " + l + ") AS INTEGER) * 12 + CAST(date_part('month', " + l + ") AS INTEGER) - 1)", append(a, a...)
}

func (lt pgLocalTime) date(col string) (string, []any) {
	l, a := lt.local(col)
	return "to_char(" + l + ", 'YYYY-MM-DD')", a
}

func (p postgresSQL) groupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*quantileGroup, error) {
	var cols []string
	for _, q := range quantiles {
		cols = append(cols, fmt.Sprintf("percentile_cont(%g) WITHIN GROUP (ORDER BY d)", q))
	}
	rows, err := db.WithContext(ctx).Raw("SELECT g, COUNT(*) AS n, AVG(d) AS mean, "+strings.Join(cols, ", ")+" FROM "+p.Subquery()+" s GROUP BY g", values).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*quantileGroup{}
	for rows.Next() {
		var g int64
		qg := &quantileGroup{values: make([]float64, len(quantiles))}
		dest := []any{&g, &qg.n, &qg.mean}
		for i := range qg.values {
			dest = append(dest, &qg.values[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out[g] = qg
	}
	return out, rows.Err()
}

// groupStatsSQL: percentile_cont, and grouping sets for the whole.
func (postgresSQL) groupStatsSQL(group string, grouped bool, whole int, v, w, from string, ps []float64) string {
	key, groupBy := group, ""
	if grouped {
		key = "CASE WHEN GROUPING(" + group + ") = 1 THEN " + strconv.Itoa(whole) + " ELSE " + group + " END"
		groupBy = " GROUP BY GROUPING SETS ((" + group + "), ())"
	}
	sql := "SELECT " + key + " AS g, COUNT(*), COALESCE(SUM(" + w + "), 0), AVG(" + v + ")"
	for _, p := range ps {
		sql += ", percentile_cont(" + strconv.FormatFloat(p, 'g', -1, 64) + ") WITHIN GROUP (ORDER BY " + v + ")"
	}
	return sql + from + groupBy
}

// ---- SQLite ----

type sqliteSQL struct{}

func (sqliteSQL) Name() string       { return DialectSQLite }
func (sqliteSQL) ListenNotify() bool { return false }

// SecondsBetween is written exactly as the insight indexes have it
// (migration 00100), so its value comes from an index.
func (sqliteSQL) SecondsBetween(a, b string) string {
	return "(unixepoch(" + b + ", 'subsec') - unixepoch(" + a + ", 'subsec'))"
}

// UnixSeconds is written exactly as incidents_insights_idx indexes it, so
// the value comes from the index.
func (sqliteSQL) UnixSeconds(col string) string { return "unixepoch(" + col + ", 'subsec')" }

func (sqliteSQL) Greatest(a, b string) string { return "MAX(" + a + ", " + b + ")" }

// Floor truncates toward zero, the same for the non-negative numbers it
// is meant for.
func (sqliteSQL) Floor(x string) string { return "CAST(" + x + " AS INTEGER)" }

// Bare: SQLite gives DATETIME columns numeric affinity, so comparing one
// with a text parameter first tries to read the parameter as a number —
// for every row and every comparison (15% of the follow-through
// dashboard's time on 100,000 items). "+col" has no affinity and compares
// text with text, the same result.
func (sqliteSQL) Bare(col string) string { return "+" + col }

// Subquery: SQLite reads the values of a subquery from an index anyway.
func (sqliteSQL) Subquery() string { return "(?)" }

// IndexedBy: SQLite's planner judges indexes by their width and does not
// count the timestamps an index saves it from parsing, so left alone it
// scans a narrower index and parses 100,000 timestamps.
func (sqliteSQL) IndexedBy(table, index string) (string, bool) {
	return table + " INDEXED BY " + index, true
}

func (sqliteSQL) Analyze() string { return "ANALYZE" }

func (sqliteSQL) TextMatch(idCol, fts, _ string, terms []string) (string, any) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	return idCol + " IN (SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH ?)", strings.Join(parts, " ")
}

// Local time in SQLite.
//
// SQLite has no time zone database: its 'localtime' modifier uses the
// server's zone and '+N hours' is one fixed offset, which is wrong for
// every incident on the other side of a DST change. So Go, which has the
// rules, works out the zone's UTC offsets for the span of time the data
// covers — a handful of intervals, two per year with DST — and passes them
// to SQL as a CASE over the incident's Unix time:
//
//	unixepoch(started_at) + CASE WHEN unixepoch(started_at) < 1711846800 THEN 3600
//	                             WHEN unixepoch(started_at) < 1729990800 THEN 7200 … ELSE 3600 END
//
// which is the local wall-clock time as seconds since 1970-01-01 00:00
// local. Weekday and hour then follow by integer arithmetic; months, weeks
// and days by strftime(…, 'unixepoch'). Every bucket is therefore computed
// by SQL, and tests check it against Go's own conversion across DST
// changes on both dialects.
func (sqliteSQL) localTime(loc *time.Location, _ string, span func() (time.Time, time.Time, error)) (localTime, error) {
	from, to, err := span()
	if err != nil {
		return nil, err
	}
	// A day of margin on both sides costs nothing and keeps rounding of
	// the span's ends out of the question.
	return sqliteLocalTime{
		offsets: zoneOffsets(loc, from.Add(-48*time.Hour), to.Add(48*time.Hour)),
		months:  monthStarts(loc, from, to),
	}, nil
}

type sqliteLocalTime struct {
	offsets []zoneOffset
	months  []monthStart
}

// dayShift keeps SQLite's integer division and modulo (which truncate
// toward zero) on positive numbers for any date after 1780: a whole
// number of weeks in seconds, so weekday and hour are unchanged.
const dayShift = 86400 * 7 * 10434

// epoch is the local time as seconds since 1970-01-01 00:00 local. col is
// a timestamp column.
func (lt sqliteLocalTime) epoch(col string) (string, []any) {
	u := sqliteSQL{}.UnixSeconds(col)
	return "(CAST(" + u + " AS INTEGER) + " + offsetTree(u, lt.offsets) + ")", nil
}

func (lt sqliteLocalTime) hourOfWeek(col string) (string, []any) {
	e, a := lt.epoch(col)
	// 1970-01-01 was a Thursday: hour 0 of the epoch is hour 96 of its week.
	return fmt.Sprintf("((((%s + %d) / 3600) + 96) %% 168)", e, dayShift), a
}

func (lt sqliteLocalTime) weekDay(col string) (string, []any) {
	e, a := lt.epoch(col)
	// Days since the epoch minus days since Monday (the epoch day was a
	// Thursday, 3 days after Monday).
	days := fmt.Sprintf("((%s + %d) / 86400)", e, dayShift)
	return fmt.Sprintf("(%s - ((%s + 3) %% 7) - %d)", days, days, dayShift/86400), append(a, a...)
}

// monthNum: the months' first instants (local midnight on the 1st) are
// known in Go; a tree of comparisons finds the month of a row's Unix
// time, read from the index, without formatting a date per row.
func (lt sqliteLocalTime) monthNum(col string) (string, []any) {
	if len(lt.months) == 0 {
		return "0", nil
	}
	return monthTree(sqliteSQL{}.UnixSeconds(col), lt.months), nil
}

func (lt sqliteLocalTime) date(col string) (string, []any) {
	e, a := lt.epoch(col)
	return "strftime('%Y-%m-%d', " + e + ", 'unixepoch')", a
}

// zoneOffset is one span of constant UTC offset: from Start (Unix
// seconds, inclusive) the offset is Offset seconds east of UTC.
type zoneOffset struct {
	Start  int64
	Offset int
}

// zoneOffsets lists the offsets of loc in effect between from and to,
// ordered by start; the first entry covers everything before its
// successor.
func zoneOffsets(loc *time.Location, from, to time.Time) []zoneOffset {
	_, off := from.In(loc).Zone()
	out := []zoneOffset{{Start: from.Unix(), Offset: off}}
	t := from
	for i := 0; i < 10000; i++ { // bounded: ~2 changes a year
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || end.After(to) {
			break
		}
		_, off := end.In(loc).Zone()
		if off != out[len(out)-1].Offset {
			out = append(out, zoneOffset{Start: end.Unix(), Offset: off})
		}
		t = end
	}
	return out
}

// offsetTree picks the UTC offset for a Unix time u from a list of spans
// with a balanced tree of CASEs (log₂ n comparisons a row instead of n).
// The bounds are our own numbers, not user input, and are written into
// the statement.
func offsetTree(u string, spans []zoneOffset) string {
	if len(spans) == 1 {
		return strconv.Itoa(spans[0].Offset)
	}
	mid := len(spans) / 2
	return "CASE WHEN " + u + " < " + strconv.FormatInt(spans[mid].Start, 10) + " THEN " + offsetTree(u, spans[:mid]) +
		" ELSE " + offsetTree(u, spans[mid:]) + " END"
}

// monthStart is the first instant of a local month.
type monthStart struct {
	At  time.Time // in UTC
	Num int64     // year·12 + month − 1
}

// monthStarts lists the local months from the one containing from to the
// one containing to.
func monthStarts(loc *time.Location, from, to time.Time) []monthStart {
	f := from.In(loc)
	m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc)
	var out []monthStart
	for !m.After(to) && len(out) < 100*12 {
		out = append(out, monthStart{At: m.UTC(), Num: int64(m.Year())*12 + int64(m.Month()) - 1})
		m = time.Date(m.Year(), m.Month()+1, 1, 0, 0, 0, 0, loc)
	}
	return out
}

// monthTree maps a Unix time to the number of the month it falls in.
func monthTree(u string, months []monthStart) string {
	if len(months) == 1 {
		return strconv.FormatInt(months[0].Num, 10)
	}
	mid := len(months) / 2
	return "CASE WHEN " + u + " < " + strconv.FormatInt(months[mid].At.Unix(), 10) + " THEN " + monthTree(u, months[:mid]) +
		" ELSE " + monthTree(u, months[mid:]) + " END"
}

// groupQuantiles: SQLite has no percentile function, and its window
// functions (ROW_NUMBER over 100,000 rows) are slow, so it sorts the
// values once into a temporary table on one connection: rows inserted in
// ORDER BY order get consecutive rowids, so the value of rank k in a group
// is the row at the group's first rowid + k. Go then interpolates between
// ranks ⌊q(n−1)⌋ and ⌊q(n−1)⌋+1 exactly as percentile_cont does
// (Quantile).
func (sqliteSQL) groupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*quantileGroup, error) {
	out := map[int64]*quantileGroup{}
	err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// A temporary table lives in the connection's own temp database:
		// no lock on the main database, invisible to other connections.
		if err := conn.Exec("CREATE TEMP TABLE IF NOT EXISTS insight_values (g INTEGER NOT NULL, d REAL NOT NULL)").Error; err != nil {
			return err
		}
		defer conn.Exec("DELETE FROM insight_values") //nolint:errcheck // emptied again before every use
		if err := conn.Exec("DELETE FROM insight_values").Error; err != nil {
			return err
		}
		if err := conn.Exec("INSERT INTO insight_values (g, d) SELECT g, d FROM (?) s ORDER BY g, d", values).Error; err != nil {
			return err
		}
		var groups []struct {
			G     int64
			First int64
			N     int
			Mean  float64
		}
		if err := conn.Raw("SELECT g, MIN(rowid) AS first, COUNT(*) AS n, AVG(d) AS mean FROM insight_values GROUP BY g").Scan(&groups).Error; err != nil {
			return err
		}
		var ids []int64
		for _, g := range groups {
			for _, q := range quantiles {
				k := int64(math.Floor(q * float64(g.N-1)))
				ids = append(ids, g.First+k, g.First+min(k+1, int64(g.N-1)))
			}
		}
		if len(ids) == 0 {
			return nil
		}
		var picks []struct {
			Rowid int64
			D     float64
		}
		if err := conn.Raw("SELECT rowid, d FROM insight_values WHERE rowid IN ?", ids).Scan(&picks).Error; err != nil {
			return err
		}
		at := make(map[int64]float64, len(picks))
		for _, p := range picks {
			at[p.Rowid] = p.D
		}
		for _, g := range groups {
			qg := &quantileGroup{n: g.N, mean: g.Mean}
			for _, q := range quantiles {
				pos := q * float64(g.N-1)
				k := math.Floor(pos)
				lo, hi := at[g.First+int64(k)], at[g.First+min(int64(k)+1, int64(g.N-1))]
				qg.values = append(qg.values, lo+(pos-k)*(hi-lo))
			}
			out[g.G] = qg
		}
		return nil
	})
	return out, err
}

// groupStatsSQL: SQLite ranks the values with window functions and
// interpolates between the two closest ranks (quantileSQL); the whole is
// a second pass over the same rows.
func (sqliteSQL) groupStatsSQL(group string, grouped bool, whole int, v, w, from string, ps []float64) string {
	stats := "SUM(w), AVG(v)"
	for _, p := range ps {
		stats += ", " + quantileSQL(p)
	}
	sql := "WITH x AS (SELECT " + group + " AS g, " + v + " AS v, " + w + " AS w" + from + "), " +
		"r AS (SELECT g, v, w, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) - 1 AS i, COUNT(*) OVER (PARTITION BY g) AS n FROM x) " +
		"SELECT g, n, " + stats + " FROM r GROUP BY g, n"
	if grouped {
		sql += " UNION ALL SELECT " + strconv.Itoa(whole) + ", n, " + stats +
			" FROM (SELECT v, w, ROW_NUMBER() OVER (ORDER BY v) - 1 AS i, COUNT(*) OVER () AS n FROM x) a GROUP BY n"
	}
	return sql
}
