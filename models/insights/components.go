package insights

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// RepeatWindow is how close two incidents on one component must start to
// count the later one as a repeat.
const RepeatWindow = 30 * 24 * time.Hour

// ImpactDefinition explains the customer-impact time of the components
// insight.
const ImpactDefinition = "mitigated − started (resolved − started when no mitigation time is recorded), summed over the component's incidents"

// ComponentIncidentStats are one component's incident figures in a scope.
type ComponentIncidentStats struct {
	Component models.Component
	Incidents int
	// ImpactSeconds sums the customer-impact time of the ImpactIncidents
	// incidents that have one (ImpactDefinition).
	ImpactSeconds   float64
	ImpactIncidents int
	// Repeats counts incidents that started within RepeatWindow of the
	// component's previous incident.
	Repeats     int
	LastStarted *time.Time
}

// OverdueComponent is a component whose review is overdue (or that was
// never reviewed), with its incidents in the scope.
type OverdueComponent struct {
	ComponentIncidentStats
	State models.CadenceState
}

// Components answers "which components hurt most?" for a scope.
type Components struct {
	Zone     string
	Total    int // incidents in the scope
	ByCount  []ComponentIncidentStats
	ByImpact []ComponentIncidentStats
	Repeats  []ComponentIncidentStats
	Overdue  []OverdueComponent
}

// sqlTime scans a timestamp that SQLite returns as text from an
// aggregate (MAX) and PostgreSQL as a time.
type sqlTime struct{ t *time.Time }

// Value makes gorm treat the type as a column, not a relation.
func (s sqlTime) Value() (driver.Value, error) {
	if s.t == nil {
		return nil, nil
	}
	return *s.t, nil
}

func (s *sqlTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		s.t = nil
	case time.Time:
		u := x.UTC()
		s.t = &u
	case string:
		t, err := parseSQLiteTime(x)
		if err != nil {
			return err
		}
		s.t = &t
	case []byte:
		return s.Scan(string(x))
	default:
		return fmt.Errorf("models: cannot read %T as a time", v)
	}
	return nil
}

// IncidentComponents computes the components insight: the top limit
// components by incident count and by customer-impact time, every
// component with repeat incidents, and the components overdue for review
// (on today) with their incident counts. A component filter narrows the
// components shown as well as the incidents; a team filter narrows the
// overdue list to the team's components.
func IncidentComponents(ctx context.Context, db *gorm.DB, s Scope, today models.Date, limit int) (*Components, error) {
	dialect := models.SQL(db)
	out := &Components{Zone: s.ZoneName()}
	// The total and the overdue components are read at the same time as
	// the per-component figures.
	var total int64
	var overdue []models.Component
	// One pass: per component and 30-day bucket of started_at, the count,
	// the first and last start and the impact. An incident is a repeat
	// when another on the component started at most 30 days before it:
	// every incident of a bucket but its first has one (they are less
	// than 30 days apart), and the first has one exactly when the previous
	// bucket's last incident is within 30 days of it (older buckets are
	// further away). So repeats = Σ (n − 1) + [previous last ≥ first − 30
	// days], without sorting every incident by time as LAG() would.
	window := RepeatWindow.Seconds()
	impact := dialect.SecondsBetween("incidents.started_at", "COALESCE(incidents.mitigated_at, incidents.resolved_at)")
	start := dialect.UnixSeconds("incidents.started_at")
	bucket := dialect.Floor(fmt.Sprintf("i.st / %g", window))
	sub := s.incidentsVia(ctx, db, insightsIndex).Select("incidents.id AS id, incidents.started_at AS started_at, " + start + " AS st, " + impact + " AS imp")
	// CROSS JOIN keeps SQLite's join order: incidents from the covering
	// index, then their components by primary key (the other way round it
	// looks up 150,000 table rows and parses their timestamps).
	and, wargs := "", []any{}
	if len(s.Filter.ComponentIDs) > 0 {
		and, wargs = " AND ic.component_id IN ?", []any{s.Filter.ComponentIDs}
	}
	var rows []struct {
		ID      int64
		N       int
		Impact  *float64
		NImp    int
		Repeats int
		Last    sqlTime
	}
	perComponent := func() error {
		return db.WithContext(ctx).Raw("WITH a AS (SELECT ic.component_id AS c, "+bucket+" AS b, COUNT(*) AS n, MIN(i.st) AS mn, MAX(i.st) AS mx, "+
			"MAX(i.started_at) AS last_at, SUM(i.imp) AS imp, COUNT(i.imp) AS n_imp "+
			"FROM "+dialect.Subquery()+" i CROSS JOIN incident_components ic WHERE ic.incident_id = i.id"+and+" GROUP BY ic.component_id, "+bucket+") "+
			"SELECT a.c AS id, SUM(a.n) AS n, SUM(a.imp) AS impact, SUM(a.n_imp) AS n_imp, MAX(a.last_at) AS last, "+
			"SUM(a.n - 1 + CASE WHEN p.mx >= a.mn - ? THEN 1 ELSE 0 END) AS repeats "+
			"FROM a LEFT JOIN a p ON p.c = a.c AND p.b = a.b - 1 GROUP BY a.c",
			append(append([]any{sub}, wargs...), window)...).Scan(&rows).Error
	}
	err := models.Parallel(db, perComponent,
		func() error { return s.incidents(ctx, db).Count(&total).Error },
		func() (err error) { overdue, err = overdueComponents(ctx, db, s, today); return err },
	)
	if err != nil {
		return nil, fmt.Errorf("models: incidents by component: %w", models.TranslateError(err))
	}
	out.Total = int(total)
	stats := map[int64]*ComponentIncidentStats{}
	for _, r := range rows {
		st := &ComponentIncidentStats{Incidents: r.N, ImpactIncidents: r.NImp, Repeats: r.Repeats, LastStarted: r.Last.t}
		if r.Impact != nil {
			st.ImpactSeconds = *r.Impact
		}
		stats[r.ID] = st
	}
	// The components themselves: those with incidents, and those overdue.
	ids := make([]int64, 0, len(stats))
	for id := range stats {
		ids = append(ids, id)
	}
	var comps []models.Component
	if len(ids) > 0 {
		if err := db.WithContext(ctx).Preload("Team").Where("id IN ?", ids).Find(&comps).Error; err != nil {
			return nil, fmt.Errorf("models: components insight: %w", models.TranslateError(err))
		}
	}
	var all []ComponentIncidentStats
	for _, c := range comps {
		st := stats[c.ID]
		st.Component = c
		all = append(all, *st)
	}
	byName := func(a, b ComponentIncidentStats) bool { return a.Component.Name < b.Component.Name }
	sort.Slice(all, func(i, j int) bool {
		if all[i].Incidents != all[j].Incidents {
			return all[i].Incidents > all[j].Incidents
		}
		return byName(all[i], all[j])
	})
	out.ByCount = all[:min(limit, len(all))]
	byImpact := slices.Clone(all)
	sort.SliceStable(byImpact, func(i, j int) bool { return byImpact[i].ImpactSeconds > byImpact[j].ImpactSeconds })
	for _, st := range byImpact {
		if st.ImpactSeconds > 0 && len(out.ByImpact) < limit {
			out.ByImpact = append(out.ByImpact, st)
		}
	}
	for _, st := range all {
		if st.Repeats > 0 {
			out.Repeats = append(out.Repeats, st)
		}
	}
	sort.SliceStable(out.Repeats, func(i, j int) bool { return out.Repeats[i].Repeats > out.Repeats[j].Repeats })
	for _, c := range overdue {
		oc := OverdueComponent{State: c.ReviewStateOn(today)}
		if st := stats[c.ID]; st != nil {
			oc.ComponentIncidentStats = *st
		}
		oc.Component = c
		out.Overdue = append(out.Overdue, oc)
	}
	// Most incidents first: an overdue review matters most where things
	// break.
	sort.SliceStable(out.Overdue, func(i, j int) bool { return out.Overdue[i].Incidents > out.Overdue[j].Incidents })
	return out, nil
}

// overdueComponents lists the components whose review is overdue or that
// were never reviewed, within the scope's component and team filters.
func overdueComponents(ctx context.Context, db *gorm.DB, s Scope, today models.Date) ([]models.Component, error) {
	var out []models.Component
	for _, r := range []string{models.ReviewFilterOverdue, models.ReviewFilterNever} {
		list, err := models.ListComponents(ctx, db, models.ComponentFilter{Review: r, Today: today})
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if len(s.Filter.ComponentIDs) > 0 && !slices.Contains(s.Filter.ComponentIDs, c.ID) {
				continue
			}
			if len(s.Filter.TeamIDs) > 0 && (c.TeamID == nil || !slices.Contains(s.Filter.TeamIDs, *c.TeamID)) {
				continue
			}
			out = append(out, c)
		}
	}
	return out, nil
}
