package pages

import (
	"bytes"
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
// the API, one row per table row, durations in seconds. The downloads
// that choose one of several tables are in insight_downloads_tables.go.

// writeCSV answers with a CSV attachment, built in memory (the tables are
// aggregates: a few hundred rows at most).
func (h Insights) writeCSV(c echo.Context, name string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	w := models.NewCSVWriter(&buf)
	for _, row := range append([][]string{header}, rows...) {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
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
