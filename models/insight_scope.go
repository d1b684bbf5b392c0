package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// InsightScope is what every insight looks at: the incidents a filter
// matches (date range, team, component, severity, tag — the incident list's
// semantics), seen from a time zone. Weekdays, hours, weeks, months and
// calendar days are taken in that zone, daylight saving time included.
type InsightScope struct {
	Filter   IncidentFilter
	Location *time.Location
}

func (s InsightScope) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// ZoneName is the IANA name of the scope's zone ("UTC" for UTC).
func (s InsightScope) ZoneName() string {
	n := s.loc().String()
	if n == "Local" || n == "" {
		return "UTC"
	}
	return n
}

// incidents starts a query on the scope's incidents.
func (s InsightScope) incidents(ctx context.Context, db *gorm.DB) *gorm.DB {
	return s.Filter.apply(db.WithContext(ctx).Model(&Incident{}))
}

// subquery is how a statement embeds a scope query that its outer
// query refers to several times: PostgreSQL would otherwise inline it and
// compute the expression (a duration, a Unix time) once per reference
// and row; OFFSET 0 makes it compute each row's values once. SQLite reads
// those values from an index anyway.
func subquery(dialect string) string {
	if dialect == DialectPostgres {
		return "(? OFFSET 0)"
	}
	return "(?)"
}

// Indexes of migration 00100 that the SQLite queries name.
const (
	insightsIndex = "incidents_insights_idx"
)

// incidentsVia is incidents for a query whose values SQLite should read
// from the named index (INDEXED BY): its planner judges indexes by their
// width and does not count the timestamps the index saves it from
// parsing, so left alone it scans a narrower index and parses 100,000
// timestamps. PostgreSQL chooses for itself.
func (s InsightScope) incidentsVia(ctx context.Context, db *gorm.DB, index string) *gorm.DB {
	if Dialect(db) == DialectPostgres {
		return s.incidents(ctx, db)
	}
	return s.Filter.apply(db.WithContext(ctx).Table("incidents INDEXED BY " + index))
}

// Local time in SQL.
//
// PostgreSQL converts with `started_at AT TIME ZONE 'Europe/Berlin'`,
// which applies the zone's rules (DST included) from its own time zone
// database.
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

// localTime builds SQL expressions for the local time of
// incidents.started_at in one zone, for one dialect.
type localTime struct {
	dialect string
	zone    string
	offsets []zoneOffset // SQLite only
	months  []monthStart // SQLite only
}

// dayShift keeps SQLite's integer division and modulo (which truncate
// toward zero) on positive numbers for any date after 1780: a whole
// number of weeks in seconds, so weekday and hour are unchanged.
const dayShift = 86400 * 7 * 10434

// newLocalTime prepares the local-time expressions of the scope. For
// SQLite it looks up the span of started_at the filter allows (from the
// started_at index) to know which offsets are needed.
func (s InsightScope) newLocalTime(ctx context.Context, db *gorm.DB) (localTime, error) {
	lt := localTime{dialect: Dialect(db), zone: s.ZoneName()}
	if lt.dialect == DialectPostgres {
		return lt, nil
	}
	var span struct{ Lo, Hi *string }
	q := db.WithContext(ctx).Model(&Incident{}).Select("MIN(started_at) AS lo, MAX(started_at) AS hi")
	if err := q.Scan(&span).Error; err != nil {
		return lt, fmt.Errorf("models: insight time span: %w", TranslateError(err))
	}
	now := Now(db)
	from, to := now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0)
	if span.Lo != nil {
		if t, err := parseSQLiteTime(*span.Lo); err == nil {
			from = t
		}
	}
	if span.Hi != nil {
		if t, err := parseSQLiteTime(*span.Hi); err == nil {
			to = t
		}
	}
	if f := s.Filter.From; f != nil && f.After(from) {
		from = *f
	}
	if t := s.Filter.To; t != nil && t.Before(to) {
		to = *t
	}
	if to.Before(from) {
		to = from
	}
	// A day of margin on both sides costs nothing and keeps rounding of
	// the span's ends out of the question.
	lt.offsets = zoneOffsets(s.loc(), from.Add(-48*time.Hour), to.Add(48*time.Hour))
	lt.months = monthStarts(s.loc(), from, to)
	return lt, nil
}

// parseSQLiteTime reads a timestamp as the SQLite driver writes it.
func parseSQLiteTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("models: unreadable time %q", s)
}

// epoch is the local time as seconds since 1970-01-01 00:00 local
// (SQLite only). col is a timestamp column.
func (lt localTime) epoch(col string) (string, []any) {
	u := unixSeconds(DialectSQLite, col)
	return "(CAST(" + u + " AS INTEGER) + " + offsetTree(u, lt.offsets) + ")", nil
}

// unixSeconds is the Unix time of a timestamp column in fractional
// seconds. On SQLite it is written exactly as incidents_insights_idx
// indexes it, so the value comes from the index.
func unixSeconds(dialect, col string) string {
	if dialect == DialectPostgres {
		// date_part, unlike EXTRACT (numeric since PostgreSQL 14), works in
		// double precision: several times faster over 100,000 rows.
		return "date_part('epoch', " + col + ")"
	}
	return "unixepoch(" + col + ", 'subsec')"
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

// pgLocal is the local timestamp in PostgreSQL.
func (lt localTime) pgLocal(col string) (string, []any) {
	return "(" + col + " AT TIME ZONE ?)", []any{lt.zone}
}

// hourOfWeek is 0 for Sunday 00:00–00:59 local … 167 for Saturday 23:00.
func (lt localTime) hourOfWeek(col string) (string, []any) {
	if lt.dialect == DialectPostgres {
		l, a := lt.pgLocal(col)
		return "(CAST(date_part('dow', " + l + ") AS INTEGER) * 24 + CAST(date_part('hour', " + l + ") AS INTEGER))", append(a, a...)
	}
	e, a := lt.epoch(col)
	// 1970-01-01 was a Thursday: hour 0 of the epoch is hour 96 of its week.
	return fmt.Sprintf("((((%s + %d) / 3600) + 96) %% 168)", e, dayShift), a
}

// weekDay is the Monday that starts the local week, as days since
// 1970-01-01 (dateOfDay turns it into a Date).
func (lt localTime) weekDay(col string) (string, []any) {
	if lt.dialect == DialectPostgres {
		l, a := lt.pgLocal(col)
		return "(CAST(date_trunc('week', " + l + ") AS DATE) - DATE '1970-01-01')", a
	}
	e, a := lt.epoch(col)
	// Days since the epoch minus days since Monday (the epoch day was a
	// Thursday, 3 days after Monday).
	days := fmt.Sprintf("((%s + %d) / 86400)", e, dayShift)
	return fmt.Sprintf("(%s - ((%s + 3) %% 7) - %d)", days, days, dayShift/86400), append(a, a...)
}

// dateOfDay is the date that is n days after 1970-01-01.
func dateOfDay(n int64) Date { return DateOf(time.Unix(n*86400, 0).UTC()) }

// monthNum is the local month as year·12 + month − 1 (monthOfNum turns it
// into the month's first day).
func (lt localTime) monthNum(col string) (string, []any) {
	if lt.dialect == DialectPostgres {
		l, a := lt.pgLocal(col)
		return "(CAST(date_part('year', " + l + ") AS INTEGER) * 12 + CAST(date_part('month', " + l + ") AS INTEGER) - 1)", append(a, a...)
	}
	// SQLite: the months' first instants (local midnight on the 1st) are
	// known in Go; a tree of comparisons finds the month of a row's Unix
	// time, read from the index, without formatting a date per row.
	if len(lt.months) == 0 {
		return "0", nil
	}
	return monthTree(unixSeconds(DialectSQLite, col), lt.months), nil
}

// monthOfNum is the first day of the month year·12 + month − 1.
func monthOfNum(n int64) Date {
	return Date{Year: int(n / 12), Month: time.Month(n%12 + 1), Day: 1}
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

// date is the local calendar day as YYYY-MM-DD.
func (lt localTime) date(col string) (string, []any) {
	if lt.dialect == DialectPostgres {
		l, a := lt.pgLocal(col)
		return "to_char(" + l + ", 'YYYY-MM-DD')", a
	}
	e, a := lt.epoch(col)
	return "strftime('%Y-%m-%d', " + e + ", 'unixepoch')", a
}

// secondsBetween is b − a in seconds (fractional), NULL when either is
// NULL. On SQLite the expression is written exactly as the insight
// indexes have it (migrations 00100), so its value comes from an index.
func secondsBetween(dialect, a, b string) string {
	if dialect == DialectPostgres {
		return "date_part('epoch', " + b + " - " + a + ")"
	}
	return "(unixepoch(" + b + ", 'subsec') - unixepoch(" + a + ", 'subsec'))"
}
