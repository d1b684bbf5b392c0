package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// reviewsDue lists components whose review is overdue, never happened or
// falls due within the next DueSoonDays days, most urgent first.
func (h Reviews) Due(c echo.Context) error {
	ctx := c.Request().Context()
	today := h.Today()
	comps, err := models.ComponentsDueForReview(ctx, h.DB, today)
	if err != nil {
		return err
	}
	rows, err := h.componentRows(c, comps)
	if err != nil {
		return err
	}
	m := views.DueModel{Rows: rows, Today: today.String(), Horizon: models.DueSoonDays, CanStart: h.Can(c, "reviews.create")}
	return h.Render(c, http.StatusOK, views.ReviewsDue(h.Page(c, "Due for review", "reviews"), m))
}
