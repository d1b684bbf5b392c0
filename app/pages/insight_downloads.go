package pages

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
)

// CSV downloads of the insight tables: the same numbers as the pages and
// the API, one row per table row, durations in seconds.

// writeCSV answers with a CSV attachment, built in memory (the tables are
// aggregates: a few hundred rows at most).
func (h Insights) writeCSV(c echo.Context, name string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return err
	}
	for _, row := range rows {
		for i, cell := range row {
			row[i] = models.CleanText(cell) // names are text; numbers pass unchanged
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="insights-%s-%s.csv"`, name, h.Now().UTC().Format("20060102")))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func csvSeconds(v float64) string {
	if p := seconds(v); p != nil {
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return ""
}

func (h Insights) OverTimeCSV(c echo.Context) error {
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
	header := []string{interval + "_start"}
	for _, sv := range o.Severities {
		header = append(header, sv.Name)
	}
	header = append(header, "total", "timezone")
	var rows [][]string
	for _, b := range o.Buckets {
		row := []string{b.Start.String()}
		for _, n := range b.Counts {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, append(row, strconv.Itoa(b.Total), o.Zone))
	}
	return h.writeCSV(c, "over-time", header, rows)
}

func (h Insights) WeekdaysCSV(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	w, err := insights.IncidentWeekdays(c.Request().Context(), h.DB, sc, web.BoolParam(c, "weekdays_only"))
	if err != nil {
		return err
	}
	chi, p := "", ""
	if w.Test != nil {
		chi, p = strconv.FormatFloat(w.Test.Statistic, 'g', -1, 64), strconv.FormatFloat(w.Test.PValue, 'g', -1, 64)
	}
	var rows [][]string
	for _, d := range w.Days {
		rows = append(rows, []string{d.Weekday.String(), strconv.Itoa(d.Count), strconv.FormatFloat(round(d.Expected, 2), 'f', -1, 64),
			chi, strconv.Itoa(len(w.Days) - 1), p, strconv.Itoa(w.Total), w.Zone})
	}
	return h.writeCSV(c, "weekdays", []string{"weekday", "count", "expected", "chi_square", "df", "p_value", "total", "timezone"}, rows)
}

func (h Insights) HeatmapCSV(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	hm, err := insights.IncidentHeatmap(c.Request().Context(), h.DB, sc)
	if err != nil {
		return err
	}
	header := []string{"weekday"}
	for hour := 0; hour < 24; hour++ {
		header = append(header, fmt.Sprintf("h%02d", hour))
	}
	header = append(header, "total", "timezone")
	var rows [][]string
	for d, wd := range insights.WeekOrder() {
		row, total := []string{wd.String()}, 0
		for hour := 0; hour < 24; hour++ {
			row = append(row, strconv.Itoa(hm.Cells[d][hour]))
			total += hm.Cells[d][hour]
		}
		rows = append(rows, append(row, strconv.Itoa(total), hm.Zone))
	}
	return h.writeCSV(c, "heatmap", header, rows)
}

func (h Insights) DurationsCSV(c echo.Context) error {
	ctx := c.Request().Context()
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	switch table := c.QueryParam("table"); table {
	case "", "summary":
		all, err := insights.IncidentDurationStatsAll(ctx, h.DB, sc)
		if err != nil {
			return err
		}
		var rows [][]string
		for _, st := range all {
			rows = append(rows, []string{st.Metric.Key, st.Metric.Definition, strconv.Itoa(st.Count), strconv.Itoa(st.Undefined),
				csvSeconds(st.Median), csvSeconds(st.P90), csvSeconds(st.Mean), csvSeconds(st.Min), csvSeconds(st.Q1), csvSeconds(st.Q3), csvSeconds(st.Max)})
		}
		return h.writeCSV(c, "durations", []string{"metric", "definition", "count", "undefined", "median_seconds", "p90_seconds", "mean_seconds",
			"min_seconds", "q1_seconds", "q3_seconds", "max_seconds"}, rows)
	case "histogram", "trend":
		m, err := web.DurationMetricParam(c)
		if err != nil {
			return err
		}
		if table == "histogram" {
			bins, err := insights.IncidentDurationHistogram(ctx, h.DB, sc, m)
			if err != nil {
				return err
			}
			var rows [][]string
			for _, b := range bins {
				rows = append(rows, []string{m.Key, b.Label, csvSeconds(b.From), csvSeconds(b.To), strconv.Itoa(b.Count)})
			}
			return h.writeCSV(c, "durations-histogram", []string{"metric", "bin", "from_seconds", "to_seconds", "count"}, rows)
		}
		months, err := insights.IncidentDurationTrend(ctx, h.DB, sc, m)
		if err != nil {
			return err
		}
		var rows [][]string
		for _, mo := range months {
			rows = append(rows, []string{m.Key, mo.Month.Format("2006-01"), strconv.Itoa(mo.Count), csvSeconds(mo.Median), csvSeconds(mo.P90), csvSeconds(mo.Mean), sc.ZoneName()})
		}
		return h.writeCSV(c, "durations-trend", []string{"metric", "month", "count", "median_seconds", "p90_seconds", "mean_seconds", "timezone"}, rows)
	}
	return models.FieldError("table", "table is summary, histogram or trend")
}

func (h Insights) ComponentsCSV(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	ci, err := insights.IncidentComponents(c.Request().Context(), h.DB, sc, models.Today(h.Now(), h.Location), web.ComponentLimit)
	if err != nil {
		return err
	}
	header := []string{"component", "name", "team", "tier", "incidents", "impact_seconds", "impact_incidents", "repeat_incidents", "last_started_at"}
	row := func(st insights.ComponentIncidentStats) []string {
		last, team := "", ""
		if st.LastStarted != nil {
			last = st.LastStarted.UTC().Format(time.RFC3339)
		}
		if st.Component.Team != nil {
			team = st.Component.Team.Slug
		}
		return []string{st.Component.Slug, st.Component.Name, team, strconv.Itoa(st.Component.Tier), strconv.Itoa(st.Incidents),
			strconv.FormatFloat(round(st.ImpactSeconds, 3), 'f', -1, 64), strconv.Itoa(st.ImpactIncidents), strconv.Itoa(st.Repeats), last}
	}
	var rows [][]string
	table := c.QueryParam("table")
	switch table {
	case "", "by_count":
		for _, st := range ci.ByCount {
			rows = append(rows, row(st))
		}
	case "by_impact":
		for _, st := range ci.ByImpact {
			rows = append(rows, row(st))
		}
	case "repeats":
		for _, st := range ci.Repeats {
			rows = append(rows, row(st))
		}
	case "overdue":
		header = append(header, "review_state", "next_review_due")
		for _, o := range ci.Overdue {
			due := ""
			if o.Component.NextReviewDue != nil {
				due = o.Component.NextReviewDue.String()
			}
			rows = append(rows, append(row(o.ComponentIncidentStats), o.State.Kind, due))
		}
	default:
		return models.FieldError("table", "table is by_count, by_impact, repeats or overdue")
	}
	if table == "" {
		table = "by_count"
	}
	return h.writeCSV(c, "components-"+table, header, rows)
}

func (h Insights) HistoryCSV(c echo.Context) error {
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
	var rows [][]string
	for _, hi := range list {
		sev := ""
		if hi.Incident.Severity != nil {
			sev = hi.Incident.Severity.Name
		}
		ttr := ""
		if d := hi.Incident.Durations().Resolve; d != nil {
			ttr = strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
		}
		rows = append(rows, []string{hi.Incident.Key(), hi.Incident.Title, hi.Incident.StartedAt.UTC().Format(time.RFC3339), strconv.Itoa(hi.YearsAgo), sev, ttr})
	}
	return h.writeCSV(c, "history-"+day.String(), []string{"key", "title", "started_at", "years_ago", "severity", "time_to_resolve_seconds"}, rows)
}

// seconds is a duration in seconds to three places, nil when undefined.
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
