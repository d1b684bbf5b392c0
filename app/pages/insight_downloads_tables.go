package pages

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
)

// CSV downloads that choose one of several tables (?table=…): the
// durations (summary, histogram, trend) and the components (by count, by
// impact, repeats, overdue).

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
