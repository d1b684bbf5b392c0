package models

import (
	"fmt"
	"strconv"
	"time"
)

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
func (sqliteSQL) LocalTime(loc *time.Location, _ string, span func() (time.Time, time.Time, error)) (LocalTime, error) {
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

func (lt sqliteLocalTime) HourOfWeek(col string) (string, []any) {
	e, a := lt.epoch(col)
	// 1970-01-01 was a Thursday: hour 0 of the epoch is hour 96 of its week.
	return fmt.Sprintf("((((%s + %d) / 3600) + 96) %% 168)", e, dayShift), a
}

func (lt sqliteLocalTime) WeekDay(col string) (string, []any) {
	e, a := lt.epoch(col)
	// Days since the epoch minus days since Monday (the epoch day was a
	// Thursday, 3 days after Monday).
	days := fmt.Sprintf("((%s + %d) / 86400)", e, dayShift)
	return fmt.Sprintf("(%s - ((%s + 3) %% 7) - %d)", days, days, dayShift/86400), append(a, a...)
}

// MonthNum: the months' first instants (local midnight on the 1st) are
// known in Go; a tree of comparisons finds the month of a row's Unix
// time, read from the index, without formatting a date per row.
func (lt sqliteLocalTime) MonthNum(col string) (string, []any) {
	if len(lt.months) == 0 {
		return "0", nil
	}
	return monthTree(sqliteSQL{}.UnixSeconds(col), lt.months), nil
}

func (lt sqliteLocalTime) Date(col string) (string, []any) {
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
