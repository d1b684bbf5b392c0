package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Breakdowns of the follow-through figures per team or per owner, and
// burn-up per postmortem.

// Breakdown groups.
const (
	ByTeam  = "team"
	ByOwner = "owner"
)

// FollowThroughRow is the follow-through of one team or owner (ID 0: items
// of no team, or nobody's) for a scope and period.
type FollowThroughRow struct {
	ID                     int64
	Open, Overdue, DueIn7  int64
	Completion             Completion
	Closed, WontDo         int64
	MedianSeconds, P90Secs *float64
}

// CompletionRate is done on time ÷ decided (see Completion.Rate).
func (r FollowThroughRow) CompletionRate() (float64, bool) { return r.Completion.Rate() }

// FollowThroughBreakdown computes the main figures per team or per owner
// (by is ByTeam or ByOwner), most overdue first.
func FollowThroughBreakdown(ctx context.Context, db *gorm.DB, s FollowThroughScope, by string) ([]FollowThroughRow, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	group := groupCol(by)
	snap, err := snapshotByGroup(db, s, group)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through by %s: %w", by, TranslateError(err))
	}
	comp, err := completionByGroup(db, s, group)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through by %s: %w", by, TranslateError(err))
	}
	cl, err := closingByGroup(db, s, group)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through by %s: %w", by, TranslateError(err))
	}
	return breakdownRows(snap, comp, cl), nil
}

// breakdownRows joins the per-group results, most overdue first.
func breakdownRows(snap map[int64]snapshotRow, comp map[int64]Completion, cl map[int64]Closing) []FollowThroughRow {
	ids := map[int64]bool{}
	for id := range snap {
		ids[id] = true
	}
	for id := range comp {
		ids[id] = true
	}
	for id := range cl {
		ids[id] = true
	}
	out := make([]FollowThroughRow, 0, len(ids))
	for id := range ids {
		r := FollowThroughRow{ID: id, Completion: comp[id]}
		if sn, ok := snap[id]; ok {
			r.Open, r.Overdue, r.DueIn7 = sn.Open, sn.Overdue, sn.DueIn7
		}
		if c, ok := cl[id]; ok {
			r.Closed, r.WontDo, r.MedianSeconds, r.P90Secs = c.Closed, c.WontDo, c.MedianSeconds, c.P90Seconds
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		if a.Open != b.Open {
			return a.Open > b.Open
		}
		return a.ID < b.ID
	})
	return out
}

// PostmortemBurnUp is the progress of the action items of one incident's
// postmortem (and retro) within a scope.
type PostmortemBurnUp struct {
	IncidentID     int64
	IncidentNumber int64
	IncidentTitle  string
	SeverityName   string
	SeverityColor  string
	Items          int64
	Done           int64
	WontDo         int64
	Open           int64
	Overdue        int64
}

// Key is the incident's key, like INC-42.
func (p PostmortemBurnUp) Key() string { return IncidentKey(p.IncidentNumber) }

// PostmortemBurnUps lists the postmortems with action items in the scope
// that still have open items or had items created or closed in the
// period: most overdue first, then most open, then newest.
func PostmortemBurnUps(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int) ([]PostmortemBurnUp, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	where, args := s.where()
	today := s.Today()
	// Open and overdue counts come from the open items alone (an index
	// range); incidents without open items but with items closed or created
	// in the period follow. Only the chosen incidents' items are read in full.
	openStatuses := "ai.status IN " + openStatusesSQL
	// (Grouping by incident_id + 0 keeps SQLite on the open items' index
	// instead of walking every postmortem item in incident order.)
	sql := "WITH o AS (SELECT ai.incident_id + 0 AS incident_id, COUNT(*) AS open, SUM(CASE WHEN ai.due_date < ? THEN 1 ELSE 0 END) AS overdue " +
		"FROM action_items ai WHERE ai.incident_id IS NOT NULL AND " + openStatuses + " AND " + where + " GROUP BY ai.incident_id + 0), " +
		"act AS (SELECT ai.incident_id FROM action_items ai WHERE ai.incident_id IS NOT NULL AND ai.closed_on >= ? AND ai.closed_on <= ? AND " + where +
		" UNION SELECT ai.incident_id FROM action_items ai WHERE ai.incident_id IS NOT NULL AND ai.created_at >= ? AND ai.created_at < ? AND " + where + "), " +
		"cand AS (SELECT incident_id, open, overdue FROM o UNION ALL SELECT incident_id, 0, 0 FROM act WHERE incident_id NOT IN (SELECT incident_id FROM o)), " +
		"top AS (SELECT cand.incident_id, cand.open, cand.overdue, inc.number FROM cand JOIN incidents inc ON inc.id = cand.incident_id " +
		"ORDER BY cand.overdue DESC, cand.open DESC, inc.number DESC LIMIT " + strconv.Itoa(limit) + ") " +
		"SELECT top.incident_id, top.number, inc.title, COALESCE(sv.name, ''), COALESCE(sv.color, ''), COUNT(*), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'done' THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'wont_do' THEN 1 ELSE 0 END), 0), top.open, top.overdue " +
		"FROM top JOIN action_items ai ON ai.incident_id = top.incident_id JOIN incidents inc ON inc.id = top.incident_id " +
		"LEFT JOIN severities sv ON sv.id = inc.severity_id " +
		"WHERE " + where + " GROUP BY top.incident_id, top.number, inc.title, sv.name, sv.color, top.open, top.overdue " +
		"ORDER BY top.overdue DESC, top.open DESC, top.number DESC"
	all := append([]any{today}, args...)
	all = append(append(all, s.From, s.To), args...)
	all = append(append(all, Midnight(s.From, s.loc()), Midnight(s.To.AddDays(1), s.loc())), args...)
	all = append(all, args...)
	rows, err := db.WithContext(ctx).Raw(sql, all...).Rows()
	if err != nil {
		return nil, fmt.Errorf("models: postmortem burn-ups: %w", TranslateError(err))
	}
	defer rows.Close()
	var out []PostmortemBurnUp
	for rows.Next() {
		var p PostmortemBurnUp
		if err := rows.Scan(&p.IncidentID, &p.IncidentNumber, &p.IncidentTitle, &p.SeverityName, &p.SeverityColor, &p.Items, &p.Done, &p.WontDo, &p.Open, &p.Overdue); err != nil {
			return nil, fmt.Errorf("models: postmortem burn-ups: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

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
	loc, now := q.loc(), q.now()
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
