package app_test

import (
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// BenchmarkInsights measures every insight endpoint (server time through
// the real router, JSON encoding included) and the insight pages on
// 100,000 incidents, in a zone with daylight saving time:
//
//	go test ./app/ -run '^$' -bench Insights -benchtime 10x
//
// Besides ns/op it reports cpu-ms/op, the CPU time this process spent per
// request: on SQLite that is the query's own cost, which stays meaningful
// when other work shares the machine (on PostgreSQL the query runs in the
// server process, so only ns/op counts).
func BenchmarkInsights(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("DEBRIEF_BENCH_INCIDENTS")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range dbtest.Dialects() {
		db := dbtest.New(b, dialect)
		t0 := time.Now()
		seedIncidents(b, db, n)
		b.Logf("%s: seeded %d incidents in %v", dialect, n, time.Since(t0).Round(time.Millisecond))
		env := apptest.New(b, db)
		c, _ := env.As(models.RoleViewer)
		tz := "tz=Europe%2FBerlin"
		for _, q := range []struct{ name, path string }{
			{"api-weekdays", "/api/v1/insights/weekdays?" + tz},
			{"api-heatmap", "/api/v1/insights/heatmap?" + tz},
			{"api-over-time-month", "/api/v1/insights/over-time?interval=month&" + tz},
			{"api-over-time-week", "/api/v1/insights/over-time?interval=week&" + tz},
			{"api-durations", "/api/v1/insights/durations?metric=time_to_resolve&" + tz},
			{"api-durations-summary", "/api/v1/insights/durations/summary?" + tz},
			{"api-durations-histogram", "/api/v1/insights/durations/histogram?metric=time_to_resolve&" + tz},
			{"api-durations-trend", "/api/v1/insights/durations/trend?metric=time_to_resolve&" + tz},
			{"api-components", "/api/v1/insights/components?" + tz},
			{"api-today", "/api/v1/insights/today?" + tz},
			{"api-weekdays-team", "/api/v1/insights/weekdays?team=platform&" + tz},
			{"api-durations-tag", "/api/v1/insights/durations?tag=tag-07&" + tz},
			{"api-trend-severity-range", "/api/v1/insights/durations/trend?severity=SEV2&from=2024-01-01&to=2024-12-31&" + tz},
			{"api-components-component", "/api/v1/insights/components?component=component-03&" + tz},
			{"page-overview", "/insights?" + tz},
			{"page-weekdays", "/insights/weekdays?" + tz},
			{"page-durations", "/insights/durations?" + tz},
			{"page-components", "/insights/components?" + tz},
		} {
			b.Run(dialect+"/"+q.name, func(b *testing.B) {
				cpu0 := cpuTime()
				for b.Loop() {
					r := c.Get(q.path)
					if r.StatusCode != http.StatusOK {
						b.Fatalf("status %d: %.300s", r.StatusCode, r.Body)
					}
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
