package api

import (
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
)

// Insights serves the figures the insight charts draw.
type Insights struct{ *web.Kit }

// JSON shapes of /api/v1/insights/* (app/openapi/60-insights.yaml). The
// pages draw their charts from these same endpoints, so a chart always
// shows what the API says.

type weekdayJSON struct {
	Weekday  string  `json:"weekday"`
	Count    int     `json:"count"`
	Expected float64 `json:"expected"`
}

type weekdaysJSON struct {
	Timezone  string        `json:"timezone"`
	Total     int           `json:"total"`
	Days      []weekdayJSON `json:"days"`
	ChiSquare *float64      `json:"chi_square"`
	DF        int           `json:"df"`
	PValue    *float64      `json:"p_value"`
}

func toWeekdaysJSON(w *insights.Weekdays) weekdaysJSON {
	out := weekdaysJSON{Timezone: w.Zone, Total: w.Total, DF: len(w.Days) - 1}
	for _, d := range w.Days {
		out.Days = append(out.Days, weekdayJSON{Weekday: d.Weekday.String(), Count: d.Count, Expected: round(d.Expected, 2)})
	}
	if w.Test != nil {
		out.ChiSquare, out.PValue = &w.Test.Statistic, &w.Test.PValue
	}
	return out
}

type heatCellJSON struct {
	Weekday string `json:"weekday"`
	Hour    int    `json:"hour"`
	Count   int    `json:"count"`
}

type heatmapJSON struct {
	Timezone string         `json:"timezone"`
	Total    int            `json:"total"`
	Max      int            `json:"max"`
	Cells    []heatCellJSON `json:"cells"`
}

func toHeatmapJSON(h *insights.Heatmap) heatmapJSON {
	out := heatmapJSON{Timezone: h.Zone, Total: h.Total, Max: h.Max, Cells: make([]heatCellJSON, 0, 168)}
	for d, wd := range insights.WeekOrder() {
		for hour := 0; hour < 24; hour++ {
			out.Cells = append(out.Cells, heatCellJSON{Weekday: wd.String(), Hour: hour, Count: h.Cells[d][hour]})
		}
	}
	return out
}

type severityCountJSON struct {
	Severity string `json:"severity"`
	Count    int    `json:"count"`
}

type bucketJSON struct {
	Start  string              `json:"start"`
	Label  string              `json:"label"`
	Total  int                 `json:"total"`
	Counts []severityCountJSON `json:"counts"`
}

type seriesJSON struct {
	Name  string `json:"name"`
	Color string `json:"color"`
	Total int    `json:"total"`
}

type overTimeJSON struct {
	Timezone   string       `json:"timezone"`
	Interval   string       `json:"interval"`
	Total      int          `json:"total"`
	Severities []seriesJSON `json:"severities"`
	Buckets    []bucketJSON `json:"buckets"`
}

func toOverTimeJSON(o *insights.OverTime) overTimeJSON {
	out := overTimeJSON{Timezone: o.Zone, Interval: o.Interval, Total: o.Total, Severities: []seriesJSON{}, Buckets: []bucketJSON{}}
	for _, sv := range o.Severities {
		out.Severities = append(out.Severities, seriesJSON{Name: sv.Name, Color: sv.Color, Total: sv.Total})
	}
	for _, b := range o.Buckets {
		bj := bucketJSON{Start: b.Start.String(), Label: b.Label(o.Interval), Total: b.Total, Counts: make([]severityCountJSON, len(b.Counts))}
		for i, n := range b.Counts {
			bj.Counts[i] = severityCountJSON{Severity: o.Severities[i].Name, Count: n}
		}
		out.Buckets = append(out.Buckets, bj)
	}
	return out
}

// durationJSON is exactly the shape the issue asks for.
type durationJSON struct {
	Metric        string   `json:"metric"`
	Count         int      `json:"count"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
	MeanSeconds   *float64 `json:"mean_seconds"`
}

// seconds rounds to milliseconds (what SQLite keeps) and maps NaN (no
// values) to null.
func seconds(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r := round(v, 3)
	return &r
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
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

type componentStatJSON struct {
	Slug            string     `json:"slug"`
	Name            string     `json:"name"`
	Team            string     `json:"team"`
	Tier            int        `json:"tier"`
	Incidents       int        `json:"incidents"`
	ImpactSeconds   float64    `json:"impact_seconds"`
	ImpactIncidents int        `json:"impact_incidents"`
	RepeatIncidents int        `json:"repeat_incidents"`
	LastStartedAt   *time.Time `json:"last_started_at"`
}

type overdueJSON struct {
	componentStatJSON
	ReviewState   string  `json:"review_state"`
	ReviewLabel   string  `json:"review_label"`
	NextReviewDue *string `json:"next_review_due"`
}

type componentsJSON struct {
	Timezone         string              `json:"timezone"`
	TotalIncidents   int                 `json:"total_incidents"`
	ImpactDefinition string              `json:"impact_definition"`
	RepeatWindowDays int                 `json:"repeat_window_days"`
	ByCount          []componentStatJSON `json:"by_count"`
	ByImpact         []componentStatJSON `json:"by_impact"`
	Repeats          []componentStatJSON `json:"repeats"`
	OverdueReviews   []overdueJSON       `json:"overdue_reviews"`
}

func toComponentStatJSON(st insights.ComponentIncidentStats) componentStatJSON {
	out := componentStatJSON{Slug: st.Component.Slug, Name: st.Component.Name, Tier: st.Component.Tier, Incidents: st.Incidents,
		ImpactSeconds: round(st.ImpactSeconds, 3), ImpactIncidents: st.ImpactIncidents, RepeatIncidents: st.Repeats, LastStartedAt: utcPtr(st.LastStarted)}
	if st.Component.Team != nil {
		out.Team = st.Component.Team.Slug
	}
	return out
}

func toComponentsJSON(ci *insights.Components) componentsJSON {
	out := componentsJSON{
		Timezone: ci.Zone, TotalIncidents: ci.Total, ImpactDefinition: insights.ImpactDefinition,
		RepeatWindowDays: int(insights.RepeatWindow.Hours() / 24), ByCount: []componentStatJSON{},
		ByImpact: []componentStatJSON{}, Repeats: []componentStatJSON{}, OverdueReviews: []overdueJSON{},
	}
	for _, st := range ci.ByCount {
		out.ByCount = append(out.ByCount, toComponentStatJSON(st))
	}
	for _, st := range ci.ByImpact {
		out.ByImpact = append(out.ByImpact, toComponentStatJSON(st))
	}
	for _, st := range ci.Repeats {
		out.Repeats = append(out.Repeats, toComponentStatJSON(st))
	}
	for _, o := range ci.Overdue {
		oj := overdueJSON{componentStatJSON: toComponentStatJSON(o.ComponentIncidentStats), ReviewState: o.State.Kind, ReviewLabel: o.State.Label}
		if d := o.Component.NextReviewDue; d != nil {
			s := d.String()
			oj.NextReviewDue = &s
		}
		out.OverdueReviews = append(out.OverdueReviews, oj)
	}
	return out
}

type historyIncidentJSON struct {
	Key        string    `json:"key"`
	Title      string    `json:"title"`
	StartedAt  time.Time `json:"started_at"`
	YearsAgo   int       `json:"years_ago"`
	Severity   string    `json:"severity"`
	Components []string  `json:"components"`
}

type historyJSON struct {
	Timezone  string                `json:"timezone"`
	Date      string                `json:"date"`
	Incidents []historyIncidentJSON `json:"incidents"`
}

func (h Insights) Weekdays(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	w, err := insights.IncidentWeekdays(c.Request().Context(), h.DB, sc, web.BoolParam(c, "weekdays_only"))
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toWeekdaysJSON(w))
}

func (h Insights) Heatmap(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	hm, err := insights.IncidentHeatmap(c.Request().Context(), h.DB, sc)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toHeatmapJSON(hm))
}

func (h Insights) OverTime(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	interval, err := web.IntervalParam(c)
	if err != nil {
		return err
	}
	o, err := insights.IncidentsOverTime(c.Request().Context(), h.DB, sc, interval)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toOverTimeJSON(o))
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

func (h Insights) Components(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	ci, err := insights.IncidentComponents(c.Request().Context(), h.DB, sc, models.Today(h.Now(), h.Location), web.ComponentLimit)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toComponentsJSON(ci))
}

func (h Insights) History(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	day, err := h.InsightDate(c, sc.Location)
	if err != nil {
		return err
	}
	list, err := insights.IncidentsOnThisDay(c.Request().Context(), h.DB, sc, day, web.HistoryLimit)
	if err != nil {
		return err
	}
	out := historyJSON{Timezone: sc.ZoneName(), Date: day.String(), Incidents: []historyIncidentJSON{}}
	for _, hi := range list {
		comps := []string{}
		for _, cp := range hi.Incident.Components {
			comps = append(comps, cp.Slug)
		}
		sev := ""
		if hi.Incident.Severity != nil {
			sev = hi.Incident.Severity.Name
		}
		out.Incidents = append(out.Incidents, historyIncidentJSON{Key: hi.Incident.Key(), Title: hi.Incident.Title,
			StartedAt: hi.Incident.StartedAt.UTC(), YearsAgo: hi.YearsAgo, Severity: sev, Components: comps})
	}
	return web.WriteJSON(c, http.StatusOK, out)
}
