package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models/insights"
)

// Insight endpoints for the incident durations: one metric, the summary
// of all four, a histogram and the monthly trend.

// durationJSON is exactly the shape the issue asks for.
type durationJSON struct {
	Metric        string   `json:"metric"`
	Count         int      `json:"count"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
	MeanSeconds   *float64 `json:"mean_seconds"`
}

func (h Insights) Durations(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	m, err := web.DurationMetricParam(c)
	if err != nil {
		return err
	}
	st, err := insights.IncidentDurationStats(c.Request().Context(), h.DB, sc, m)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, durationJSON{Metric: m.Key, Count: st.Count,
		MedianSeconds: seconds(st.Median), P90Seconds: seconds(st.P90), MeanSeconds: seconds(st.Mean)})
}

type durationSummaryJSON struct {
	Metric        string   `json:"metric"`
	Name          string   `json:"name"`
	Definition    string   `json:"definition"`
	Count         int      `json:"count"`
	Undefined     int      `json:"undefined"`
	MinSeconds    *float64 `json:"min_seconds"`
	Q1Seconds     *float64 `json:"q1_seconds"`
	MedianSeconds *float64 `json:"median_seconds"`
	Q3Seconds     *float64 `json:"q3_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
	MaxSeconds    *float64 `json:"max_seconds"`
	MeanSeconds   *float64 `json:"mean_seconds"`
}

func toDurationSummaryJSON(st *insights.DurationStats) durationSummaryJSON {
	return durationSummaryJSON{
		Metric: st.Metric.Key, Name: st.Metric.Name, Definition: st.Metric.Definition, Count: st.Count, Undefined: st.Undefined,
		MinSeconds: seconds(st.Min), Q1Seconds: seconds(st.Q1), MedianSeconds: seconds(st.Median), Q3Seconds: seconds(st.Q3),
		P90Seconds: seconds(st.P90), MaxSeconds: seconds(st.Max), MeanSeconds: seconds(st.Mean),
	}
}

type durationsSummaryJSON struct {
	Timezone string                `json:"timezone"`
	Metrics  []durationSummaryJSON `json:"metrics"`
}

func (h Insights) DurationSummary(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	all, err := insights.IncidentDurationStatsAll(c.Request().Context(), h.DB, sc)
	if err != nil {
		return err
	}
	out := durationsSummaryJSON{Timezone: sc.ZoneName(), Metrics: []durationSummaryJSON{}}
	for _, st := range all {
		out.Metrics = append(out.Metrics, toDurationSummaryJSON(st))
	}
	return web.WriteJSON(c, http.StatusOK, out)
}

type binJSON struct {
	Label       string   `json:"label"`
	FromSeconds float64  `json:"from_seconds"`
	ToSeconds   *float64 `json:"to_seconds"`
	Count       int      `json:"count"`
}

type histogramJSON struct {
	Metric string    `json:"metric"`
	Count  int       `json:"count"`
	Bins   []binJSON `json:"bins"`
}

func toHistogramJSON(m insights.DurationMetric, bins []insights.HistogramBin) histogramJSON {
	out := histogramJSON{Metric: m.Key, Bins: []binJSON{}}
	for _, b := range bins {
		out.Count += b.Count
		out.Bins = append(out.Bins, binJSON{Label: b.Label, FromSeconds: b.From, ToSeconds: seconds(b.To), Count: b.Count})
	}
	return out
}

func (h Insights) DurationHistogram(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	m, err := web.DurationMetricParam(c)
	if err != nil {
		return err
	}
	bins, err := insights.IncidentDurationHistogram(c.Request().Context(), h.DB, sc, m)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toHistogramJSON(m, bins))
}

type monthJSON struct {
	Month         string   `json:"month"`
	Count         int      `json:"count"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
	MeanSeconds   *float64 `json:"mean_seconds"`
}

type durationTrendJSON struct {
	Metric   string      `json:"metric"`
	Timezone string      `json:"timezone"`
	Months   []monthJSON `json:"months"`
}

func toTrendJSON(m insights.DurationMetric, zone string, months []insights.DurationMonth) durationTrendJSON {
	out := durationTrendJSON{Metric: m.Key, Timezone: zone, Months: []monthJSON{}}
	for _, mo := range months {
		out.Months = append(out.Months, monthJSON{Month: mo.Month.Format("2006-01"), Count: mo.Count,
			MedianSeconds: seconds(mo.Median), P90Seconds: seconds(mo.P90), MeanSeconds: seconds(mo.Mean)})
	}
	return out
}

func (h Insights) DurationTrend(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	m, err := web.DurationMetricParam(c)
	if err != nil {
		return err
	}
	months, err := insights.IncidentDurationTrend(c.Request().Context(), h.DB, sc, m)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toTrendJSON(m, sc.ZoneName(), months))
}
