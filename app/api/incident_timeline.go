package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// apiTimelineEvent is a timeline event in the API.
type apiTimelineEvent struct {
	ID         int64     `json:"id"`
	OccurredAt time.Time `json:"occurred_at"`
	Kind       string    `json:"kind"`
	Text       string    `json:"text"`
	Milestone  string    `json:"milestone"`
	Author     *string   `json:"author"`
	Source     string    `json:"source"`
	Version    int       `json:"version"`
}

func toAPIEvent(e models.TimelineEvent) apiTimelineEvent {
	return apiTimelineEvent{ID: e.ID, OccurredAt: e.OccurredAt.UTC(), Kind: e.Kind, Text: e.Text, Milestone: e.Milestone,
		Author: emailOf(e.Author), Source: e.Source, Version: e.Version}
}

// apiTimeline lists an incident's events in time order.
func (h Incidents) Timeline(c echo.Context) error {
	p, err := parseList(c)
	if err != nil {
		return err
	}
	inc, err := models.GetIncidentByKey(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	events, err := models.ListTimeline(c.Request().Context(), h.DB, inc.ID)
	if err != nil {
		return err
	}
	start := 0
	if p.Cursor != "" {
		if err := decodeCursor(p.Cursor, &start); err != nil {
			return err
		}
		start = max(0, min(start, len(events)))
	}
	items := make([]apiTimelineEvent, 0, len(events))
	for _, e := range events[start:] {
		items = append(items, toAPIEvent(e))
	}
	page := newListPage(items, p.Limit, func(apiTimelineEvent) any { return nil })
	if len(items) > p.Limit {
		page.NextCursor = encodeCursor(start + p.Limit)
	}
	return web.WriteJSON(c, http.StatusOK, page)
}

// apiTimelineCreate adds an event: occurred_at, kind, text and
// optionally milestone (which sets the incident's matching time).
func (h Incidents) TimelineCreate(c echo.Context) error {
	ctx := c.Request().Context()
	inc, err := models.GetIncidentByKey(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	var body struct {
		OccurredAt string `json:"occurred_at"`
		Kind       string `json:"kind"`
		Text       string `json:"text"`
		Milestone  string `json:"milestone"`
	}
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	in := models.TimelineInput{Kind: body.Kind, Text: body.Text, Milestone: body.Milestone}
	if body.OccurredAt != "" {
		t, err := time.Parse(time.RFC3339Nano, body.OccurredAt)
		if err != nil {
			return models.FieldError("occurred_at", "Use an RFC 3339 time with an offset, like 2026-03-01T14:05:00Z.")
		}
		in.OccurredAt = &t
	}
	events, err := models.AddTimelineEvents(ctx, h.DB, web.Actor(c), inc.ID, []models.TimelineInput{in})
	if err != nil {
		return err
	}
	e, err := models.GetTimelineEvent(ctx, h.DB, inc.ID, events[0].ID)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, toAPIEvent(*e))
}
