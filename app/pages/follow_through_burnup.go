package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// burnUpPage is the weekly burn-up of one postmortem's action items
// (?incident=INC-12) or one review's (?review=7).
func (h FollowThrough) BurnUp(c echo.Context) error {
	ctx := c.Request().Context()
	q := models.ActionQuery{Now: h.Now(), Loc: h.Location}
	m := views.BurnUpModel{DashboardURL: h.Path("actions.dashboard")}
	switch {
	case c.QueryParam("incident") != "":
		inc, err := models.GetIncidentByKey(ctx, h.DB, c.QueryParam("incident"))
		if err != nil {
			return err
		}
		q.IncidentID = inc.ID
		m.Kind, m.Title, m.Key, m.IncidentURL = "postmortem", inc.Title, inc.Key(), h.Path("incidents.show", inc.Key())
		m.ListURL = h.ActionsURL(url.Values{"incident": {inc.Key()}})
	case c.QueryParam("review") != "":
		id, err := strconv.ParseInt(c.QueryParam("review"), 10, 64)
		if err != nil {
			return models.ErrNotFound
		}
		r, err := models.GetReview(ctx, h.DB, id)
		if err != nil {
			return err
		}
		q.ReviewID = r.ID
		m.Kind, m.Title, m.Key, m.IncidentURL = "review", r.Title, "Review", h.Path("reviews.show", r.ID)
		m.ListURL = h.ActionsURL(url.Values{"review": {strconv.FormatInt(r.ID, 10)}})
	default:
		return models.ErrNotFound
	}
	pts, err := models.BurnUp(ctx, h.DB, q)
	if err != nil {
		return err
	}
	chart := views.LineChart{Kind: "line", YName: "items"}
	scope := views.LineSeries{Name: "Scope (items minus won't do)", Color: "--muted", Step: true}
	done := views.LineSeries{Name: "Done", Color: "--ok", Area: true, Step: true}
	for _, p := range pts {
		label := p.Day.Format("2 Jan 2006")
		if p.Live {
			label = "Now"
		}
		m.Rows = append(m.Rows, views.BurnUpPointRow{Label: label, Created: p.Created, Scope: p.Scope(), Done: p.Done,
			WontDo: p.WontDo, Remaining: p.Scope() - p.Done})
		chart.X = append(chart.X, label)
		scope.Data = append(scope.Data, p.Scope())
		done.Data = append(done.Data, p.Done)
	}
	if n := len(pts); n > 0 {
		last := pts[n-1]
		m.Items, m.Done, m.WontDo, m.Open = last.Created, last.Done, last.WontDo, last.Created-last.Done-last.WontDo
	}
	chart.Series = []views.LineSeries{scope, done}
	m.Chart = chart.JSON()
	page := h.Page(c, "Burn-up: "+m.Title, "actions")
	page.Scripts = inlineChartScripts
	return h.Render(c, http.StatusOK, views.BurnUpPage(page, m))
}
