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

// Insight pages: each reads the common filters and zone, runs its
// aggregations (models/insights) and renders tables; the charts beside
// the tables draw from the API endpoints (app/api/insights*.go) with the
// same query, through static/js/insights.js. This file holds the frame
// every insight page shares; the pages are in insight_pages.go and
// insight_follow_through.go, their CSV downloads in insight_downloads*.go.

// Insights serves the insight pages: overview, over time, weekdays, hours, durations, components, today in history and follow-through.
type Insights struct{ base }

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

func joinQuery(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
}
