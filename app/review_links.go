package app

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Links between the catalog and action items on one side and reviews and
// findings on the other.

func (s *Server) resolveReviewActionSource(c echo.Context, v url.Values, src *actionSource) error {
	return nil
}

func (s *Server) fillActionLinks(c echo.Context, a *models.ActionItem, m *views.ActionDetail) error {
	return nil
}

func (s *Server) fillComponentReviews(c echo.Context, comp *models.Component, m *views.ComponentDetail) error {
	return nil
}
