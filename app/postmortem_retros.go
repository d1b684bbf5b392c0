package app

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Links between postmortems and their live retros.

func (s *Server) retrosEnabled() bool { return false }

func (s *Server) fillPostmortemRetros(c echo.Context, pm *models.Postmortem, m *views.PostmortemPage) error {
	return nil
}

// factorThemes names the retro theme each factor was written for.
func (s *Server) factorThemes(c echo.Context, factors []models.ContributingFactor) (map[int64]string, error) {
	return map[int64]string{}, nil
}

// incidentPostmortem is the incident page's view of its postmortem.
func (s *Server) incidentPostmortem(c echo.Context, inc *models.Incident) (*views.IncidentPostmortem, error) {
	pm, err := models.GetPostmortemOfIncident(c.Request().Context(), s.db, inc.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &views.IncidentPostmortem{Status: pm.Status, Owner: userLabel(pm.Owner), Due: datePtrString(pm.DueDate), Overdue: pm.Overdue(s.today())}, nil
}
