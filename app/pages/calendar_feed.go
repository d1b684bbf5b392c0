package pages

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/calendar"
	"github.com/debrief-sre/debrief/models"
)

// calendarFeed serves /calendar/TOKEN.ics to calendar apps: no session,
// the token is the credential. Unknown and revoked tokens are 404.
func (h Notifications) CalendarFeed(c echo.Context) error {
	ctx := c.Request().Context()
	tok, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return models.ErrNotFound
	}
	u, err := models.UserForCalendarToken(ctx, h.DB, tok)
	if err != nil {
		return err
	}
	items, err := h.calendarItems(c, u)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = calendar.Write(&buf, calendar.Feed{
		Name:        "Debrief: " + u.Name + "'s action items",
		Description: "Due dates of the open action items " + u.Name + " owns.",
		Items:       items,
		Now:         h.Now(),
	})
	if err != nil {
		return err
	}
	hdr := c.Response().Header()
	hdr.Set("Cache-Control", "private, max-age=300")
	hdr.Set("X-Robots-Tag", "noindex")
	hdr.Set("Content-Disposition", `inline; filename="debrief.ics"`)
	return c.Blob(http.StatusOK, calendar.ContentType, buf.Bytes())
}

// calendarItems returns the entries of a user's feed: the due dates of
// the open action items u owns (follow-through).
func (h Notifications) calendarItems(c echo.Context, u *models.User) ([]calendar.Item, error) {
	q := models.ActionQuery{Sort: "due", Now: h.Now(), Loc: h.Location}
	q.OwnerID, q.OpenOnly, q.Limit = u.ID, true, 1000
	items, err := models.FindActionItems(c.Request().Context(), h.DB, q)
	if err != nil {
		return nil, err
	}
	base := h.ExternalURL(c)
	host := base
	if pu, err := url.Parse(base); err == nil && pu.Host != "" {
		host = pu.Hostname()
	}
	out := make([]calendar.Item, 0, len(items))
	for _, it := range items {
		if it.DueDate == nil {
			continue
		}
		desc := "Priority " + it.Priority + " · " + models.ActionStatusLabel(it.Status)
		if it.Team != nil {
			desc += " · " + it.Team.Name
		}
		if it.Incident != nil {
			desc += " · from " + it.Incident.Key()
		}
		out = append(out, calendar.Item{
			UID:   fmt.Sprintf("action-item-%d@%s", it.ID, host),
			Title: "Due: " + it.Title, Due: it.DueDate.Time(), Updated: it.UpdatedAt,
			URL: base + h.Path("actions.show", it.ID), Description: desc,
		})
	}
	return out, nil
}
