package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// actionExport streams the filtered list as CSV, every matching item.
func (h ActionList) Export(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.ActionFilter(c, c.QueryParams())
	if err != nil {
		return err
	}
	if f.Err != nil {
		return f.Err
	}
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	hdr.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="action-items-%s.csv"`, h.Today()))
	c.Response().WriteHeader(http.StatusOK)
	w := models.NewCSVWriter(c.Response())
	base := h.ExternalURL(c)
	today := h.Today()
	_ = w.Write([]string{"id", "title", "status", "priority", "owner_email", "owner_name", "team", "due_date", "overdue",
		"source_kind", "incident", "component", "created_at", "closed_at", "closed_on", "status_reason", "completion_note", "external_url", "url"})
	err = models.EachActionItem(ctx, h.DB, f.Query, func(a *models.ActionItem) error {
		var ownerName, team, incident, component string
		if a.Owner != nil {
			ownerName = a.Owner.Name
		}
		if a.Team != nil {
			team = a.Team.Slug
		}
		if a.Incident != nil {
			incident = a.Incident.Key()
		}
		if a.Component != nil {
			component = a.Component.Slug
		}
		closedAt := ""
		if a.ClosedAt != nil {
			closedAt = a.ClosedAt.UTC().Format(time.RFC3339)
		}
		return w.Write([]string{strconv.FormatInt(a.ID, 10), a.Title, a.Status, a.Priority, a.OwnerEmail(), ownerName, team,
			datePtrString(a.DueDate), strconv.FormatBool(a.Overdue(today)), a.SourceKind, incident, component,
			a.CreatedAt.UTC().Format(time.RFC3339), closedAt, datePtrString(a.ClosedOn), a.StatusReason, a.CompletionNote,
			a.ExternalURL, base + h.Path("actions.show", a.ID)})
	})
	flushErr := w.Flush()
	if err != nil {
		// The header is out; the truncated file ends with the reason.
		h.Log.ErrorContext(ctx, "action item export failed", "err", err, "request_id", web.RequestID(c))
		_, _ = fmt.Fprintf(c.Response(), "\nexport failed: %s\n", web.RequestID(c))
		return nil
	}
	return flushErr
}
