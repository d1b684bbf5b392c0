package pages

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// viewerLoc is the signed-in user's time zone.
func (b base) viewerLoc(c echo.Context) *time.Location { return web.ViewerLocation(c, b.Location) }

// fmtTime shows a stored time in the viewer's zone, naming the zone.
func (b base) fmtTime(c echo.Context, t time.Time) string {
	return views.FormatStamp(t, b.viewerLoc(c))
}

func (b base) fmtTimePtr(c echo.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return b.fmtTime(c, *t)
}

// fmtDay shows the calendar day of a stored time in the viewer's zone.
func (b base) fmtDay(c echo.Context, t *time.Time) string {
	return views.FormatDay(t, b.viewerLoc(c))
}

func datePtrString(d *models.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func userLabel(u *models.User) string {
	if u == nil {
		return ""
	}
	return u.Name
}

func idString(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}
