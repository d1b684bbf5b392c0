package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// FollowThrough serves the managers' dashboard of action item follow-through and the burn-up pages.
type FollowThrough struct{ base }

// The manager dashboard: follow-through per team and per owner for a
// period, every figure linking to the list of items behind it.

func (h FollowThrough) Dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	sc, err := h.parseFollowThroughScope(c, c.QueryParams())
	if err != nil {
		return err
	}
	m := views.DashboardModel{Filter: sc.Form.WithErrors(sc.Errors, nil), ScopeLabel: sc.Label,
		Chips: web.FilterChips(sc.Res, h.Path("actions.dashboard"), sc.Res.Params)}
	if m.Teams, err = h.teamOptions(ctx); err != nil {
		return err
	}
	if m.Owners, err = h.userOptions(ctx, models.RoleMember); err != nil {
		return err
	}
	m.Presets = h.periodPresets(sc)
	page := h.Page(c, "Follow-through", "actions")
	page.Scripts = inlineChartScripts
	if len(sc.Errors) > 0 {
		for _, k := range models.FollowThroughFilters.Keys() {
			if msg, ok := sc.Errors[k]; ok {
				m.Errors = append(m.Errors, msg)
			}
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.DashboardPage(page, m))
	}
	if err := h.computeDashboard(c, &m, sc); err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.DashboardPage(page, m))
}

// computeDashboard fills the figures of a valid scope: one owner's, or
// broken down by owner (a team) or by team (everything else).
func (b base) computeDashboard(c echo.Context, m *views.DashboardModel, sc ftScope) error {
	ctx := c.Request().Context()
	by := models.ByTeam
	switch {
	case sc.Scope.OwnerID != 0:
		by = ""
	case sc.Scope.TeamID != 0:
		by = models.ByOwner
	}
	var (
		f       *models.FollowThrough
		groups  []models.PostmortemBurnUp
		reviews []models.ReviewBurnUp
	)
	err := models.Parallel(b.DB,
		func() (err error) {
			if by == "" {
				f, err = models.ComputeFollowThrough(ctx, b.DB, sc.Scope)
			} else {
				f, err = models.ComputeFollowThroughBy(ctx, b.DB, sc.Scope, by)
			}
			return err
		},
		func() (err error) { groups, err = models.PostmortemBurnUps(ctx, b.DB, sc.Scope, 10); return err },
		func() (err error) { reviews, err = models.ReviewBurnUps(ctx, b.DB, sc.Scope, 10); return err },
	)
	if err != nil {
		return err
	}
	return b.fillDashboard(c, m, sc, f, groups, reviews)
}
