package pages

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Links between postmortems and their live retros.

func (b base) retrosEnabled() bool { return true }

// fillPostmortemRetros lists the postmortem's retros and the summaries of
// the closed ones, which are part of the document.
func (b base) fillPostmortemRetros(c echo.Context, pm *models.Postmortem, m *views.PostmortemPage) error {
	list, err := models.ListRetros(c.Request().Context(), b.DB, models.RetroFilter{PostmortemID: pm.ID})
	if err != nil {
		return err
	}
	for i := len(list) - 1; i >= 0; i-- { // oldest first
		r := list[i]
		m.Retros = append(m.Retros, views.RetroLink{ID: r.ID, Title: r.Title, Phase: models.PhaseLabel(r.Phase), Closed: r.Closed(), When: b.fmtTime(c, r.CreatedAt)})
		if r.Closed() && r.Summary != "" {
			sum := views.RetroSummaryView{SessionID: r.ID, Title: r.Title, Summary: r.Summary}
			if r.ClosedAt != nil {
				sum.ClosedAt = b.fmtTime(c, *r.ClosedAt)
			}
			m.Summaries = append(m.Summaries, sum)
		}
	}
	return nil
}

// factorThemes names the retro theme each factor was written for.
func (b base) factorThemes(c echo.Context, factors []models.ContributingFactor) (map[int64]string, error) {
	return models.FactorThemeTitles(c.Request().Context(), b.DB, factors)
}

// incidentPostmortem is the incident page's view of its postmortem.
func (b base) incidentPostmortem(c echo.Context, inc *models.Incident) (*views.IncidentPostmortem, error) {
	pm, err := models.GetPostmortemOfIncident(c.Request().Context(), b.DB, inc.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &views.IncidentPostmortem{Status: pm.Status, StatusLabel: models.PostmortemStatusLabel(pm.Status), Owner: userLabel(pm.Owner), Due: datePtrString(pm.DueDate), Overdue: pm.Overdue(b.Today())}, nil
}
