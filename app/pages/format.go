package pages

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// viewerLoc is the signed-in user's time zone.
func (b base) viewerLoc(c echo.Context) *time.Location { return web.ViewerLocation(c, b.Location) }

// fmtTime shows a stored time in the viewer's zone, naming the zone.
func (b base) fmtTime(c echo.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(b.viewerLoc(c)).Format("2006-01-02 15:04 MST")
}

func (b base) fmtTimePtr(c echo.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return b.fmtTime(c, *t)
}

// fmtDay shows the calendar day of a stored time in the viewer's zone.
func (b base) fmtDay(c echo.Context, t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(b.viewerLoc(c)).Format(models.DateLayout)
}

func datePtrString(d *models.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}
