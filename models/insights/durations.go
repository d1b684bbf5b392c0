package insights

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// DurationMetric names one of the incident durations (PRODUCT.md):
// time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve.
type DurationMetric struct {
	Key        string // time_to_resolve
	Name       string // Time to resolve
	Definition string // resolved − started
	Column     string // resolved_at
	index      string // SQLite index ordered by the duration
}

// DurationMetrics lists the metrics in the order of the incident page.
// Each call returns a fresh copy.
func DurationMetrics() []DurationMetric { return slices.Clone(durationMetrics) }

var durationMetrics = func() []DurationMetric {
	cols := []string{"detected_at", "acknowledged_at", "mitigated_at", "resolved_at"}
	indexes := []string{"incidents_ttd_idx", "incidents_tta_idx", "incidents_ttm_idx", "incidents_ttr_idx"}
	out := make([]DurationMetric, len(models.DurationDefinitions()))
	for i, d := range models.DurationDefinitions() {
		out[i] = DurationMetric{Key: d.Field, Name: d.Name, Definition: d.Definition, Column: cols[i], index: indexes[i]}
	}
	return out
}()

// LookupDurationMetric finds a metric by key.
func LookupDurationMetric(key string) (DurationMetric, bool) {
	for _, m := range durationMetrics {
		if m.Key == key {
			return m, true
		}
	}
	return DurationMetric{}, false
}

// DurationStats summarise one metric over the scope, in seconds. Incidents
// without the metric's timestamp have no value and are left out (counted
// in Undefined), never counted as zero.
type DurationStats struct {
	Metric    DurationMetric
	Count     int
	Undefined int
	// Min, Q1, Median, Q3, P90 and Max are quantiles as PostgreSQL's
	// percentile_cont defines them; all are NaN when Count is 0.
	Min, Q1, Median, Q3, P90, Max, Mean float64
}

// DurationMonth is one local month of a metric's trend.
type DurationMonth struct {
	Month  models.Date // first day
	Count  int
	Median float64
	P90    float64
	Mean   float64
}

// HistogramBin is one bar of a duration histogram: From ≤ d < To seconds
// (To is +Inf for the last).
type HistogramBin struct {
	Label    string
	From, To float64
	Count    int
}

// histogramEdges are the bin edges in seconds: durations span seconds to
// weeks, so the bins grow roughly geometrically.
var histogramEdges = []struct {
	to    float64
	label string
}{
	{60, "< 1 min"}, {300, "1–5 min"}, {900, "5–15 min"}, {1800, "15–30 min"}, {3600, "30–60 min"},
	{7200, "1–2 h"}, {14400, "2–4 h"}, {28800, "4–8 h"}, {86400, "8–24 h"}, {259200, "1–3 days"},
	{604800, "3–7 days"}, {math.Inf(1), "≥ 7 days"},
}

// durationExpr is the metric's value in seconds for one incident.
func (m DurationMetric) expr(dialect models.SQLDialect) string {
	return dialect.SecondsBetween("incidents.started_at", "incidents."+m.Column)
}

// quantiles of a summary, in this order.
var summaryQuantiles = []float64{0, 0.25, 0.5, 0.75, 0.9, 1}

// groupQuantiles computes count, mean and the given quantiles of the
// values d per group g of a query selecting (g, d) rows, in SQL, as
// percentile_cont interpolates them (see the dialects).
func groupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*models.QuantileGroup, error) {
	return models.SQL(db).GroupQuantiles(ctx, db, values, quantiles)
}

// metricValues selects (g, d) rows: a metric's defined values in the
// scope, with g the constant group or an SQL expression.
func metricValues(ctx context.Context, db *gorm.DB, s Scope, m DurationMetric, via, group string, gargs []any) *gorm.DB {
	d := m.expr(models.SQL(db))
	return s.incidentsVia(ctx, db, via).Select(group+" AS g, "+d+" AS d", gargs...).Where(d + " IS NOT NULL")
}

// IncidentDurationStats summarises one metric over the scope.
func IncidentDurationStats(ctx context.Context, db *gorm.DB, s Scope, m DurationMetric) (*DurationStats, error) {
	all, err := durationStats(ctx, db, s, []DurationMetric{m})
	if err != nil {
		return nil, err
	}
	return all[0], nil
}

// IncidentDurationStatsAll summarises every metric over the scope, in the
// order of DurationMetrics() (one sort of all the values).
func IncidentDurationStatsAll(ctx context.Context, db *gorm.DB, s Scope) ([]*DurationStats, error) {
	// One query per metric, at the same time: the four together take
	// about as long as the slowest.
	out := make([]*DurationStats, len(durationMetrics))
	fns := make([]func() error, len(durationMetrics))
	for i, m := range durationMetrics {
		fns[i] = func() error {
			st, err := durationStats(ctx, db, s, []DurationMetric{m})
			if err == nil {
				out[i] = st[0]
			}
			return err
		}
	}
	if err := models.Parallel(db, fns...); err != nil {
		return nil, err
	}
	return out, nil
}

func durationStats(ctx context.Context, db *gorm.DB, s Scope, metrics []DurationMetric) ([]*DurationStats, error) {
	parts := make([]string, len(metrics))
	args := make([]any, len(metrics))
	for i, m := range metrics {
		parts[i] = "?"
		args[i] = metricValues(ctx, db, s, m, m.index, strconv.Itoa(i), nil)
	}
	values := db.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL "), args...)
	groups, err := groupQuantiles(ctx, db, values, summaryQuantiles)
	if err != nil {
		return nil, fmt.Errorf("models: duration quantiles: %w", models.TranslateError(err))
	}
	var total int64
	if err := s.incidents(ctx, db).Count(&total).Error; err != nil {
		return nil, fmt.Errorf("models: duration quantiles: %w", models.TranslateError(err))
	}
	out := make([]*DurationStats, len(metrics))
	for i, m := range metrics {
		st := &DurationStats{Metric: m, Min: math.NaN(), Q1: math.NaN(), Median: math.NaN(), Q3: math.NaN(), P90: math.NaN(), Max: math.NaN(), Mean: math.NaN()}
		if g := groups[int64(i)]; g != nil {
			st.Count, st.Mean = g.N, g.Mean
			st.Min, st.Q1, st.Median, st.Q3, st.P90, st.Max = g.Values[0], g.Values[1], g.Values[2], g.Values[3], g.Values[4], g.Values[5]
		}
		st.Undefined = int(total) - st.Count
		out[i] = st
	}
	return out, nil
}

// IncidentDurationTrend gives a metric's count, median, p90 and mean per
// local month of the incidents' start, oldest first (months without a
// value are left out).
func IncidentDurationTrend(ctx context.Context, db *gorm.DB, s Scope, m DurationMetric) ([]DurationMonth, error) {
	lt, err := s.newLocalTime(ctx, db)
	if err != nil {
		return nil, err
	}
	month, margs := lt.MonthNum("incidents.started_at")
	groups, err := groupQuantiles(ctx, db, metricValues(ctx, db, s, m, insightsIndex, month, margs), []float64{0.5, 0.9})
	if err != nil {
		return nil, fmt.Errorf("models: %s trend: %w", m.Key, models.TranslateError(err))
	}
	out := make([]DurationMonth, 0, len(groups))
	for g, qg := range groups {
		out = append(out, DurationMonth{Month: monthOfNum(g), Count: qg.N, Median: qg.Values[0], P90: qg.Values[1], Mean: qg.Mean})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month.Before(out[j].Month) })
	return out, nil
}

// IncidentDurationHistogram counts a metric's values per bin, in SQL (one
// pass, a conditional count per bin).
func IncidentDurationHistogram(ctx context.Context, db *gorm.DB, s Scope, m DurationMetric) ([]HistogramBin, error) {
	out := make([]HistogramBin, len(histogramEdges))
	from := 0.0
	var cols []string
	for i, e := range histogramEdges {
		out[i] = HistogramBin{Label: e.label, From: from, To: e.to}
		cond := fmt.Sprintf("d >= %g", from)
		if !math.IsInf(e.to, 1) {
			cond += fmt.Sprintf(" AND d < %g", e.to)
		}
		cols = append(cols, "COUNT(CASE WHEN "+cond+" THEN 1 END)")
		from = e.to
	}
	dialect := models.SQL(db)
	d := m.expr(dialect)
	inner := s.incidentsVia(ctx, db, m.index).Select(d + " AS d").Where(d + " IS NOT NULL")
	row := db.WithContext(ctx).Raw("SELECT "+strings.Join(cols, ", ")+" FROM "+dialect.Subquery()+" s", inner).Row()
	dest := make([]any, len(out))
	for i := range out {
		dest[i] = &out[i].Count
	}
	if err := row.Scan(dest...); err != nil {
		return nil, fmt.Errorf("models: %s histogram: %w", m.Key, models.TranslateError(err))
	}
	return out, nil
}
