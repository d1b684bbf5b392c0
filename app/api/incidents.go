package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Incidents serves severities, incidents and their timelines.
type Incidents struct{ *web.Kit }

// apiIncidents lists incidents newest first with the page's filters.
func (h Incidents) List(c echo.Context) error {
	p, err := parseList(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	if q.Get("sort") != "" && q.Get("sort") != "newest" {
		return models.FieldError("sort", "The API lists newest first; sort the result yourself.")
	}
	f, err := h.IncidentFilter(c, q, time.UTC)
	if err != nil {
		return err
	}
	var after *models.IncidentCursor
	if p.Cursor != "" {
		var cur models.IncidentCursor
		if err := decodeCursor(p.Cursor, &cur); err != nil {
			return err
		}
		after = &cur
	}
	list, err := models.ListIncidentsAfter(c.Request().Context(), h.DB, f, after, p.Limit+1)
	if err != nil {
		return err
	}
	items := make([]apiIncident, 0, len(list))
	for i := range list {
		items = append(items, toAPIIncident(&list[i]))
	}
	page := newListPage(items, p.Limit, func(a apiIncident) any { return nil })
	if len(list) > p.Limit {
		page.NextCursor = encodeCursor(models.CursorOf(list[p.Limit-1]))
	}
	return web.WriteJSON(c, http.StatusOK, page)
}

// apiIncidentCreate declares an incident. With an external source and ID
// that exist already it updates that incident instead (200), so senders
// can retry safely.
func (h Incidents) Create(c echo.Context) error {
	ctx := c.Request().Context()
	var body apiIncidentInput
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	if body.ExternalID.Set && body.ExternalID.Value != "" {
		existing, err := models.GetIncidentByExternal(ctx, h.DB, body.ExternalSource.Value, body.ExternalID.Value)
		if err == nil {
			return h.apiIncidentApply(c, existing, body, http.StatusOK)
		}
		if !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	var in models.IncidentInput
	if err := h.applyAPIInput(ctx, body, &in); err != nil {
		return err
	}
	inc, err := models.CreateIncident(ctx, h.DB, web.Actor(c), in)
	if err != nil {
		return err
	}
	inc, err = models.GetIncident(ctx, h.DB, inc.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, h.Path("api.incidents.show", inc.Key()))
	return web.WriteJSON(c, http.StatusCreated, toAPIIncident(inc))
}

func (h Incidents) Show(c echo.Context) error {
	inc, err := models.GetIncidentByKey(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toAPIIncident(inc))
}

// apiIncidentUpdate changes the fields present in the body; with a
// version, a stale one answers 409 with the current incident.
func (h Incidents) Update(c echo.Context) error {
	inc, err := models.GetIncidentByKey(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	var body apiIncidentInput
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	return h.apiIncidentApply(c, inc, body, http.StatusOK)
}

func (h Incidents) apiIncidentApply(c echo.Context, inc *models.Incident, body apiIncidentInput, status int) error {
	ctx := c.Request().Context()
	in := models.InputOf(inc)
	if err := h.applyAPIInput(ctx, body, &in); err != nil {
		return err
	}
	version := 0
	if body.Version.Set && !body.Version.Null {
		version = body.Version.Value
		if version <= 0 {
			return models.FieldError("version", "Send the version you read, or leave it out.")
		}
	}
	up, err := models.UpdateIncident(ctx, h.DB, web.Actor(c), inc.ID, version, in)
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Incident)
		return &models.ConflictError{What: ce.What, Current: toAPIIncident(cur)}
	}
	if err != nil {
		return err
	}
	return web.WriteJSON(c, status, toAPIIncident(up))
}
