package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// FollowThrough is the follow-through insight page: the action-item
// dashboard's figures for the insight filters. Team, component, severity
// and tag narrow the items (severity and tag to items of incidents with
// them), and the date range is the period whose due and closed items
// count (default: the last 90 days; at most two years).
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
