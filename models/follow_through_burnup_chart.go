package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// BurnUpPoint is the state of a group of items at one instant: how many
// existed (Created), were done and were dropped as won't do. Scope is
// Created − WontDo, the work still meant to happen.
type BurnUpPoint struct {
	Day     Date
	At      time.Time
	Live    bool
	Created int64
	Done    int64
	WontDo  int64
}

// Scope is the items meant to be done at the point.
func (p BurnUpPoint) Scope() int64 { return p.Created - p.WontDo }

// MaxBurnUpWeeks caps the weeks of a burn-up chart (the latest are kept).
const MaxBurnUpWeeks = 104

// BurnUp is the weekly burn-up of the items matching q (for example all
// items of one postmortem: q.IncidentID): one point at midnight starting
// each Monday from the week of the first item, and one now. Items count
// as done or won't do from their close time.
func BurnUp(ctx context.Context, db *gorm.DB, q ActionQuery) ([]BurnUpPoint, error) {
	db = db.WithContext(ctx)
	var first []time.Time
	if err := q.apply(db.Model(&ActionItem{})).Order("action_items.created_at").Limit(1).Pluck("action_items.created_at", &first).Error; err != nil {
		return nil, fmt.Errorf("models: burn-up: %w", TranslateError(err))
	}
	if len(first) == 0 {
		return nil, nil
	}
	loc, now := q.loc(), q.now(db)
	today := Today(now, loc)
	start := DateOf(first[0].In(loc))
	for start.Time().Weekday() != time.Monday {
		start = start.AddDays(-1)
	}
	if earliest := today.AddDays(-7 * MaxBurnUpWeeks); start.Before(earliest) {
		start = earliest
	}
	var pts []BurnUpPoint
	for d := start.AddDays(7); d.Before(today) || d == today; d = d.AddDays(7) {
		pts = append(pts, BurnUpPoint{Day: d, At: Midnight(d, loc)})
	}
	pts = append(pts, BurnUpPoint{Day: today, At: now, Live: true})
	n := len(pts)
	caseOf := func(col string) (string, []any) {
		var b strings.Builder
		var args []any
		b.WriteString("CASE WHEN " + col + " IS NULL THEN " + strconv.Itoa(n))
		for k, p := range pts {
			b.WriteString(" WHEN " + col + " < ? THEN " + strconv.Itoa(k))
			args = append(args, p.At)
		}
		b.WriteString(" ELSE " + strconv.Itoa(n) + " END")
		return b.String(), args
	}
	c, cArgs := caseOf("action_items.created_at")
	e, eArgs := caseOf("action_items.closed_at")
	sub := q.apply(db.Model(&ActionItem{})).Select(c+" AS c, "+e+" AS e, action_items.status AS st", append(cArgs, eArgs...)...)
	var rows []struct {
		C, E int
		St   string
		N    int64
	}
	if err := db.Raw("SELECT c, e, st, COUNT(*) AS n FROM (?) x GROUP BY c, e, st", sub).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: burn-up: %w", TranslateError(err))
	}
	created, done, wont := make([]int64, n+1), make([]int64, n+1), make([]int64, n+1)
	for _, r := range rows {
		created[r.C] += r.N
		closed := max(r.C, r.E) // an item closed before it was created counts from its creation
		switch r.St {
		case ActionDone:
			done[closed] += r.N
		case ActionWontDo:
			wont[closed] += r.N
		}
	}
	var sc, sd, sw int64
	for k := range pts {
		sc, sd, sw = sc+created[k], sd+done[k], sw+wont[k]
		pts[k].Created, pts[k].Done, pts[k].WontDo = sc, sd, sw
	}
	return pts, nil
}
