package app

import (
	"net/url"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/views"
)

func (s *Server) render(c echo.Context, status int, comp templ.Component) error {
	return s.kit.Render(c, status, comp)
}

func (s *Server) page(c echo.Context, title, section string) views.Page {
	return s.kit.Page(c, title, section)
}

func isHTMX(c echo.Context) bool { return web.IsHTMX(c) }

func writeJSON(c echo.Context, status int, v any) error { return web.WriteJSON(c, status, v) }

func safeNext(next string) string { return web.SafeNext(next) }

func formValues(c echo.Context) (url.Values, error) { return web.FormValues(c) }

func (s *Server) externalURL(c echo.Context) string { return s.kit.ExternalURL(c) }
