package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// reviewsDue lists components whose review is overdue, never happened or
// falls due within the next DueSoonDays days, most urgent first.
func (s *Server) reviewsDue(c echo.Context) error {
	ctx := c.Request().Context()
	today := s.today()
	comps, err := models.ComponentsDueForReview(ctx, s.db, today)
	if err != nil {
		return err
	}
	rows, err := s.componentRows(c, comps)
	if err != nil {
		return err
	}
	m := views.DueModel{Rows: rows, Today: today.String(), Horizon: models.DueSoonDays, CanStart: currentUser(c).Role.Allows(models.RoleMember)}
	return s.render(c, http.StatusOK, views.ReviewsDue(s.page(c, "Due for review", "reviews"), m))
}
