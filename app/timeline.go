package app

import (
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (s *Server) timelineModel(c echo.Context, inc *models.Incident, f views.Form) (views.TimelineModel, error) {
	return views.TimelineModel{}, nil
}
