package pages

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
	"github.com/debrief-sre/debrief/views"
)

// The insight pages: overview, over time, weekdays, weekday × hour,
// durations, components and today in history.

func (h Insights) Index(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, sc, status, err := h.insightPage(c, "overview", "Insights", "Incident patterns and trends, with statistics that say whether a pattern is real.")
	if err != nil {
		return err
	}
	today := models.Today(h.Now(), sc.Location)
	var d overviewData
	resolve, _ := insights.LookupDurationMetric("time_to_resolve")
	if err := models.Parallel(h.DB,
		func() (err error) { d.Weekdays, err = insights.IncidentWeekdays(ctx, h.DB, sc, false); return err },
		func() (err error) {
			d.Resolve, err = insights.IncidentDurationStats(ctx, h.DB, sc, resolve)
			return err
		},
		func() (err error) {
			d.Components, err = insights.IncidentComponents(ctx, h.DB, sc, models.Today(h.Now(), h.Location), 5)
			return err
		},
		func() (err error) { d.History, err = insights.IncidentsOnThisDay(ctx, h.DB, sc, today, 5); return err },
		func() (err error) {
			d.Months, err = insights.IncidentsOverTime(ctx, h.DB, sc, insights.IntervalMonth)
			return err
		},
	); err != nil {
		return err
	}
	m := overviewView(f, today, d)
	m.OverTime = h.chart(c, "chart-months", "over-time", "Incidents per month", "api.insights.over_time", "insights.over_time.csv",
		"Stacked bars: incidents per month by severity. The table beside it has the numbers.")
	return h.Render(c, status, views.InsightsOverview(h.withCharts(c, p), m))
}

func (h Insights) OverTime(c echo.Context) error {
	p, f, sc, status, err := h.insightPage(c, "over_time", "Incidents over time", "Weekly or monthly counts, stacked by severity.", "interval")
	if err != nil {
		return err
	}
	interval, ierr := web.IntervalParam(c)
	if ierr != nil {
		interval = insights.IntervalMonth
		f.Filters = f.Filters.WithErrors(map[string]string{"interval": "Choose week or month."}, nil)
		status = http.StatusUnprocessableEntity
	}
	f.Filters = f.Filters.Set("interval", interval)
	data, err := insights.IncidentsOverTime(c.Request().Context(), h.DB, sc, interval)
	if err != nil {
		return err
	}
	m := views.OverTimeModel{Frame: f, Interval: interval, Data: overTimeFigures(data),
		Chart: h.chart(c, "chart-over-time", "over-time", "Incidents per "+map[bool]string{true: "week", false: "month"}[interval == insights.IntervalWeek]+", by severity",
			"api.insights.over_time", "insights.over_time.csv", "Stacked bars: incidents per period by severity. The table beside it has the numbers.", "interval")}
	return h.Render(c, status, views.InsightsOverTime(h.withCharts(c, p), m))
}

func (h Insights) Weekdays(c echo.Context) error {
	p, f, sc, status, err := h.insightPage(c, "weekdays", "Weekdays", "Which weekday incidents start on — and whether the difference is real or noise.", "weekdays_only")
	if err != nil {
		return err
	}
	only := web.BoolParam(c, "weekdays_only")
	data, err := insights.IncidentWeekdays(c.Request().Context(), h.DB, sc, only)
	if err != nil {
		return err
	}
	m := views.WeekdaysModel{Frame: f, WeekdaysOnly: only, Data: weekdayFigures(data),
		Chart: h.chart(c, "chart-weekdays", "weekdays", "Incidents per weekday", "api.insights.weekdays", "insights.weekdays.csv",
			"Bars: incidents per weekday; line: the count expected if every day were alike. The table beside it has the numbers.", "weekdays_only")}
	return h.Render(c, status, views.InsightsWeekdays(h.withCharts(c, p), m))
}

func (h Insights) Heatmap(c echo.Context) error {
	p, f, sc, status, err := h.insightPage(c, "heatmap", "Weekday × hour", "When in the week incidents start, hour by hour.")
	if err != nil {
		return err
	}
	data, err := insights.IncidentHeatmap(c.Request().Context(), h.DB, sc)
	if err != nil {
		return err
	}
	m := views.HeatmapModel{Frame: f, Data: heatmapFigures(data),
		Chart: h.chart(c, "chart-heatmap", "heatmap", "Incidents by weekday and hour of start", "api.insights.heatmap", "insights.heatmap.csv",
			"Heatmap: incidents by weekday (rows) and hour of the day (columns); darker is more. The table below has the numbers.")}
	return h.Render(c, status, views.InsightsHeatmap(h.withCharts(c, p), m))
}

func (h Insights) Durations(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, sc, status, err := h.insightPage(c, "durations", "Durations", "Time to detect, acknowledge, mitigate and resolve as distributions: medians and p90s, not only means.", "metric")
	if err != nil {
		return err
	}
	metric, merr := web.DurationMetricParam(c)
	if merr != nil {
		metric, _ = insights.LookupDurationMetric("time_to_resolve")
		f.Filters = f.Filters.WithErrors(map[string]string{"metric": "Choose one of the four durations."}, nil)
		status = http.StatusUnprocessableEntity
	}
	f.Filters = f.Filters.Set("metric", metric.Key)
	var d durationsData
	if err := models.Parallel(h.DB,
		func() (err error) { d.Stats, err = insights.IncidentDurationStatsAll(ctx, h.DB, sc); return err },
		func() (err error) {
			d.Histogram, err = insights.IncidentDurationHistogram(ctx, h.DB, sc, metric)
			return err
		},
		func() (err error) { d.Trend, err = insights.IncidentDurationTrend(ctx, h.DB, sc, metric); return err },
	); err != nil {
		return err
	}
	m := durationsView(f, metric, d)
	q := web.InsightQuery(c.QueryParams(), "metric")
	csv := h.Path("insights.durations.csv")
	m.Box = h.chart(c, "chart-durations", "box", "The four durations", "api.insights.durations.summary", "insights.durations.csv",
		"Box plots of time to detect, acknowledge, mitigate and resolve on a log scale. The table below has the numbers.")
	m.Box.CSV = web.WithQuery(csv, joinQuery(q, "table=summary"))
	m.Histo = h.chart(c, "chart-histogram", "histogram", metric.Name+": how long, how often", "api.insights.durations.histogram", "insights.durations.csv",
		"Histogram of "+strings.ToLower(metric.Name)+". The table beside it has the numbers.", "metric")
	m.Histo.CSV = web.WithQuery(csv, joinQuery(q, "table=histogram"))
	m.TrendC = h.chart(c, "chart-trend", "trend", metric.Name+" by month", "api.insights.durations.trend", "insights.durations.csv",
		"Lines: median and p90 of "+strings.ToLower(metric.Name)+" per month. The table beside it has the numbers.", "metric")
	m.TrendC.CSV = web.WithQuery(csv, joinQuery(q, "table=trend"))
	return h.Render(c, status, views.InsightsDurations(h.withCharts(c, p), m))
}

func (h Insights) Components(c echo.Context) error {
	p, f, sc, status, err := h.insightPage(c, "components", "Components", "Which components have the most incidents, the most customer impact, repeat incidents — and which are overdue for review.")
	if err != nil {
		return err
	}
	data, err := insights.IncidentComponents(c.Request().Context(), h.DB, sc, models.Today(h.Now(), h.Location), web.ComponentLimit)
	if err != nil {
		return err
	}
	q := web.InsightQuery(c.QueryParams())
	csv := h.Path("insights.components.csv")
	m := views.ComponentsModel{Frame: f, Data: componentFigures(data),
		CSVRepeats: web.WithQuery(csv, joinQuery(q, "table=repeats")), CSVOverdue: web.WithQuery(csv, joinQuery(q, "table=overdue"))}
	m.ByCount = h.chart(c, "chart-by-count", "components", "Most incidents", "api.insights.components", "insights.components.csv",
		"Bars: the components with the most incidents. The table beside it has the numbers.")
	m.ByCount.Series, m.ByCount.CSV = "by_count", web.WithQuery(csv, joinQuery(q, "table=by_count"))
	m.ByImpact = h.chart(c, "chart-by-impact", "components", "Most customer-impact time", "api.insights.components", "insights.components.csv",
		"Bars: the components with the most customer-impact time. The table beside it has the numbers.")
	m.ByImpact.Series, m.ByImpact.CSV = "by_impact", web.WithQuery(csv, joinQuery(q, "table=by_impact"))
	return h.Render(c, status, views.InsightsComponents(h.withCharts(c, p), m))
}

func (h Insights) History(c echo.Context) error {
	p, f, sc, status, err := h.insightPage(c, "history", "Today in incident history", "Incidents that started on this day in earlier years.", "date")
	if err != nil {
		return err
	}
	day, derr := h.InsightDate(c, sc.Location)
	if derr != nil {
		day = models.Today(h.Now(), sc.Location)
		f.Filters = f.Filters.WithErrors(map[string]string{"date": "Enter a date like 2026-03-01."}, nil)
		status = http.StatusUnprocessableEntity
	}
	list, err := insights.IncidentsOnThisDay(c.Request().Context(), h.DB, sc, day, web.HistoryLimit)
	if err != nil {
		return err
	}
	q := web.InsightQuery(c.QueryParams(), "date")
	m := views.HistoryModel{Frame: f, Date: day.Time(), Incidents: historyIncidents(list),
		CSV: web.WithQuery(h.Path("insights.history.csv"), q), JSON: web.WithQuery(h.Path("api.insights.history"), q)}
	return h.Render(c, status, views.InsightsHistory(p, m))
}
