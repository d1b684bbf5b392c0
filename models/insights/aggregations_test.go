package insights_test

import (
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/insights"
)

// insightZones are the zones every aggregation is checked in: no DST, two
// DST rules on either side of the Atlantic, a 30-minute DST shift, a
// half-hour offset and a 45-minute one.
var insightZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// insightFilters are the filter combinations checked.
func insightFilters(g *genData) map[string]models.IncidentFilter {
	from := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	return map[string]models.IncidentFilter{
		"all":       {},
		"range":     {From: &from, To: &to},
		"severity":  {SeverityIDs: []int64{g.Severities[1].ID, g.Severities[2].ID}},
		"component": {ComponentIDs: []int64{g.Comps[1].ID}},
		"team":      {TeamIDs: []int64{g.Teams[0].ID}},
		"tag":       {Tags: []string{"network"}},
		"combined":  {From: &from, SeverityIDs: []int64{g.Severities[0].ID, g.Severities[3].ID}, Tags: []string{"database"}},
	}
}

// TestInsightAggregationsMatchGo checks every insight aggregation, computed
// in SQL, against a computation in Go over the same generated incidents, in
// six time zones and seven filter combinations, on every dialect.
func TestInsightAggregationsMatchGo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		g := genIncidents(t, db, 600, 1)
		today := models.Date{Year: 2025, Month: time.March, Day: 31}
		for fname, f := range insightFilters(g) {
			for _, zone := range insightZones {
				loc := mustLoc(t, zone)
				s := insights.Scope{Filter: f, Location: loc}
				incs := g.scoped(f)
				t.Run(fname+"/"+zone, func(t *testing.T) {
					if len(incs) == 0 {
						t.Fatal("the filter matches nothing: the check would be empty")
					}
					checkHourOfWeek(t, db, s, incs)
					checkWeekdays(t, db, s, incs)
					checkOverTime(t, db, s, incs, g)
					checkOnThisDay(t, db, s, incs, today)
				})
			}
			// Durations and components depend on the zone only through
			// the monthly trend: check them in two zones.
			for _, zone := range []string{"UTC", "America/New_York"} {
				s := insights.Scope{Filter: f, Location: mustLoc(t, zone)}
				incs := g.scoped(f)
				t.Run(fname+"/durations/"+zone, func(t *testing.T) {
					for _, m := range insights.DurationMetrics() {
						checkDurations(t, db, s, incs, m)
					}
					// All four at once agree with one at a time.
					all, err := insights.IncidentDurationStatsAll(ctx, db, s)
					if err != nil {
						t.Fatal(err)
					}
					for i, m := range insights.DurationMetrics() {
						one, err := insights.IncidentDurationStats(ctx, db, s, m)
						if err != nil {
							t.Fatal(err)
						}
						if all[i].Metric.Key != m.Key || all[i].Count != one.Count || !near(all[i].Median, one.Median) || !near(all[i].P90, one.P90) || all[i].Undefined != one.Undefined {
							t.Errorf("%s: all-at-once %+v, alone %+v", m.Key, all[i], one)
						}
					}
				})
				t.Run(fname+"/components/"+zone, func(t *testing.T) {
					checkComponents(t, db, s, incs, g, f, today)
				})
			}
		}
	})
}

func checkHourOfWeek(t *testing.T, db *gorm.DB, s insights.Scope, incs []*models.Incident) {
	t.Helper()
	var want [168]int
	for _, inc := range incs {
		lt := inc.StartedAt.In(s.Location)
		want[int(lt.Weekday())*24+lt.Hour()]++
	}
	got, err := insights.HourOfWeekCounts(ctx, db, s)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s %02d:00: SQL %d, Go %d", time.Weekday(i/24), i%24, got[i], want[i])
			}
		}
	}
	h, err := insights.IncidentHeatmap(ctx, db, s)
	if err != nil {
		t.Fatal(err)
	}
	if h.Total != len(incs) || h.Cells[4][0] != want[int(time.Friday)*24] || h.Cells[6][23] != want[23] {
		t.Errorf("heatmap: total %d (want %d), Fri 00h %d, Sun 23h %d", h.Total, len(incs), h.Cells[4][0], h.Cells[6][23])
	}
}

func checkWeekdays(t *testing.T, db *gorm.DB, s insights.Scope, incs []*models.Incident) {
	t.Helper()
	for _, only := range []bool{false, true} {
		var obs []float64
		byDay := map[time.Weekday]int{}
		for _, inc := range incs {
			byDay[inc.StartedAt.In(s.Location).Weekday()]++
		}
		days := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
		if only {
			days = days[:5]
		}
		n := 0
		for _, d := range days {
			obs = append(obs, float64(byDay[d]))
			n += byDay[d]
		}
		exp := make([]float64, len(obs))
		for i := range exp {
			exp[i] = float64(n) / float64(len(obs))
		}
		chi := stat.ChiSquare(obs, exp)
		p := distuv.ChiSquared{K: float64(len(obs) - 1)}.Survival(chi)

		w, err := insights.IncidentWeekdays(ctx, db, s, only)
		if err != nil {
			t.Fatal(err)
		}
		if w.Total != n || len(w.Days) != len(days) || w.Test == nil {
			t.Fatalf("weekdays only=%v: total %d (want %d), %d days", only, w.Total, n, len(w.Days))
		}
		for i, d := range w.Days {
			if d.Weekday != days[i] || d.Count != int(obs[i]) || math.Abs(d.Expected-exp[i]) > 1e-9 {
				t.Errorf("weekdays only=%v: %v = %d (exp %.2f), want %v = %v (exp %.2f)", only, d.Weekday, d.Count, d.Expected, days[i], obs[i], exp[i])
			}
		}
		if math.Abs(w.Test.Statistic-chi) > 1e-9 || math.Abs(w.Test.PValue-p) > 1e-12 || w.Test.DF != len(days)-1 {
			t.Errorf("chi-square %v p %v df %d, want %v p %v", w.Test.Statistic, w.Test.PValue, w.Test.DF, chi, p)
		}
	}
}

// goWeekStart is the Monday of the local week of t, computed from the
// calendar (not from models' helpers).
func goWeekStart(t time.Time) models.Date {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	for day.Weekday() != time.Monday {
		day = day.AddDate(0, 0, -1)
	}
	return models.DateOf(day)
}

func checkOverTime(t *testing.T, db *gorm.DB, s insights.Scope, incs []*models.Incident, g *genData) {
	t.Helper()
	for _, interval := range []string{insights.IntervalWeek, insights.IntervalMonth} {
		want := map[models.Date]map[string]int{}
		for _, inc := range incs {
			lt := inc.StartedAt.In(s.Location)
			b := goWeekStart(lt)
			if interval == insights.IntervalMonth {
				b = models.Date{Year: lt.Year(), Month: lt.Month(), Day: 1}
			}
			sev := "Unclassified"
			for _, sv := range g.Severities {
				if inc.SeverityID != nil && *inc.SeverityID == sv.ID {
					sev = sv.Name
				}
			}
			if want[b] == nil {
				want[b] = map[string]int{}
			}
			want[b][sev]++
		}
		ot, err := insights.IncidentsOverTime(ctx, db, s, interval)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		seen := 0
		for i, b := range ot.Buckets {
			if i > 0 && !ot.Buckets[i-1].Start.Before(b.Start) {
				t.Fatalf("%s buckets out of order at %v", interval, b.Start)
			}
			sum := 0
			for j, n := range b.Counts {
				if n != want[b.Start][ot.Severities[j].Name] {
					t.Errorf("%s %v %s: SQL %d, Go %d", interval, b.Start, ot.Severities[j].Name, n, want[b.Start][ot.Severities[j].Name])
				}
				sum += n
			}
			if sum != b.Total {
				t.Errorf("%s %v: total %d, sum %d", interval, b.Start, b.Total, sum)
			}
			if _, ok := want[b.Start]; ok {
				seen++
			}
			total += b.Total
		}
		if total != len(incs) || ot.Total != len(incs) || seen != len(want) {
			t.Errorf("%s: %d incidents in %d buckets, want %d in %d", interval, total, seen, len(incs), len(want))
		}
	}
}

// goDurations are a metric's defined values in seconds, sorted.
func goDurations(incs []*models.Incident, m insights.DurationMetric) []float64 {
	var out []float64
	for _, inc := range incs {
		idx := slices.IndexFunc(insights.DurationMetrics(), func(x insights.DurationMetric) bool { return x.Key == m.Key })
		if d := inc.Durations().List()[idx]; d != nil {
			out = append(out, d.Seconds())
		}
	}
	sort.Float64s(out)
	return out
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b))
}

func checkDurations(t *testing.T, db *gorm.DB, s insights.Scope, incs []*models.Incident, m insights.DurationMetric) {
	t.Helper()
	vals := goDurations(incs, m)
	st, err := insights.IncidentDurationStats(ctx, db, s, m)
	if err != nil {
		t.Fatal(err)
	}
	mean := math.NaN()
	if len(vals) > 0 {
		mean = stat.Mean(vals, nil)
	}
	if st.Count != len(vals) || st.Undefined != len(incs)-len(vals) {
		t.Fatalf("%s: count %d undefined %d, want %d and %d", m.Key, st.Count, st.Undefined, len(vals), len(incs)-len(vals))
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"min", st.Min, models.Quantile(vals, 0)}, {"q1", st.Q1, models.Quantile(vals, 0.25)},
		{"median", st.Median, models.Quantile(vals, 0.5)}, {"q3", st.Q3, models.Quantile(vals, 0.75)},
		{"p90", st.P90, models.Quantile(vals, 0.9)}, {"max", st.Max, models.Quantile(vals, 1)}, {"mean", st.Mean, mean},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s %s: SQL %v, Go %v", m.Key, c.name, c.got, c.want)
		}
	}
	// Histogram: every defined value in exactly one bin.
	bins, err := insights.IncidentDurationHistogram(ctx, db, s, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bins {
		n := 0
		for _, v := range vals {
			if v >= b.From && v < b.To {
				n++
			}
		}
		if n != b.Count {
			t.Errorf("%s bin %s: SQL %d, Go %d", m.Key, b.Label, b.Count, n)
		}
	}
	// Monthly trend in the scope's zone.
	byMonth := map[models.Date][]float64{}
	idx := slices.IndexFunc(insights.DurationMetrics(), func(x insights.DurationMetric) bool { return x.Key == m.Key })
	for _, inc := range incs {
		if d := inc.Durations().List()[idx]; d != nil {
			lt := inc.StartedAt.In(s.Location)
			k := models.Date{Year: lt.Year(), Month: lt.Month(), Day: 1}
			byMonth[k] = append(byMonth[k], d.Seconds())
		}
	}
	trend, err := insights.IncidentDurationTrend(ctx, db, s, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(trend) != len(byMonth) {
		t.Fatalf("%s trend: %d months, want %d", m.Key, len(trend), len(byMonth))
	}
	for _, mo := range trend {
		v := byMonth[mo.Month]
		sort.Float64s(v)
		if mo.Count != len(v) || !near(mo.Median, models.Quantile(v, 0.5)) || !near(mo.P90, models.Quantile(v, 0.9)) || !near(mo.Mean, stat.Mean(v, nil)) {
			t.Errorf("%s %v: n=%d median %v p90 %v mean %v; Go n=%d median %v p90 %v mean %v", m.Key, mo.Month,
				mo.Count, mo.Median, mo.P90, mo.Mean, len(v), models.Quantile(v, 0.5), models.Quantile(v, 0.9), stat.Mean(v, nil))
		}
	}
}

func checkComponents(t *testing.T, db *gorm.DB, s insights.Scope, incs []*models.Incident, g *genData, f models.IncidentFilter, today models.Date) {
	t.Helper()
	type agg struct {
		n, nImp, repeats int
		impact           float64
		starts           []time.Time
	}
	want := map[int64]*agg{}
	for _, inc := range incs {
		for _, c := range g.Components[inc.ID] {
			if len(f.ComponentIDs) > 0 && !slices.Contains(f.ComponentIDs, c) {
				continue
			}
			a := want[c]
			if a == nil {
				a = &agg{}
				want[c] = a
			}
			a.n++
			a.starts = append(a.starts, inc.StartedAt)
			end := inc.MitigatedAt
			if end == nil {
				end = inc.ResolvedAt
			}
			if end != nil {
				a.nImp++
				a.impact += end.Sub(inc.StartedAt).Seconds()
			}
		}
	}
	for _, a := range want {
		slices.SortFunc(a.starts, func(x, y time.Time) int { return x.Compare(y) })
		for i := 1; i < len(a.starts); i++ {
			if a.starts[i].Sub(a.starts[i-1]) <= 30*24*time.Hour {
				a.repeats++
			}
		}
	}
	ci, err := insights.IncidentComponents(ctx, db, s, today, 100)
	if err != nil {
		t.Fatal(err)
	}
	if ci.Total != len(incs) || len(ci.ByCount) != len(want) {
		t.Fatalf("components: total %d (want %d), %d components (want %d)", ci.Total, len(incs), len(ci.ByCount), len(want))
	}
	for i, st := range ci.ByCount {
		a := want[st.Component.ID]
		if a == nil || st.Incidents != a.n || st.ImpactIncidents != a.nImp || !near(st.ImpactSeconds, a.impact) || st.Repeats != a.repeats {
			t.Errorf("%s: n=%d imp=%v (%d) repeats=%d; Go %+v", st.Component.Name, st.Incidents, st.ImpactSeconds, st.ImpactIncidents, st.Repeats, a)
			continue
		}
		if st.LastStarted == nil || !st.LastStarted.Equal(a.starts[len(a.starts)-1]) {
			t.Errorf("%s: last %v, want %v", st.Component.Name, st.LastStarted, a.starts[len(a.starts)-1])
		}
		if i > 0 && ci.ByCount[i-1].Incidents < st.Incidents {
			t.Errorf("by count not sorted at %s", st.Component.Name)
		}
	}
	for i := 1; i < len(ci.ByImpact); i++ {
		if ci.ByImpact[i-1].ImpactSeconds < ci.ByImpact[i].ImpactSeconds {
			t.Errorf("by impact not sorted at %s", ci.ByImpact[i].Component.Name)
		}
	}
	nRep := 0
	for _, a := range want {
		if a.repeats > 0 {
			nRep++
		}
	}
	if len(ci.Repeats) != nRep {
		t.Errorf("%d components with repeats, want %d", len(ci.Repeats), nRep)
	}
	// No component was ever reviewed: all are due, each with its count.
	wantOverdue := 0
	for _, c := range g.Comps {
		if len(f.ComponentIDs) > 0 && !slices.Contains(f.ComponentIDs, c.ID) {
			continue
		}
		if len(f.TeamIDs) > 0 && (g.CompTeam[c.ID] == nil || !slices.Contains(f.TeamIDs, *g.CompTeam[c.ID])) {
			continue
		}
		wantOverdue++
	}
	if len(ci.Overdue) != wantOverdue {
		t.Errorf("%d components overdue, want %d", len(ci.Overdue), wantOverdue)
	}
	for _, o := range ci.Overdue {
		n := 0
		if a := want[o.Component.ID]; a != nil {
			n = a.n
		}
		if o.Incidents != n || o.State.Kind != "never" {
			t.Errorf("overdue %s: %d incidents (%s), want %d", o.Component.Name, o.Incidents, o.State.Kind, n)
		}
	}
}

func checkOnThisDay(t *testing.T, db *gorm.DB, s insights.Scope, incs []*models.Incident, _ models.Date) {
	t.Helper()
	// Days with history in the generated data: the DST dates and a 29th
	// of February seen from the 28th of a common year.
	for _, today := range []models.Date{{Year: 2025, Month: 3, Day: 31}, {Year: 2025, Month: 10, Day: 27}, {Year: 2025, Month: 2, Day: 28}, {Year: 2024, Month: 11, Day: 3}} {
		var want []int64
		for _, inc := range incs {
			lt := inc.StartedAt.In(s.Location)
			sameDay := lt.Month() == today.Month && lt.Day() == today.Day
			if today.Month == 2 && today.Day == 28 && lt.Month() == 2 && lt.Day() == 29 {
				sameDay = true
			}
			if sameDay && lt.Year() < today.Year {
				want = append(want, inc.ID)
			}
		}
		got, err := insights.IncidentsOnThisDay(ctx, db, s, today, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i, h := range got {
			ids = append(ids, h.Incident.ID)
			if i > 0 && got[i-1].Incident.StartedAt.Before(h.Incident.StartedAt) {
				t.Errorf("on this day: not newest first")
			}
			if h.YearsAgo != today.Year-h.Incident.StartedAt.In(s.Location).Year() || h.YearsAgo < 1 {
				t.Errorf("on this day: %d years ago", h.YearsAgo)
			}
		}
		slices.Sort(ids)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("on this day %v: %v, want %v", today, ids, want)
		}
	}
}
