package insights_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/insights"
)

// BenchmarkInsightQueries times each insight query on 100,000 generated
// incidents (DEBRIEF_BENCH_INCIDENTS overrides the number), in a zone with
// DST, on every dialect:
//
//	go test ./models/insights -run '^$' -bench InsightQueries -benchtime 10x
//
// The page-level figures (server time through the router) are in
// app.BenchmarkInsights.
func BenchmarkInsightQueries(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("DEBRIEF_BENCH_INCIDENTS")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range dbtest.Dialects() {
		db := dbtest.New(b, dialect)
		t0 := time.Now()
		genIncidents(b, db, n, 7)
		stmt := "ANALYZE"
		if dialect == models.DialectPostgres {
			stmt = "VACUUM ANALYZE"
		}
		if err := db.Exec(stmt).Error; err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d incidents in %v", dialect, n, time.Since(t0).Round(time.Millisecond))
		loc, _ := time.LoadLocation("Europe/Berlin")
		s := insights.Scope{Location: loc}
		resolve, _ := insights.LookupDurationMetric("time_to_resolve")
		today := models.Today(time.Now(), loc)
		for name, fn := range map[string]func() error{
			"weekdays":        func() error { _, err := insights.IncidentWeekdays(ctx, db, s, false); return err },
			"heatmap":         func() error { _, err := insights.IncidentHeatmap(ctx, db, s); return err },
			"over-time-month": func() error { _, err := insights.IncidentsOverTime(ctx, db, s, insights.IntervalMonth); return err },
			"over-time-week":  func() error { _, err := insights.IncidentsOverTime(ctx, db, s, insights.IntervalWeek); return err },
			"durations-stats": func() error { _, err := insights.IncidentDurationStats(ctx, db, s, resolve); return err },
			"durations-trend": func() error { _, err := insights.IncidentDurationTrend(ctx, db, s, resolve); return err },
			"durations-histo": func() error { _, err := insights.IncidentDurationHistogram(ctx, db, s, resolve); return err },
			"components":      func() error { _, err := insights.IncidentComponents(ctx, db, s, today, 10); return err },
			"on-this-day":     func() error { _, err := insights.IncidentsOnThisDay(ctx, db, s, today, 50); return err },
		} {
			b.Run(dialect+"/"+name, func(b *testing.B) {
				for b.Loop() {
					if err := fn(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
