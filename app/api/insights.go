package api

import (
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models/insights"
)

// /api/v1/insights/*: the figures the insight charts draw, as JSON
// (openapi/60-insights.yaml). The pages draw their charts from these same
// endpoints, so a chart always shows what the API says. This file holds
// the handler type, the counts by weekday, by hour of the week and over
// time, and the number rounding every endpoint shares; the durations,
// components and history endpoints are in insights_*.go.

// Insights serves the figures the insight charts draw.
type Insights struct{ *web.Kit }

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
