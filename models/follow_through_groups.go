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
	s = s.at(db)
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
	delete(cl, wholeScope)
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
	BurnUpCounts
}

// Key is the incident's key, like INC-42.
func (p PostmortemBurnUp) Key() string { return IncidentKey(p.IncidentNumber) }

// ReviewBurnUp is the progress of the action items of one operational
// review (its findings' items included) within a scope.
type ReviewBurnUp struct {
	ReviewID      int64
	ReviewTitle   string
	ComponentName string
	ComponentSlug string
	BurnUpCounts
}

// BurnUpCounts are a group's items by state.
type BurnUpCounts struct {
	Items   int64
	Done    int64
	WontDo  int64
	Open    int64
	Overdue int64
}

// PostmortemBurnUps lists the postmortems with action items in the scope
// that still have open items or had items created or closed in the
// period: most overdue first, then most open, then the newest incident.
func PostmortemBurnUps(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int) ([]PostmortemBurnUp, error) {
	var out []PostmortemBurnUp
	err := burnUpGroups(ctx, db, s, limit, "incident_id",
		"JOIN incidents g ON g.id = top.gid LEFT JOIN severities sv ON sv.id = g.severity_id",
		"g.number, g.title, COALESCE(sv.name, ''), COALESCE(sv.color, '')",
		func(scan func(dest ...any) error) error {
			var p PostmortemBurnUp
			c := &p.BurnUpCounts
			if err := scan(&p.IncidentID, &p.IncidentNumber, &p.IncidentTitle, &p.SeverityName, &p.SeverityColor, &c.Items, &c.Done, &c.WontDo, &c.Open, &c.Overdue); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("models: postmortem burn-ups: %w", err)
	}
	return out, nil
}

// ReviewBurnUps lists the reviews with action items in the scope, chosen
// and ordered as PostmortemBurnUps.
func ReviewBurnUps(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int) ([]ReviewBurnUp, error) {
	var out []ReviewBurnUp
	err := burnUpGroups(ctx, db, s, limit, "review_id",
		"JOIN reviews g ON g.id = top.gid JOIN components gc ON gc.id = g.component_id",
		"g.title, gc.name, gc.slug",
		func(scan func(dest ...any) error) error {
			var r ReviewBurnUp
			c := &r.BurnUpCounts
			if err := scan(&r.ReviewID, &r.ReviewTitle, &r.ComponentName, &r.ComponentSlug, &c.Items, &c.Done, &c.WontDo, &c.Open, &c.Overdue); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("models: review burn-ups: %w", err)
	}
	return out, nil
}

// burnUpGroups runs the grouped burn-up query over the items' column col
// (incident_id, review_id): join joins the chosen groups (top.gid) as g,
// and cols are the group's columns to return after its id; each row goes
// to scan. Ties go to the newest group (highest id).
//
// Open and overdue counts come from the open items alone (an index range);
// groups without open items but with items closed or created in the
// period follow. Only the chosen groups' items are read in full. (col + 0
// keeps SQLite on the covering indexes of the open, closed and created
// ranges instead of walking every grouped item in group order, with a
// table lookup each: 10× slower on 100,000 items.)
func burnUpGroups(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int, col, join, cols string, scan func(func(...any) error) error) error {
	s = s.at(db)
	if err := s.Validate(); err != nil {
		return err
	}
	if limit <= 0 {
		limit = 20
	}
	where, args := s.where()
	c := "ai." + col
	sql := "WITH o AS (SELECT " + c + " + 0 AS gid, COUNT(*) AS open, SUM(CASE WHEN ai.due_date < ? THEN 1 ELSE 0 END) AS overdue " +
		"FROM action_items ai WHERE " + c + " IS NOT NULL AND ai.status IN " + openStatusesSQL + " AND " + where + " GROUP BY " + c + " + 0), " +
		"act AS (SELECT " + c + " + 0 AS gid FROM action_items ai WHERE " + c + " + 0 > 0 AND ai.closed_on >= ? AND ai.closed_on <= ? AND " + where +
		" UNION SELECT " + c + " + 0 FROM action_items ai WHERE " + c + " + 0 > 0 AND ai.created_at >= ? AND ai.created_at < ? AND " + where + "), " +
		"cand AS (SELECT gid, open, overdue FROM o UNION ALL SELECT gid, 0, 0 FROM act WHERE gid NOT IN (SELECT gid FROM o)), " +
		"top AS (SELECT gid, open, overdue FROM cand ORDER BY overdue DESC, open DESC, gid DESC LIMIT " + strconv.Itoa(limit) + ") " +
		"SELECT top.gid, " + cols + ", COUNT(*), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'done' THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'wont_do' THEN 1 ELSE 0 END), 0), top.open, top.overdue " +
		"FROM top JOIN action_items ai ON " + c + " = top.gid " + join +
		" WHERE " + where + " GROUP BY top.gid, " + cols + ", top.open, top.overdue " +
		"ORDER BY top.overdue DESC, top.open DESC, top.gid DESC"
	all := append([]any{s.Today()}, args...)
	all = append(append(all, s.From, s.To), args...)
	all = append(append(all, Midnight(s.From, s.loc()), Midnight(s.To.AddDays(1), s.loc())), args...)
	all = append(all, args...)
	rows, err := db.WithContext(ctx).Raw(sql, all...).Rows()
	if err != nil {
		return TranslateError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
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
