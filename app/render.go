package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/views"
)

// render writes a templ component with the status. It renders into a
// buffer first, so a failing template is a clean 500, never half a page.
func (s *Server) render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	ctx := c.Request().Context()
	if p, ok := c.Get(pageCtxKey).(*views.Page); ok {
		ctx = views.WithPage(ctx, p)
	}
	if err := comp.Render(ctx, &buf); err != nil {
		return fmt.Errorf("app: render: %w", err)
	}
	if isHTMX(c) {
		c.Response().Header().Add("Vary", "HX-Request")
	}
	return c.HTMLBlob(status, buf.Bytes())
}

const pageCtxKey = "debrief.page"

// page builds the layout model for the current request.
func (s *Server) page(c echo.Context, title, section string) views.Page {
	p := views.Page{
		Title:     title,
		Section:   section,
		RequestID: requestID(c),
		Version:   s.cfg.Version,
	}
	s.fillPage(c, &p)
	c.Set(pageCtxKey, &p)
	return p
}

func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// writeJSON answers with a JSON body.
func writeJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return jsonEncode(c.Response(), v)
}

var _ = http.StatusOK
