package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// JSON API of the component catalog and action items (issue 4).

type componentJSON struct {
	ID                 int64         `json:"id"`
	Name               string        `json:"name"`
	Slug               string        `json:"slug"`
	Team               string        `json:"team"`
	Tier               int           `json:"tier"`
	Description        string        `json:"description"`
	Links              []models.Link `json:"links"`
	Tags               []string      `json:"tags"`
	ReviewIntervalDays int           `json:"review_interval_days"`
	LastReviewedAt     *time.Time    `json:"last_reviewed_at"`
	NextReviewDue      *models.Date  `json:"next_review_due"`
	Version            int           `json:"version"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`
}

func toComponentJSON(c *models.Component) componentJSON {
	j := componentJSON{ID: c.ID, Name: c.Name, Slug: c.Slug, Tier: c.Tier, Description: c.Description, Links: c.Links, Tags: c.TagNames(),
		ReviewIntervalDays: c.ReviewIntervalDays, LastReviewedAt: c.LastReviewedAt, NextReviewDue: c.NextReviewDue, Version: c.Version,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if j.Links == nil {
		j.Links = []models.Link{}
	}
	if c.Team != nil {
		j.Team = c.Team.Slug
	}
	return j
}

// conflictJSON swaps the model in a ConflictError for its JSON shape.
func conflictJSON[T any, J any](err error, conv func(T) J) error {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		if cur, ok := ce.Current.(T); ok {
			return &models.ConflictError{What: ce.What, Current: conv(cur)}
		}
	}
	return err
}

func (s *Server) apiComponentList(c echo.Context) error {
	ctx := c.Request().Context()
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	var after int64
	if err := decodeCursor(lp.Cursor, &after); err != nil {
		return err
	}
	q := c.QueryParams()
	f := models.ComponentFilter{Tag: q.Get("tag"), Review: q.Get("review"), Today: s.today(), Query: q.Get("q"), ByID: true, AfterID: after, Limit: lp.Limit + 1}
	if v := q.Get("tier"); v != "" {
		if f.Tier, err = strconv.Atoi(v); err != nil || f.Tier < 1 || f.Tier > 3 {
			return models.FieldError("tier", "tier must be 1, 2 or 3")
		}
	}
	if f.Review != "" && f.Review != models.ReviewFilterDue && f.Review != models.ReviewFilterOverdue && f.Review != models.ReviewFilterNever {
		return models.FieldError("review", "review must be due, overdue or never")
	}
	if slug := q.Get("team"); slug != "" {
		t, err := models.GetTeamBySlug(ctx, s.db, slug)
		if errors.Is(err, models.ErrNotFound) {
			return models.FieldError("team", "no team has the slug "+slug)
		} else if err != nil {
			return err
		}
		f.TeamID = t.ID
	}
	comps, err := models.ListComponents(ctx, s.db, f)
	if err != nil {
		return err
	}
	items := make([]componentJSON, 0, len(comps))
	for i := range comps {
		items = append(items, toComponentJSON(&comps[i]))
	}
	return writeJSON(c, http.StatusOK, newListPage(items, lp.Limit, func(j componentJSON) any { return j.ID }))
}

type componentInputJSON struct {
	Name               *string        `json:"name"`
	Slug               *string        `json:"slug"`
	Team               *string        `json:"team"`
	Tier               *int           `json:"tier"`
	Description        *string        `json:"description"`
	Links              *[]models.Link `json:"links"`
	Tags               *[]string      `json:"tags"`
	ReviewIntervalDays *int           `json:"review_interval_days"`
	Version            *int           `json:"version"`
}

// apply fills in over the current values (PATCH semantics).
func (in componentInputJSON) apply(cur models.ComponentInput) models.ComponentInput {
	if in.Name != nil {
		cur.Name = *in.Name
	}
	if in.Slug != nil {
		cur.Slug = *in.Slug
	}
	if in.Team != nil {
		cur.Team = *in.Team
	}
	if in.Tier != nil {
		cur.Tier = *in.Tier
	}
	if in.Description != nil {
		cur.Description = *in.Description
	}
	if in.Links != nil {
		cur.Links = *in.Links
	}
	if in.Tags != nil {
		cur.Tags = *in.Tags
	}
	if in.ReviewIntervalDays != nil {
		cur.ReviewIntervalDays = *in.ReviewIntervalDays
	}
	return cur
}

func (s *Server) apiComponentCreate(c echo.Context) error {
	var in componentInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Tier == nil {
		in.Tier = new(int)
	}
	comp, err := models.CreateComponent(c.Request().Context(), s.db, actor(c), in.apply(models.ComponentInput{}))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, toComponentJSON(comp))
}

func (s *Server) apiComponentGet(c echo.Context) error {
	comp, err := models.GetComponentBySlug(c.Request().Context(), s.db, c.Param("slug"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, toComponentJSON(comp))
}

func (s *Server) apiComponentUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	comp, err := models.GetComponentBySlug(ctx, s.db, c.Param("slug"))
	if err != nil {
		return err
	}
	var in componentInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Slug != nil && *in.Slug != comp.Slug {
		return models.FieldError("slug", "the slug of a component cannot change")
	}
	cur := models.ComponentInput{Name: comp.Name, Tier: comp.Tier, Description: comp.Description, Links: comp.Links, Tags: comp.TagNames(), ReviewIntervalDays: comp.ReviewIntervalDays}
	if comp.Team != nil {
		cur.Team = comp.Team.Slug
	}
	version := comp.Version
	if in.Version != nil {
		version = *in.Version
	}
	updated, err := models.UpdateComponent(ctx, s.db, actor(c), comp.ID, version, in.apply(cur))
	if err != nil {
		return conflictJSON(err, toComponentJSON)
	}
	return writeJSON(c, http.StatusOK, toComponentJSON(updated))
}

// ---- action items ----

type actionItemJSON struct {
	ID             int64        `json:"id"`
	Title          string       `json:"title"`
	Description    string       `json:"description"`
	Status         string       `json:"status"`
	StatusReason   string       `json:"status_reason"`
	CompletionNote string       `json:"completion_note"`
	Priority       string       `json:"priority"`
	Owner          string       `json:"owner"`
	Team           string       `json:"team"`
	Component      string       `json:"component"`
	DueDate        *models.Date `json:"due_date"`
	SourceKind     string       `json:"source_kind"`
	ReviewID       *int64       `json:"review_id"`
	FindingID      *int64       `json:"finding_id"`
	ExternalURL    string       `json:"external_url"`
	ClosedAt       *time.Time   `json:"closed_at"`
	ClosedOn       *models.Date `json:"closed_on"`
	Incident       *string      `json:"incident"`
	Version        int          `json:"version"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

func toActionItemJSON(a *models.ActionItem) actionItemJSON {
	j := actionItemJSON{ID: a.ID, Title: a.Title, Description: a.Description, Status: a.Status, StatusReason: a.StatusReason,
		CompletionNote: a.CompletionNote, Priority: a.Priority, Owner: a.OwnerEmail(), Team: a.TeamSlug(), DueDate: a.DueDate,
		SourceKind: a.SourceKind, ReviewID: a.ReviewID, FindingID: a.FindingID, ExternalURL: a.ExternalURL, ClosedAt: a.ClosedAt,
		Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.Component != nil {
		j.Component = a.Component.Slug
	}
	j.ClosedOn = a.ClosedOn
	if a.Incident != nil {
		k := a.Incident.Key()
		j.Incident = &k
	}
	return j
}

func (s *Server) apiActionList(c echo.Context) error {
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	q, cursorOf, err := s.apiActionQuery(c, lp) // every filter of the list page (api_action_items.go)
	if err != nil {
		return err
	}
	items, err := models.FindActionItems(c.Request().Context(), s.db, q)
	if err != nil {
		return err
	}
	out := make([]actionItemJSON, 0, len(items))
	for i := range items {
		out = append(out, toActionItemJSON(&items[i]))
	}
	return writeJSON(c, http.StatusOK, newListPage(out, lp.Limit, func(j actionItemJSON) any { return cursorOf(j.ID) }))
}

type actionInputJSON struct {
	Title          *string      `json:"title"`
	Description    *string      `json:"description"`
	Owner          *string      `json:"owner"`
	Team           *string      `json:"team"`
	DueDate        *models.Date `json:"due_date"`
	Priority       *string      `json:"priority"`
	Status         *string      `json:"status"`
	StatusReason   *string      `json:"status_reason"`
	CompletionNote *string      `json:"completion_note"`
	FindingID      *int64       `json:"finding_id"`
	ReviewID       *int64       `json:"review_id"`
	Component      *string      `json:"component"`
	Incident       *string      `json:"incident"`
	ExternalURL    *string      `json:"external_url"`
	Version        *int         `json:"version"`
}

func str(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func (in actionInputJSON) input(cur models.ActionItemInput) models.ActionItemInput {
	cur.Title, cur.Description, cur.Owner = str(in.Title, cur.Title), str(in.Description, cur.Description), str(in.Owner, cur.Owner)
	cur.Team, cur.Priority, cur.ExternalURL = str(in.Team, cur.Team), str(in.Priority, cur.Priority), str(in.ExternalURL, cur.ExternalURL)
	if in.DueDate != nil {
		cur.DueDate = in.DueDate.String()
	}
	return cur
}

func (s *Server) apiActionCreate(c echo.Context) error {
	ctx := c.Request().Context()
	var in actionInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Status != nil || in.Version != nil {
		return models.FieldError("status", "new action items are open; change the status afterwards with PATCH")
	}
	n := models.NewActionItem{ActionItemInput: in.input(models.ActionItemInput{}), FindingID: in.FindingID, ReviewID: in.ReviewID,
		ComponentSlug: str(in.Component, ""), IncidentKey: str(in.Incident, "")}
	a, err := models.CreateActionItem(ctx, s.db, actor(c), n)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, toActionItemJSON(a))
}

func (s *Server) apiActionGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a, err := models.GetActionItem(c.Request().Context(), s.db, id)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, toActionItemJSON(a))
}

// apiActionUpdate changes fields and/or the status, each checked against
// the version sent (or the current one when none is sent), together or not
// at all (models.PatchActionItem).
func (s *Server) apiActionUpdate(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in actionInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.FindingID != nil || in.ReviewID != nil || in.Component != nil || in.Incident != nil {
		return models.FieldError("finding_id", "where an item came from cannot change")
	}
	p := models.ActionPatch{Version: in.Version, Title: in.Title, Description: in.Description, Priority: in.Priority, Owner: in.Owner,
		Team: in.Team, ExternalURL: in.ExternalURL, Status: in.Status, Note: str(in.StatusReason, "")}
	if in.DueDate != nil {
		p.DueDate = strPtr(in.DueDate.String())
	}
	if in.Status != nil && *in.Status == models.ActionDone {
		p.Note = str(in.CompletionNote, "")
	}
	a, err := models.PatchActionItem(c.Request().Context(), s.db, actor(c), id, p)
	if err != nil {
		return conflictJSON(err, toActionItemJSON)
	}
	return writeJSON(c, http.StatusOK, toActionItemJSON(a))
}
