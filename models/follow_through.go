package models

import (
	"context"
	"fmt"
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
	// Now is the clock (zero: the real time); Loc the instance's zone,
	// in which "today" and the range's days are counted.
	Now time.Time
	Loc *time.Location
}

func (s FollowThroughScope) now() time.Time {
	if s.Now.IsZero() {
		return Now()
	}
	return UTC(s.Now)
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
var AgingBuckets = []AgingBucket{
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
var WithinDays = []int{30, 60, 90}

func ratio(n, d int64) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// ComputeFollowThrough computes every figure of the dashboard for s.
func ComputeFollowThrough(ctx context.Context, db *gorm.DB, s FollowThroughScope) (*FollowThrough, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.Now = s.now()
	f := &FollowThrough{Scope: s, Today: s.Today(), Now: s.Now}
	db = db.WithContext(ctx)
	steps := []func(*gorm.DB, *FollowThrough) error{snapshotFigures, completionFigures, closingFigures, trendFigures, severityFigures}
	for _, step := range steps {
		if err := step(db, f); err != nil {
			return nil, fmt.Errorf("models: follow-through: %w", TranslateError(err))
		}
	}
	return f, nil
}

// snapshotFigures: open, overdue, due soon and aging, in one pass over
// the open items.
func snapshotFigures(db *gorm.DB, f *FollowThrough) error {
	where, args := f.Scope.where()
	now := f.Now
	cols := []string{
		"COUNT(*) AS open",
		"COALESCE(SUM(CASE WHEN ai.due_date < ? THEN 1 ELSE 0 END), 0) AS overdue",
		"COALESCE(SUM(CASE WHEN ai.due_date >= ? AND ai.due_date <= ? THEN 1 ELSE 0 END), 0) AS due7",
		"COALESCE(SUM(CASE WHEN ai.due_date >= ? AND ai.due_date <= ? THEN 1 ELSE 0 END), 0) AS due30",
	}
	colArgs := []any{f.Today, f.Today, f.Today.AddDays(7), f.Today, f.Today.AddDays(30)}
	for i, b := range AgingBuckets {
		c := "1 = 1"
		if b.Min > 0 {
			c += " AND ai.created_at <= ?"
			colArgs = append(colArgs, now.Add(-time.Duration(b.Min)*day))
		}
		if b.Max >= 0 {
			c += " AND ai.created_at > ?"
			colArgs = append(colArgs, now.Add(-time.Duration(b.Max+1)*day))
		}
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+c+" THEN 1 ELSE 0 END), 0) AS age"+strconv.Itoa(i))
	}
	sql := "SELECT " + strings.Join(cols, ", ") + " FROM action_items ai WHERE ai.status IN " + openStatusesSQL + " AND " + where
	rows, err := db.Raw(sql, append(colArgs, args...)...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	ages := make([]int64, len(AgingBuckets))
	dest := []any{&f.Open, &f.Overdue, &f.DueIn7, &f.DueIn30}
	for i := range ages {
		dest = append(dest, &ages[i])
	}
	if rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	f.Aging = make([]AgingBucket, len(AgingBuckets))
	for i, b := range AgingBuckets {
		b.Count = ages[i]
		f.Aging[i] = b
	}
	return rows.Err()
}

// completionSums are the SQL sums of the completion outcomes, with their
// arguments (today twice); the caller restricts the rows to items due in
// the period or adds the condition cond to each sum.
func completionSums(cond string, today Date) (string, []any) {
	c := cond
	if c != "" {
		c += " AND "
	}
	sql := "COALESCE(SUM(CASE WHEN " + c + "ai.status = 'done' AND ai.closed_on <= ai.due_date THEN 1 ELSE 0 END), 0) AS on_time, " +
		"COALESCE(SUM(CASE WHEN " + c + "ai.status = 'done' AND NOT (ai.closed_on <= ai.due_date) THEN 1 ELSE 0 END), 0) AS late, " +
		"COALESCE(SUM(CASE WHEN " + c + "ai.status IN " + openStatusesSQL + " AND ai.due_date < ? THEN 1 ELSE 0 END), 0) AS open_overdue, " +
		"COALESCE(SUM(CASE WHEN " + c + "ai.status IN " + openStatusesSQL + " AND ai.due_date >= ? THEN 1 ELSE 0 END), 0) AS not_yet_due, " +
		"COALESCE(SUM(CASE WHEN " + c + "ai.status = 'wont_do' THEN 1 ELSE 0 END), 0) AS wont_do"
	return sql, []any{today, today}
}

func completionFigures(db *gorm.DB, f *FollowThrough) error {
	where, args := f.Scope.where()
	sums, sumArgs := completionSums("", f.Today)
	sql := "SELECT COUNT(*) AS due, " + sums + " FROM action_items ai WHERE ai.due_date >= ? AND ai.due_date <= ? AND " + where
	all := append(append(sumArgs, f.Scope.From, f.Scope.To), args...)
	var c Completion
	err := db.Raw(sql, all...).Row().Scan(&c.Due, &c.OnTime, &c.Late, &c.OpenOverdue, &c.NotYetDue, &c.WontDo)
	f.Completion = c
	return err
}

// closeSeconds is the SQL of an item's time to close in seconds, never
// negative.
func closeSeconds(db *gorm.DB) string {
	secs := secondsBetween(db, "ai.created_at", "ai.closed_at")
	if Dialect(db) == DialectPostgres {
		return "GREATEST(" + secs + "::float8, 0)"
	}
	return "MAX(" + secs + ", 0)"
}

// quantileRow is one group's count, mean, median and p90.
type quantileRow struct {
	G      int64
	N      int64
	Mean   *float64
	Median *float64
	P90    *float64
}

// groupQuantiles runs the per-group count, mean, median and p90 of the
// values `value` over `from` (a FROM … WHERE … clause on ai), grouped by
// the SQL expression group. PostgreSQL has percentile_cont; SQLite ranks
// the values with window functions and interpolates the same way
// (Quantile in stats.go is the definition).
func groupQuantiles(db *gorm.DB, group, value, from string, args []any) ([]quantileRow, error) {
	var sql string
	if Dialect(db) == DialectPostgres {
		sql = "SELECT " + group + " AS g, COUNT(*) AS n, AVG(" + value + ") AS mean, " +
			"percentile_cont(0.5) WITHIN GROUP (ORDER BY " + value + ") AS median, " +
			"percentile_cont(0.9) WITHIN GROUP (ORDER BY " + value + ") AS p90 " + from
		if group != "0" { // a constant is one group (and GROUP BY 0 would name a column)
			sql += " GROUP BY " + group
		}
	} else {
		q := func(p, name string) string {
			pos := p + " * (n - 1)"
			lo := "CAST(" + pos + " AS INTEGER)"
			hi := lo + " + (" + pos + " > " + lo + ")"
			return "MAX(CASE WHEN i = " + lo + " THEN v END) + (" + pos + " - " + lo + ") * " +
				"(MAX(CASE WHEN i = " + hi + " THEN v END) - MAX(CASE WHEN i = " + lo + " THEN v END)) AS " + name
		}
		sql = "WITH x AS (SELECT " + group + " AS g, " + value + " AS v " + from + "), " +
			"r AS (SELECT g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) - 1 AS i, COUNT(*) OVER (PARTITION BY g) AS n FROM x) " +
			"SELECT g, n, AVG(v) AS mean, " + q("0.5", "median") + ", " + q("0.9", "p90") + " FROM r GROUP BY g, n"
	}
	var out []quantileRow
	err := db.Raw(sql, args...).Scan(&out).Error
	return out, err
}

func closingFigures(db *gorm.DB, f *FollowThrough) error {
	where, args := f.Scope.where()
	from := "FROM action_items ai WHERE ai.status IN ('done', 'wont_do') AND ai.closed_on >= ? AND ai.closed_on <= ? AND " + where
	all := append([]any{f.Scope.From, f.Scope.To}, args...)
	var c Closing
	if err := db.Raw("SELECT COUNT(*), COALESCE(SUM(CASE WHEN ai.status = 'wont_do' THEN 1 ELSE 0 END), 0) "+from, all...).
		Row().Scan(&c.Closed, &c.WontDo); err != nil {
		return err
	}
	rows, err := groupQuantiles(db, "0", closeSeconds(db), from, all)
	if err != nil {
		return err
	}
	if len(rows) == 1 {
		c.MeanSeconds, c.MedianSeconds, c.P90Seconds = rows[0].Mean, rows[0].Median, rows[0].P90
	}
	f.Closing = c
	return nil
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
// The sums of +1/−1 at those indexes, accumulated, give the counts.
func trendFigures(db *gorm.DB, f *FollowThrough) error {
	pts := TrendPoints(f.Scope.From, f.Scope.To, f.Now, f.Scope.loc())
	n := len(pts)
	var sArgs, eArgs, dArgs []any
	var s, e, d strings.Builder
	s.WriteString("CASE")
	e.WriteString("CASE WHEN ai.closed_at IS NULL THEN " + strconv.Itoa(n))
	d.WriteString("CASE WHEN ai.due_date IS NULL THEN " + strconv.Itoa(n))
	for k, p := range pts {
		ks := strconv.Itoa(k)
		s.WriteString(" WHEN ai.created_at < ? THEN " + ks)
		e.WriteString(" WHEN ai.closed_at < ? THEN " + ks)
		d.WriteString(" WHEN ai.due_date < ? THEN " + ks)
		sArgs, eArgs, dArgs = append(sArgs, p.At), append(eArgs, p.At), append(dArgs, p.Day)
	}
	for _, b := range []*strings.Builder{&s, &e, &d} {
		b.WriteString(" ELSE " + strconv.Itoa(n) + " END")
	}
	where, args := f.Scope.where()
	so := "CASE WHEN bd > s THEN bd ELSE s END"
	sql := "WITH it AS (SELECT " + s.String() + " AS s, " + e.String() + " AS e, " + d.String() + " AS bd " +
		"FROM action_items ai WHERE ai.created_at < ? AND (ai.closed_at IS NULL OR ai.closed_at >= ?) AND " + where + "), " +
		"d AS (SELECT s AS k, 1 AS dopen, 0 AS dover FROM it WHERE s < e " +
		"UNION ALL SELECT e, -1, 0 FROM it WHERE s < e AND e < " + strconv.Itoa(n) + " " +
		"UNION ALL SELECT " + so + ", 0, 1 FROM it WHERE " + so + " < e " +
		"UNION ALL SELECT e, 0, -1 FROM it WHERE " + so + " < e AND e < " + strconv.Itoa(n) + ") " +
		"SELECT k, SUM(dopen) AS dopen, SUM(dover) AS dover FROM d GROUP BY k ORDER BY k"
	all := append(append(append(append(sArgs, eArgs...), dArgs...), pts[n-1].At, pts[0].At), args...)
	var deltas []struct {
		K     int
		Dopen int64
		Dover int64
	}
	if err := db.Raw(sql, all...).Scan(&deltas).Error; err != nil {
		return err
	}
	var open, over int64
	j := 0
	for k := range pts {
		for j < len(deltas) && deltas[j].K == k {
			open += deltas[j].Dopen
			over += deltas[j].Dover
			j++
		}
		pts[k].Open, pts[k].Overdue = open, over
	}
	f.Trend = pts
	return nil
}

// severityFigures: postmortem and retro items (linked to an incident)
// created in the period, per severity of the incident.
func severityFigures(db *gorm.DB, f *FollowThrough) error {
	where, args := f.Scope.where()
	secs := secondsBetween(db, "ai.created_at", "ai.closed_at")
	cols := []string{"s.id AS severity_id", "COALESCE(s.name, '') AS name", "COALESCE(s.rank, 0) AS rank", "COALESCE(s.color, '') AS color",
		"COUNT(*) AS items", "COALESCE(SUM(CASE WHEN ai.status IN " + openStatusesSQL + " THEN 1 ELSE 0 END), 0) AS open"}
	var colArgs []any
	for _, days := range WithinDays {
		ds := strconv.Itoa(days)
		cols = append(cols,
			"COALESCE(SUM(CASE WHEN ai.created_at <= ? THEN 1 ELSE 0 END), 0) AS eligible"+ds,
			"COALESCE(SUM(CASE WHEN ai.created_at <= ? AND ai.closed_at IS NOT NULL AND "+secs+" <= "+strconv.Itoa(days*86400)+" THEN 1 ELSE 0 END), 0) AS closed"+ds)
		cut := f.Now.Add(-time.Duration(days) * day)
		colArgs = append(colArgs, cut, cut)
	}
	sql := "SELECT " + strings.Join(cols, ", ") + " FROM action_items ai JOIN incidents inc ON inc.id = ai.incident_id " +
		"LEFT JOIN severities s ON s.id = inc.severity_id " +
		"WHERE ai.created_at >= ? AND ai.created_at < ? AND " + where +
		" GROUP BY s.id, s.name, s.rank, s.color ORDER BY CASE WHEN s.id IS NULL THEN 1 ELSE 0 END, s.rank"
	all := append(append(colArgs, Midnight(f.Scope.From, f.Scope.loc()), Midnight(f.Scope.To.AddDays(1), f.Scope.loc())), args...)
	rows, err := db.Raw(sql, all...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r SeverityFollowThrough
		within := make([]ClosedWithin, len(WithinDays))
		dest := []any{&r.SeverityID, &r.Name, &r.Rank, &r.Color, &r.Items, &r.Open}
		for i, days := range WithinDays {
			within[i].Days = days
			dest = append(dest, &within[i].Eligible, &within[i].Closed)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		r.Within = within
		f.BySeverity = append(f.BySeverity, r)
	}
	return rows.Err()
}
