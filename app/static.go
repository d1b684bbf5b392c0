package app

import (
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/static"
)

// serveStatic serves embedded assets at their content-hashed URLs; the
// content behind a URL never changes, so browsers may cache it for a year.
func (s *Server) serveStatic(c echo.Context) error {
	a, ok := static.Lookup(c.Request().URL.Path)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", a.ETag)
	if match := c.Request().Header.Get("If-None-Match"); match == a.ETag {
		return c.NoContent(http.StatusNotModified)
	}
	ct := mimeTypes[path.Ext(a.Name)]
	if ct == "" {
		ct = http.DetectContentType(a.Data)
	}
	return c.Blob(http.StatusOK, ct, a.Data)
}

var mimeTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".json": "application/json",
}
