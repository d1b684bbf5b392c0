package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// home shows the instance at a glance.
func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	counts, err := models.HomeCounts(ctx, s.db)
	if err != nil {
		return err
	}
	m := views.HomeModel{}
	for _, hc := range counts {
		m.Stats = append(m.Stats, views.HomeStat{Label: hc.Label, Value: views.Itoa(hc.Count), Hint: hc.Hint, Href: s.reverse(hc.Route)})
	}
	return s.render(c, http.StatusOK, views.Home(s.page(c, "Home", ""), m))
}

// sectionPage renders the landing page of a navigation section.
func (s *Server) sectionPage(section, heading, lede string) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.render(c, http.StatusOK, views.Section(s.page(c, heading, section), views.SectionModel{Heading: heading, Lede: lede}))
	}
}
