package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Postmortems serves an incident's postmortem.
type Postmortems struct{ *web.Kit }

// The postmortem of an incident as JSON: the document, its contributing
// factors and findings, its action items' ids and the summaries of its
// closed retros. Retro notes are not in the API: their visibility belongs
// to the live session.

type apiPostmortemSection struct {
	Key       string    `json:"key"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

type apiFactor struct {
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Description string `json:"description"`
	RetroID     *int64 `json:"retro_id,omitempty"`
}

type apiRetroSummary struct {
	ID       int64      `json:"id"`
	Title    string     `json:"title"`
	Phase    string     `json:"phase"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	Summary  string     `json:"summary"`
}

type apiPostmortem struct {
	IncidentKey   string                 `json:"incident_key"`
	Status        string                 `json:"status"`
	Owner         string                 `json:"owner,omitempty"`
	Facilitator   string                 `json:"facilitator,omitempty"`
	DueDate       *models.Date           `json:"due_date"`
	Overdue       bool                   `json:"overdue"`
	PublishedAt   *time.Time             `json:"published_at,omitempty"`
	Version       int                    `json:"version"`
	CreatedAt     time.Time              `json:"created_at"`
	UpdatedAt     time.Time              `json:"updated_at"`
	Sections      []apiPostmortemSection `json:"sections"`
	Factors       []apiFactor            `json:"factors"`
	ActionItemIDs []int64                `json:"action_item_ids"`
	Retros        []apiRetroSummary      `json:"retros"`
}

func userEmail(u *models.User) string {
	if u == nil {
		return ""
	}
	return u.Email
}

func (h Postmortems) toAPIPostmortem(c echo.Context, inc *models.Incident, pm *models.Postmortem) (apiPostmortem, error) {
	ctx := c.Request().Context()
	out := apiPostmortem{
		IncidentKey: inc.Key(), Status: pm.Status, Owner: userEmail(pm.Owner), Facilitator: userEmail(pm.Facilitator),
		DueDate: pm.DueDate, Overdue: pm.Overdue(h.Today()), PublishedAt: utcPtr(pm.PublishedAt), Version: pm.Version,
		CreatedAt: pm.CreatedAt.UTC(), UpdatedAt: pm.UpdatedAt.UTC(),
		Sections: []apiPostmortemSection{}, Factors: []apiFactor{}, ActionItemIDs: []int64{}, Retros: []apiRetroSummary{},
	}
	for _, sec := range pm.Sections {
		out.Sections = append(out.Sections, apiPostmortemSection{Key: sec.Key, Title: sec.Title, Body: sec.Body, Version: sec.Version,
			UpdatedAt: sec.UpdatedAt.UTC(), UpdatedBy: userEmail(sec.UpdatedBy)})
	}
	factors, err := models.ListPostmortemFactors(ctx, h.DB, pm.ID)
	if err != nil {
		return out, err
	}
	for _, f := range factors {
		out.Factors = append(out.Factors, apiFactor{Kind: f.Kind, Title: f.Title, Description: f.Description, RetroID: f.RetroSessionID})
	}
	items, err := models.ListPostmortemActionItems(ctx, h.DB, pm.ID)
	if err != nil {
		return out, err
	}
	for _, a := range items {
		out.ActionItemIDs = append(out.ActionItemIDs, a.ID)
	}
	retros, err := models.ListRetros(ctx, h.DB, models.RetroFilter{PostmortemID: pm.ID})
	if err != nil {
		return out, err
	}
	for _, r := range retros {
		out.Retros = append(out.Retros, apiRetroSummary{ID: r.ID, Title: r.Title, Phase: r.Phase, ClosedAt: utcPtr(r.ClosedAt), Summary: r.Summary})
	}
	return out, nil
}

func (h Postmortems) Show(c echo.Context) error {
	inc, pm, err := models.GetIncidentPostmortem(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	out, err := h.toAPIPostmortem(c, inc, pm)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, out)
}
