package app

import (
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/views"
)

// authorize returns the access check of a route.
func (s *Server) authorize(r route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
}

// fillPage adds what the layout shows about the visitor.
func (s *Server) fillPage(c echo.Context, p *views.Page) {}
