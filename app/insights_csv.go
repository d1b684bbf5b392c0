package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// CSV downloads of the insight tables: the same numbers as the pages and
// the API, one row per table row, durations in seconds.

// writeCSV answers with a CSV attachment, built in memory (the tables are
// aggregates: a few hundred rows at most).
func (s *Server) writeCSV(c echo.Context, name string, header []string, rows [][]string) error {
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
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="insights-%s-%s.csv"`, name, s.now().UTC().Format("20060102")))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func csvSeconds(v float64) string {
	if p := seconds(v); p != nil {
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return ""
}

func (s *Server) insightsOverTimeCSV(c echo.Context) error {
	sc, err := s.insightScope(c)
	if err != nil {
		return err
	}
	interval, err := intervalParam(c)
	if err != nil {
		return err
	}
	o, err := models.IncidentsOverTime(c.Request().Context(), s.db, sc, interval)
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
	return s.writeCSV(c, "over-time", header, rows)
}

func (s *Server) insightsWeekdaysCSV(c echo.Context) error {
	sc, err := s.insightScope(c)
	if err != nil {
		return err
	}
	w, err := models.IncidentWeekdays(c.Request().Context(), s.db, sc, boolParam(c, "weekdays_only"))
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
	return s.writeCSV(c, "weekdays", []string{"weekday", "count", "expected", "chi_square", "df", "p_value", "total", "timezone"}, rows)
}

func (s *Server) insightsHeatmapCSV(c echo.Context) error {
	sc, err := s.insightScope(c)
	if err != nil {
		return err
	}
	h, err := models.IncidentHeatmap(c.Request().Context(), s.db, sc)
	if err != nil {
		return err
	}
	header := []string{"weekday"}
	for hour := 0; hour < 24; hour++ {
		header = append(header, fmt.Sprintf("h%02d", hour))
	}
	header = append(header, "total", "timezone")
	var rows [][]string
	for d, wd := range models.WeekOrder {
		row, total := []string{wd.String()}, 0
		for hour := 0; hour < 24; hour++ {
			row = append(row, strconv.Itoa(h.Cells[d][hour]))
			total += h.Cells[d][hour]
		}
		rows = append(rows, append(row, strconv.Itoa(total), h.Zone))
	}
	return s.writeCSV(c, "heatmap", header, rows)
}

func (s *Server) insightsDurationsCSV(c echo.Context) error {
	ctx := c.Request().Context()
	sc, err := s.insightScope(c)
	if err != nil {
		return err
	}
	switch table := c.QueryParam("table"); table {
	case "", "summary":
		all, err := models.IncidentDurationStatsAll(ctx, s.db, sc)
		if err != nil {
			return err
		}
		var rows [][]string
		for _, st := range all {
			rows = append(rows, []string{st.Metric.Key, st.Metric.Definition, strconv.Itoa(st.Count), strconv.Itoa(st.Undefined),
				csvSeconds(st.Median), csvSeconds(st.P90), csvSeconds(st.Mean), csvSeconds(st.Min), csvSeconds(st.Q1), csvSeconds(st.Q3), csvSeconds(st.Max)})
		}
		return s.writeCSV(c, "durations", []string{"metric", "definition", "count", "undefined", "median_seconds", "p90_seconds", "mean_seconds",
			"min_seconds", "q1_seconds", "q3_seconds", "max_seconds"}, rows)
	case "histogram", "trend":
		m, err := durationMetricParam(c)
		if err != nil {
			return err
		}
		if table == "histogram" {
			bins, err := models.IncidentDurationHistogram(ctx, s.db, sc, m)
			if err != nil {
				return err
			}
			var rows [][]string
			for _, b := range bins {
				rows = append(rows, []string{m.Key, b.Label, csvSeconds(b.From), csvSeconds(b.To), strconv.Itoa(b.Count)})
			}
			return s.writeCSV(c, "durations-histogram", []string{"metric", "bin", "from_seconds", "to_seconds", "count"}, rows)
		}
		months, err := models.IncidentDurationTrend(ctx, s.db, sc, m)
		if err != nil {
			return err
		}
		var rows [][]string
		for _, mo := range months {
			rows = append(rows, []string{m.Key, mo.Month.Format("2006-01"), strconv.Itoa(mo.Count), csvSeconds(mo.Median), csvSeconds(mo.P90), csvSeconds(mo.Mean), sc.ZoneName()})
		}
		return s.writeCSV(c, "durations-trend", []string{"metric", "month", "count", "median_seconds", "p90_seconds", "mean_seconds", "timezone"}, rows)
	}
	return models.FieldError("table", "table is summary, histogram or trend")
}

func (s *Server) insightsComponentsCSV(c echo.Context) error {
	sc, err := s.insightScope(c)
	if err != nil {
		return err
	}
	ci, err := models.IncidentComponents(c.Request().Context(), s.db, sc, models.Today(s.now(), s.cfg.Location), componentLimit)
	if err != nil {
		return err
	}
	header := []string{"component", "name", "team", "tier", "incidents", "impact_seconds", "impact_incidents", "repeat_incidents", "last_started_at"}
	row := func(st models.ComponentIncidentStats) []string {
		j := toComponentStatJSON(st)
		last := ""
		if j.LastStartedAt != nil {
			last = j.LastStartedAt.Format(time.RFC3339)
		}
		return []string{j.Slug, j.Name, j.Team, strconv.Itoa(j.Tier), strconv.Itoa(j.Incidents), strconv.FormatFloat(j.ImpactSeconds, 'f', -1, 64),
			strconv.Itoa(j.ImpactIncidents), strconv.Itoa(j.RepeatIncidents), last}
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
	return s.writeCSV(c, "components-"+table, header, rows)
}

func (s *Server) insightsHistoryCSV(c echo.Context) error {
	sc, err := s.insightScope(c)
	if err != nil {
		return err
	}
	day, err := s.insightDate(c, sc.Location)
	if err != nil {
		return err
	}
	list, err := models.IncidentsOnThisDay(c.Request().Context(), s.db, sc, day, historyLimit)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, h := range list {
		sev := ""
		if h.Incident.Severity != nil {
			sev = h.Incident.Severity.Name
		}
		ttr := ""
		if d := h.Incident.Durations().Resolve; d != nil {
			ttr = strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
		}
		rows = append(rows, []string{h.Incident.Key(), h.Incident.Title, h.Incident.StartedAt.UTC().Format(time.RFC3339), strconv.Itoa(h.YearsAgo), sev, ttr})
	}
	return s.writeCSV(c, "history-"+day.String(), []string{"key", "title", "started_at", "years_ago", "severity", "time_to_resolve_seconds"}, rows)
}
