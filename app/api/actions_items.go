package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

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

func (h Actions) List(c echo.Context) error {
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	q, cursorOf, err := h.apiActionQuery(c, lp) // every filter of the list page (api_action_items.go)
	if err != nil {
		return err
	}
	items, err := models.FindActionItems(c.Request().Context(), h.DB, q)
	if err != nil {
		return err
	}
	out := make([]actionItemJSON, 0, len(items))
	for i := range items {
		out = append(out, toActionItemJSON(&items[i]))
	}
	return web.WriteJSON(c, http.StatusOK, newListPage(out, lp.Limit, func(j actionItemJSON) any { return cursorOf(j.ID) }))
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

func (h Actions) Create(c echo.Context) error {
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
	a, err := models.CreateActionItem(ctx, h.DB, web.Actor(c), n)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, toActionItemJSON(a))
}

func (h Actions) Get(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	a, err := models.GetActionItem(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toActionItemJSON(a))
}

// apiActionUpdate changes fields and/or the status, each checked against
// the version sent (or the current one when none is sent), together or not
// at all (models.PatchActionItem).
func (h Actions) Update(c echo.Context) error {
	id, err := web.PathID(c, "id")
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
	a, err := models.PatchActionItem(c.Request().Context(), h.DB, web.Actor(c), id, p)
	if err != nil {
		return conflictJSON(err, toActionItemJSON)
	}
	return web.WriteJSON(c, http.StatusOK, toActionItemJSON(a))
}
