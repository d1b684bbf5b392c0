package models

import (
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// TrendPoints are the instants of the weekly trend of a period: midnight
// starting its first day, midnight starting each Monday in it, and the end
// of the period — or now, when the period reaches today.
func TrendPoints(from, to Date, now time.Time, loc *time.Location) []TrendPoint {
	if loc == nil {
		loc = time.UTC
	}
	today := Today(now, loc)
	end := to.AddDays(1)
	live := end.After(today)
	if live {
		end = today
	}
	pts := []TrendPoint{{Day: from, At: Midnight(from, loc)}}
	d := from.AddDays(1)
	for d.Time().Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	for ; d.Before(end); d = d.AddDays(7) {
		pts = append(pts, TrendPoint{Day: d, At: Midnight(d, loc)})
	}
	last := pts[len(pts)-1].Day
	switch {
	case live:
		pts = append(pts, TrendPoint{Day: today, At: UTC(now), Live: true})
	case end.After(last):
		pts = append(pts, TrendPoint{Day: end, At: Midnight(end, loc)})
	}
	return pts
}

// trendFigures counts, for every trend point T with day D, the items open
// at T (created before T, not closed before T) and those of them due
// before D. Each item gets the index of the first point it is open at
// (s), the first it is closed at (e) and the first whose day is past its
// due date (bd); it is open at points s…e−1 and overdue at max(s, bd)…e−1.
// SQL counts the items per (s, e, max(s, bd)) in one pass; the running
// sum of +1 at each start and −1 at each end gives the counts per point.
func trendFigures(db *gorm.DB, f *FollowThrough) error {
	pts := TrendPoints(f.Scope.From, f.Scope.To, f.Now, f.Scope.loc())
	n := len(pts)
	ats, days := make([]any, n), make([]any, n)
	for k, p := range pts {
		ats[k], days[k] = p.At, p.Day
	}
	var sArgs, eArgs, dArgs []any
	sExpr := firstAbove(SQL(db).Bare("ai.created_at"), ats, &sArgs)
	eExpr := "CASE WHEN ai.closed_at IS NULL THEN " + strconv.Itoa(n) + " ELSE " + firstAbove(SQL(db).Bare("ai.closed_at"), ats, &eArgs) + " END"
	dExpr := "CASE WHEN ai.due_date IS NULL THEN " + strconv.Itoa(n) + " ELSE " + firstAbove("ai.due_date", days, &dArgs) + " END"
	where, args := f.Scope.where()
	sql := "SELECT s, e, CASE WHEN bd > s THEN bd ELSE s END AS so, COUNT(*) AS n FROM (SELECT " +
		sExpr + " AS s, " + eExpr + " AS e, " + dExpr + " AS bd " +
		"FROM (SELECT ai.created_at, ai.closed_at, ai.due_date FROM action_items ai WHERE ai.closed_at IS NULL AND ai.created_at < ? AND " + where +
		" UNION ALL SELECT ai.created_at, ai.closed_at, ai.due_date FROM action_items ai WHERE ai.closed_at >= ? AND ai.created_at < ? AND " + where + ") ai) x " +
		"GROUP BY s, e, CASE WHEN bd > s THEN bd ELSE s END"
	// (Two index ranges — open items, items closed since the first point —
	// rather than an OR, which PostgreSQL answers with a bitmap heap scan.)
	all := append(append(append(sArgs, eArgs...), dArgs...), pts[n-1].At)
	all = append(append(all, args...), pts[0].At, pts[n-1].At)
	all = append(all, args...)
	var groups []struct {
		S, E, So int
		N        int64
	}
	if err := db.Raw(sql, all...).Scan(&groups).Error; err != nil {
		return err
	}
	dOpen, dOver := make([]int64, n+1), make([]int64, n+1)
	for _, g := range groups {
		if g.S < g.E {
			dOpen[g.S] += g.N
			dOpen[g.E] -= g.N
		}
		if g.So < g.E {
			dOver[g.So] += g.N
			dOver[g.E] -= g.N
		}
	}
	var open, over int64
	for k := range pts {
		open, over = open+dOpen[k], over+dOver[k]
		pts[k].Open, pts[k].Overdue = open, over
	}
	f.Trend = pts
	return nil
}

// firstAbove is SQL for the smallest k with col < bounds[k] (len(bounds)
// when there is none), for ascending bounds: a binary search of nested
// CASEs, so a row costs log₂(len) comparisons. Its arguments are
// appended to args in the order of the placeholders.
func firstAbove(col string, bounds []any, args *[]any) string {
	var b strings.Builder
	var search func(lo, hi int)
	search = func(lo, hi int) {
		if lo == hi {
			b.WriteString(strconv.Itoa(hi))
			return
		}
		mid := (lo + hi) / 2
		b.WriteString("CASE WHEN " + col + " < ? THEN ")
		*args = append(*args, bounds[mid])
		search(lo, mid)
		b.WriteString(" ELSE ")
		search(mid+1, hi)
		b.WriteString(" END")
	}
	search(0, len(bounds))
	return b.String()
}
