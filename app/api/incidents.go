package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Incidents serves severities, incidents and their timelines.
type Incidents struct{ *web.Kit }

// optional is a JSON field that may be absent, null or a value; PATCH
// changes only the fields that are present.
type optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// apiSeverity is a severity in the API.
type apiSeverity struct {
	Name        string `json:"name"`
	Rank        int    `json:"rank"`
	Description string `json:"description"`
	Color       string `json:"color"`
}

// apiIncident is an incident in the API. Durations are whole seconds,
// null when a timestamp they need is missing.
type apiIncident struct {
	Key                      string        `json:"key"`
	Title                    string        `json:"title"`
	Severity                 *string       `json:"severity"`
	Status                   string        `json:"status"`
	StartedAt                time.Time     `json:"started_at"`
	DetectedAt               *time.Time    `json:"detected_at"`
	AcknowledgedAt           *time.Time    `json:"acknowledged_at"`
	MitigatedAt              *time.Time    `json:"mitigated_at"`
	ResolvedAt               *time.Time    `json:"resolved_at"`
	Components               []string      `json:"components"`
	Tags                     []string      `json:"tags"`
	Team                     *string       `json:"team"`
	Commander                *string       `json:"commander"`
	Scribe                   *string       `json:"scribe"`
	CommsLead                *string       `json:"comms_lead"`
	Summary                  string        `json:"summary"`
	Impact                   string        `json:"impact"`
	Links                    []models.Link `json:"links"`
	ExternalSource           string        `json:"external_source"`
	ExternalID               string        `json:"external_id"`
	TimeToDetectSeconds      *int64        `json:"time_to_detect_seconds"`
	TimeToAcknowledgeSeconds *int64        `json:"time_to_acknowledge_seconds"`
	TimeToMitigateSeconds    *int64        `json:"time_to_mitigate_seconds"`
	TimeToResolveSeconds     *int64        `json:"time_to_resolve_seconds"`
	Version                  int           `json:"version"`
	CreatedAt                time.Time     `json:"created_at"`
	UpdatedAt                time.Time     `json:"updated_at"`
}

func emailOf(u *models.User) *string {
	if u == nil {
		return nil
	}
	return &u.Email
}

func toAPIIncident(i *models.Incident) apiIncident {
	d := i.Durations()
	out := apiIncident{
		Key: i.Key(), Title: i.Title, Status: string(i.Status), StartedAt: i.StartedAt.UTC(),
		DetectedAt: utcPtr(i.DetectedAt), AcknowledgedAt: utcPtr(i.AcknowledgedAt), MitigatedAt: utcPtr(i.MitigatedAt), ResolvedAt: utcPtr(i.ResolvedAt),
		Components: i.ComponentSlugs(), Tags: i.TagNames(), Summary: i.Summary, Impact: i.Impact, Links: i.Links,
		ExternalSource: i.ExternalSource, ExternalID: i.ExternalID,
		Commander: emailOf(i.Commander), Scribe: emailOf(i.Scribe), CommsLead: emailOf(i.CommsLead),
		TimeToDetectSeconds: models.Seconds(d.Detect), TimeToAcknowledgeSeconds: models.Seconds(d.Acknowledge),
		TimeToMitigateSeconds: models.Seconds(d.Mitigate), TimeToResolveSeconds: models.Seconds(d.Resolve),
		Version: i.Version, CreatedAt: i.CreatedAt.UTC(), UpdatedAt: i.UpdatedAt.UTC(),
	}
	if i.Severity != nil {
		out.Severity = &i.Severity.Name
	}
	if i.Team != nil {
		out.Team = &i.Team.Slug
	}
	if out.Links == nil {
		out.Links = []models.Link{}
	}
	return out
}

// apiIncidentInput is the body of create (POST) and update (PATCH).
type apiIncidentInput struct {
	Title          optional[string]        `json:"title"`
	Severity       optional[string]        `json:"severity"`
	Status         optional[string]        `json:"status"`
	StartedAt      optional[string]        `json:"started_at"`
	DetectedAt     optional[string]        `json:"detected_at"`
	AcknowledgedAt optional[string]        `json:"acknowledged_at"`
	MitigatedAt    optional[string]        `json:"mitigated_at"`
	ResolvedAt     optional[string]        `json:"resolved_at"`
	Components     optional[[]string]      `json:"components"`
	Tags           optional[[]string]      `json:"tags"`
	Team           optional[string]        `json:"team"`
	Commander      optional[string]        `json:"commander"`
	Scribe         optional[string]        `json:"scribe"`
	CommsLead      optional[string]        `json:"comms_lead"`
	Summary        optional[string]        `json:"summary"`
	Impact         optional[string]        `json:"impact"`
	Links          optional[[]models.Link] `json:"links"`
	ExternalSource optional[string]        `json:"external_source"`
	ExternalID     optional[string]        `json:"external_id"`
	Version        optional[int]           `json:"version"`
}

// apply lays the fields present in the body over in, resolving names,
// slugs and emails; problems are field errors.
func (h Incidents) applyAPIInput(ctx context.Context, body apiIncidentInput, in *models.IncidentInput) error {
	v := &models.ValidationError{}
	str := func(o optional[string], dst *string) {
		if o.Set {
			*dst = o.Value
		}
	}
	str(body.Title, &in.Title)
	str(body.Summary, &in.Summary)
	str(body.Impact, &in.Impact)
	str(body.ExternalSource, &in.ExternalSource)
	str(body.ExternalID, &in.ExternalID)
	if body.Status.Set {
		in.Status = models.IncidentStatus(body.Status.Value)
	}
	times := []struct {
		name string
		o    optional[string]
		dst  **time.Time
	}{
		{"started_at", body.StartedAt, &in.StartedAt}, {"detected_at", body.DetectedAt, &in.DetectedAt},
		{"acknowledged_at", body.AcknowledgedAt, &in.AcknowledgedAt}, {"mitigated_at", body.MitigatedAt, &in.MitigatedAt},
		{"resolved_at", body.ResolvedAt, &in.ResolvedAt},
	}
	for _, t := range times {
		switch {
		case !t.o.Set:
		case t.o.Null || t.o.Value == "":
			*t.dst = nil
		default:
			tm, err := time.Parse(time.RFC3339Nano, t.o.Value)
			if err != nil {
				v.Add(t.name, "Use an RFC 3339 time with an offset, like 2026-03-01T14:05:00Z.")
				continue
			}
			*t.dst = &tm
		}
	}
	if body.Severity.Set {
		in.SeverityID = nil
		if !body.Severity.Null && body.Severity.Value != "" {
			sev, err := models.GetSeverityByName(ctx, h.DB, body.Severity.Value)
			if err != nil {
				v.Add("severity", "No severity is called "+body.Severity.Value+" (see GET /api/v1/severities).")
			} else {
				in.SeverityID = &sev.ID
			}
		}
	}
	if body.Team.Set {
		in.TeamID = nil
		if !body.Team.Null && body.Team.Value != "" {
			team, err := models.GetTeamBySlug(ctx, h.DB, body.Team.Value)
			if err != nil {
				v.Add("team", "No team has the slug "+body.Team.Value+".")
			} else {
				in.TeamID = &team.ID
			}
		}
	}
	for _, p := range []struct {
		name string
		o    optional[string]
		dst  **int64
	}{{"commander", body.Commander, &in.CommanderID}, {"scribe", body.Scribe, &in.ScribeID}, {"comms_lead", body.CommsLead, &in.CommsLeadID}} {
		if !p.o.Set {
			continue
		}
		*p.dst = nil
		if !p.o.Null && p.o.Value != "" {
			u, err := models.GetUserByEmail(ctx, h.DB, p.o.Value)
			if err != nil {
				v.Add(p.name, "No user has the email address "+p.o.Value+".")
			} else {
				*p.dst = &u.ID
			}
		}
	}
	if body.Components.Set {
		in.ComponentIDs = nil
		var unknown []string
		for _, slug := range body.Components.Value {
			c, err := models.GetComponentBySlug(ctx, h.DB, slug)
			if err != nil {
				unknown = append(unknown, slug)
				continue
			}
			in.ComponentIDs = append(in.ComponentIDs, c.ID)
		}
		if len(unknown) > 0 {
			v.Add("components", "Unknown component slugs: "+strings.Join(unknown, ", ")+".")
		}
	}
	if body.Tags.Set {
		in.Tags = body.Tags.Value
	}
	if body.Links.Set {
		in.Links = body.Links.Value
	}
	return v.Err()
}

func (h Incidents) Severities(c echo.Context) error {
	list, err := models.ListSeverities(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	items := make([]apiSeverity, 0, len(list))
	for _, sv := range list {
		items = append(items, apiSeverity{Name: sv.Name, Rank: sv.Rank, Description: sv.Description, Color: sv.Color})
	}
	return web.WriteJSON(c, http.StatusOK, listPage[apiSeverity]{Items: items})
}

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
