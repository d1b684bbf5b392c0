package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
	"github.com/debrief-sre/debrief/views"
)

// Insights serves the insight pages: overview, over time, weekdays, hours, durations, components, today in history and follow-through.
type Insights struct{ base }

// Insight pages: each reads the common filters and zone, runs its
// aggregations (models/insight_*.go) and renders tables; the charts beside
// the tables draw from the API endpoints (insights_api.go) with the same
// query, through static/js/insights.js.

// chartScripts are loaded only on pages with charts.
var chartScripts = []string{"vendor/echarts.min.js", "js/insights.js"}

// inlineChartScripts draw the charts whose data the page carries
// (data-chart attributes: the follow-through figures).
var inlineChartScripts = []string{"vendor/echarts.min.js", "js/charts.js"}

// insightPage builds the page model and the frame every insight page
// shares. A bad filter value is shown next to its field (422) while the
// page still renders with the filters that were valid.
func (h Insights) insightPage(c echo.Context, active, title, lede string, extra ...string) (views.Page, views.InsightsFrame, insights.Scope, int, error) {
	ctx := c.Request().Context()
	q := c.QueryParams()
	sc, res, err := h.InsightFilter(c)
	if res == nil {
		return views.Page{}, views.InsightsFrame{}, sc, 0, err
	}
	status := http.StatusOK
	form := views.FormFrom(q)
	if ve, ok := models.AsValidation(err); ok {
		form = form.WithErrors(ve.Fields, nil)
		status = http.StatusUnprocessableEntity
	}
	def := zoneName(h.Location)
	if form.Get("tz") == "" {
		form = form.Set("tz", def)
	}
	var (
		choices *models.IncidentChoices
		tags    []string
		total   int64
	)
	if err := models.Parallel(h.DB,
		func() (err error) { choices, err = models.LoadIncidentChoices(ctx, h.DB); return err },
		func() (err error) { tags, err = models.IncidentTagNames(ctx, h.DB, 300); return err },
		func() (err error) { total, err = models.CountIncidents(ctx, h.DB, sc.Filter); return err },
	); err != nil {
		return views.Page{}, views.InsightsFrame{}, sc, 0, err
	}
	query := web.InsightQuery(q)
	f := views.InsightsFrame{
		Active: active, Title: title, Lede: lede, Filters: form, Choices: incidentChoices(choices), Tags: tags,
		Zones: views.ZoneOptions(def, sc.ZoneName()), Zone: views.ZoneName(sc.Location, h.Now()), Loc: sc.Location,
		Query: query, Filtered: web.InsightQuery(q, extra...) != "", Total: total,
	}
	f.Presets = h.rangePresets(c, active, sc)
	keep, _ := url.ParseQuery(web.InsightQuery(q, extra...))
	f.Chips = web.FilterChips(res, h.Path(views.InsightRoute(active)), keep)
	f.Summary = insightSummary(res)
	p := h.Page(c, title, "insights")
	return p, f, sc, status, nil
}

// insightSummary says in words which filters are set (for the scope
// note, which prints with the page): the chips' labels.
func insightSummary(res *models.ResolvedFilter) string {
	var parts []string
	for _, ch := range res.Chips() {
		parts = append(parts, ch.Label)
	}
	return strings.Join(parts, " · ")
}

// rangePresets are links to the page with common date ranges, keeping
// every other parameter.
func (h Insights) rangePresets(c echo.Context, active string, sc insights.Scope) []views.Preset {
	q := c.QueryParams()
	today := models.Today(h.Now(), sc.Location)
	route := views.InsightRoute(active)
	var out []views.Preset
	for _, r := range []struct {
		label string
		from  string
	}{
		{"Last 30 days", today.AddDays(-29).String()},
		{"Last 90 days", today.AddDays(-89).String()},
		{"Last 12 months", models.DateOf(today.Time().AddDate(-1, 0, 1)).String()},
		{"All time", ""},
	} {
		if active == "follow_through" && r.from == "" {
			// A follow-through period is bounded (default 90 days).
			r.label, r.from = "Last 2 years", today.AddDays(-(models.MaxFollowThroughDays - 1)).String()
		}
		v := url.Values{}
		for k, vs := range q {
			if k != "from" && k != "to" {
				v[k] = vs
			}
		}
		if r.from != "" {
			v.Set("from", r.from)
		}
		cur := q.Get("from") == r.from && q.Get("to") == ""
		if active == "follow_through" && q.Get("from") == "" && q.Get("to") == "" {
			cur = r.from == today.AddDays(-(defaultPeriodDays - 1)).String()
		}
		out = append(out, views.Preset{Label: r.label, URL: web.WithQuery(h.Path(route), v.Encode()), Current: cur})
	}
	return out
}

// withCharts adds the chart library and script to a page.
func (h Insights) withCharts(c echo.Context, p views.Page) views.Page {
	p.Scripts = append(p.Scripts, chartScripts...)
	if pp, ok := c.Get("debrief.page").(*views.Page); ok {
		pp.Scripts = p.Scripts
	}
	return p
}

func zoneName(loc interface{ String() string }) string {
	n := loc.String()
	if n == "Local" || n == "" {
		return "UTC"
	}
	return n
}

// chart builds a chart model whose data comes from an API route with the
// page's query.
func (b base) chart(c echo.Context, id, kind, title, apiRoute, csvRoute, label string, extra ...string) views.Chart {
	q := web.InsightQuery(c.QueryParams(), extra...)
	return views.Chart{ID: id, Kind: kind, Title: title, Label: label,
		Src: web.WithQuery(b.Path(apiRoute), q), CSV: web.WithQuery(b.Path(csvRoute), q)}
}

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

func joinQuery(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
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

// insightsFollowThrough shows the action-item dashboard's figures for the
// insight filters: team, component, severity and tag narrow the items
// (severity and tag to items of incidents with them), and the date range
// is the period whose due and closed items count (default: the last 90
// days; at most two years).
func (h Insights) FollowThrough(c echo.Context) error {
	p, f, _, status, err := h.insightPage(c, "follow_through", "Follow-through",
		"Whether the action items in this scope get done: open and overdue now, completion of items due in the period, time to close, by incident severity.")
	if err != nil {
		return err
	}
	q := c.QueryParams()
	v := url.Values{}
	for _, k := range []string{"team", "component", "severity", "tag", "from", "to"} {
		if x := strings.TrimSpace(q.Get(k)); x != "" {
			v.Set(k, x)
		}
	}
	if v.Get("from") == "" {
		if to, err := models.ParseDate(v.Get("to")); err == nil {
			v.Set("from", to.AddDays(-(defaultPeriodDays - 1)).String())
		}
	}
	ft, err := h.parseFollowThroughScope(c, v)
	if err != nil {
		return err
	}
	m := views.FollowThroughInsightModel{Frame: f}
	// Show the period in use where the user left a date empty; what they
	// typed stays, with its error beside it when it is wrong.
	for k, d := range map[string]models.Date{"from": ft.Scope.From, "to": ft.Scope.To} {
		if strings.TrimSpace(q.Get(k)) == "" {
			m.Frame.Filters = m.Frame.Filters.Set(k, d.String())
		}
	}
	p.Scripts = inlineChartScripts
	if len(ft.Errors) > 0 {
		m.Frame.Filters = m.Frame.Filters.WithErrors(ft.Errors, nil)
		return h.Render(c, http.StatusUnprocessableEntity, views.InsightsFollowThrough(p, m))
	}
	if err := h.computeDashboard(c, &m.Dashboard, ft); err != nil {
		return err
	}
	return h.Render(c, status, views.InsightsFollowThrough(p, m))
}
