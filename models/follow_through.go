package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Follow-through figures: how well action items get done, for a scope
// (a team, an owner, a component, incidents of a severity or tag) and a
// date range. Every figure is computed in SQL (per dialect where functions
// differ); the definitions below are shown next to each figure.

// FollowThroughScope selects the items the figures count and the period.
// Zero IDs do not filter. From and To are days in Loc (inclusive).
type FollowThroughScope struct {
	TeamID      int64
	OwnerID     int64
	ComponentID int64
	// SeverityID and IncidentTag keep items of incidents with that
	// severity or tag (postmortem and retro items).
	SeverityID  int64
	IncidentTag string

	From, To Date
	// Now is the time the scope is seen at (zero: the database's clock,
	// filled in by the functions that take a database; Today, Query and
	// Validate read it as it is); Loc the instance's zone, in which
	// "today" and the range's days are counted.
	Now time.Time
	Loc *time.Location
}

func (s FollowThroughScope) now() time.Time { return UTC(s.Now) }

// at is s seen at the database's clock unless s.Now is set.
func (s FollowThroughScope) at(db *gorm.DB) FollowThroughScope {
	if s.Now.IsZero() {
		s.Now = Now(db)
	}
	s.Now = UTC(s.Now)
	return s
}

func (s FollowThroughScope) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

// Today is the current day in the scope's zone.
func (s FollowThroughScope) Today() Date { return Today(s.now(), s.loc()) }

// Query is the list filter with the scope's selection (not its period):
// the base of every link from a figure to the items behind it.
func (s FollowThroughScope) Query() ActionQuery {
	q := ActionQuery{SeverityID: s.SeverityID, IncidentTag: s.IncidentTag, Now: s.now(), Loc: s.loc()}
	q.TeamID, q.OwnerID, q.ComponentID = s.TeamID, s.OwnerID, s.ComponentID
	q.Today = s.Today()
	return q
}

// Validate checks the period.
func (s FollowThroughScope) Validate() error {
	v := &ValidationError{}
	switch {
	case s.From.IsZero():
		v.Add("from", "Enter the first day of the period as YYYY-MM-DD.")
	case s.To.IsZero():
		v.Add("to", "Enter the last day of the period as YYYY-MM-DD.")
	case s.To.Before(s.From):
		v.Add("to", "The period ends before it starts.")
	case s.From.DaysUntil(s.To) > MaxFollowThroughDays:
		v.Add("from", fmt.Sprintf("Choose a period of at most %d days.", MaxFollowThroughDays))
	case s.From.After(s.Today()):
		v.Add("from", "The period starts in the future.")
	}
	return v.Err()
}

// MaxFollowThroughDays caps a period (two years of weekly trend points).
const MaxFollowThroughDays = 731

// where is the scope's selection as SQL on action_items aliased ai.
func (s FollowThroughScope) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if s.TeamID != 0 {
		conds, args = append(conds, "ai.team_id = ?"), append(args, s.TeamID)
	}
	if s.OwnerID != 0 {
		conds, args = append(conds, "ai.owner_id = ?"), append(args, s.OwnerID)
	}
	if s.ComponentID != 0 {
		conds, args = append(conds, "ai.component_id = ?"), append(args, s.ComponentID)
	}
	if s.SeverityID != 0 {
		conds, args = append(conds, "ai.incident_id IN (SELECT id FROM incidents WHERE severity_id = ?)"), append(args, s.SeverityID)
	}
	if s.IncidentTag != "" {
		conds, args = append(conds, "ai.incident_id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)"), append(args, s.IncidentTag)
	}
	return strings.Join(conds, " AND "), args
}

// FollowThrough is every figure of the dashboard for one scope.
type FollowThrough struct {
	Scope FollowThroughScope
	Today Date
	Now   time.Time

	// Open items (open, in progress or blocked) right now; Overdue those
	// due before today; DueIn7/DueIn30 those due from today through
	// today + 7 / + 30 days.
	Open, Overdue, DueIn7, DueIn30 int64
	// Aging sorts the open items by days since they were created.
	Aging []AgingBucket
	// Completion is how the items due in the period met their due date.
	Completion Completion
	// Closing is about the items closed in the period.
	Closing Closing
	// Trend counts open and overdue items at the start of each week of the
	// period (and now, when the period reaches today).
	Trend []TrendPoint
	// BySeverity is the follow-through of postmortem and retro items
	// created in the period, per severity of their incident.
	BySeverity []SeverityFollowThrough
	// Breakdown is per team or owner (BreakdownBy), most overdue first;
	// only from ComputeFollowThroughBy.
	BreakdownBy string
	Breakdown   []FollowThroughRow
}

// AgingBucket is a range of ages of open items, in whole days since
// creation: Min ≤ age ≤ Max (no upper bound when Max < 0).
type AgingBucket struct {
	Key      string
	Label    string
	Min, Max int
	Count    int64
}

// AgingBuckets are the age ranges of the dashboard.
// Each call returns a fresh copy.
func AgingBuckets() []AgingBucket { return slices.Clone(agingBuckets) }

var agingBuckets = []AgingBucket{
	{Key: "0-6", Label: "Under a week", Min: 0, Max: 6},
	{Key: "7-29", Label: "1–4 weeks", Min: 7, Max: 29},
	{Key: "30-89", Label: "1–3 months", Min: 30, Max: 89},
	{Key: "90-179", Label: "3–6 months", Min: 90, Max: 179},
	{Key: "180-", Label: "Over 6 months", Min: 180, Max: -1},
}

// Completion counts the items due in the period by outcome.
type Completion struct {
	Due         int64 // every item due in the period
	OnTime      int64 // done on or before the due date
	Late        int64 // done after the due date
	OpenOverdue int64 // still open, past the due date
	NotYetDue   int64 // still open, due today or later
	WontDo      int64 // closed as won't do
}

// Decided is the denominator of the completion rate: items done or past
// their due date.
func (c Completion) Decided() int64 { return c.OnTime + c.Late + c.OpenOverdue }

// Rate is done on time ÷ (done on time + done late + open and overdue);
// ok is false when no item is decided yet.
func (c Completion) Rate() (rate float64, ok bool) { return ratio(c.OnTime, c.Decided()) }

// Closing describes the items closed (done or won't do) in the period.
type Closing struct {
	Closed int64
	WontDo int64
	// Time to close = closed − created (an item closed before it was
	// created, such as imported history, counts as 0). Nil without items.
	MedianSeconds, P90Seconds, MeanSeconds *float64
}

// WontDoShare is won't do ÷ closed.
func (c Closing) WontDoShare() (float64, bool) { return ratio(c.WontDo, c.Closed) }

// TrendPoint is the number of open and overdue items at one instant:
// midnight starting Day, or Now for the live point.
type TrendPoint struct {
	Day  Date
	At   time.Time
	Live bool
	Open int64
	// Overdue: open at At and due before Day.
	Overdue int64
}

// SeverityFollowThrough is the follow-through of postmortem and retro
// items of one incident severity (SeverityID nil: incidents without one).
type SeverityFollowThrough struct {
	SeverityID *int64
	Name       string
	Rank       int
	Color      string
	Items      int64
	Open       int64
	Within     []ClosedWithin
}

// ClosedWithin is how many items closed within Days of their creation,
// among the items created at least Days ago (Eligible).
type ClosedWithin struct {
	Days     int
	Eligible int64
	Closed   int64
}

// Rate is Closed ÷ Eligible.
func (c ClosedWithin) Rate() (float64, bool) { return ratio(c.Closed, c.Eligible) }

// WithinDays are the windows of follow-through by severity.
// Each call returns a fresh copy.
func WithinDays() []int { return slices.Clone(withinDays) }

var withinDays = []int{30, 60, 90}

func ratio(n, d int64) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// ComputeFollowThrough computes every figure of the dashboard for s.
func ComputeFollowThrough(ctx context.Context, db *gorm.DB, s FollowThroughScope) (*FollowThrough, error) {
	return computeFollowThrough(ctx, db, s, "")
}

// ComputeFollowThroughBy computes every figure and, in Breakdown, the main
// figures per team or per owner (by is ByTeam or ByOwner). The counts are
// read once, per group; the totals are the sums of the groups.
func ComputeFollowThroughBy(ctx context.Context, db *gorm.DB, s FollowThroughScope, by string) (*FollowThrough, error) {
	return computeFollowThrough(ctx, db, s, by)
}

func computeFollowThrough(ctx context.Context, db *gorm.DB, s FollowThroughScope, by string) (*FollowThrough, error) {
	s = s.at(db)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	f := &FollowThrough{Scope: s, Today: s.Today(), Now: s.Now, BreakdownBy: by}
	db = db.WithContext(ctx)
	group := allItems
	if by != "" {
		group = groupCol(by)
	}
	var (
		snap map[int64]snapshotRow
		comp map[int64]Completion
		cl   map[int64]Closing
	)
	err := Parallel(db,
		func() (err error) { snap, err = snapshotByGroup(db, s, group); return err },
		func() (err error) { comp, err = completionByGroup(db, s, group); return err },
		func() (err error) { cl, err = closingByGroup(db, s, group); return err },
		func() error { return trendFigures(db, f) },
		func() error { return severityFigures(db, f) },
	)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through: %w", TranslateError(err))
	}
	f.Aging = make([]AgingBucket, len(agingBuckets))
	copy(f.Aging, agingBuckets)
	for _, r := range snap {
		f.Open, f.Overdue, f.DueIn7, f.DueIn30 = f.Open+r.Open, f.Overdue+r.Overdue, f.DueIn7+r.DueIn7, f.DueIn30+r.DueIn30
		for i := range f.Aging {
			f.Aging[i].Count += r.Ages[i]
		}
	}
	for _, c := range comp {
		t := &f.Completion
		t.Due, t.OnTime, t.Late, t.OpenOverdue, t.NotYetDue, t.WontDo = t.Due+c.Due, t.OnTime+c.OnTime, t.Late+c.Late,
			t.OpenOverdue+c.OpenOverdue, t.NotYetDue+c.NotYetDue, t.WontDo+c.WontDo
	}
	if by == "" {
		f.Closing = cl[0]
	} else {
		f.Closing = cl[wholeScope]
		delete(cl, wholeScope)
		f.Breakdown = breakdownRows(snap, comp, cl)
	}
	return f, nil
}

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
