package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
)

// healthz answers 200 while the process runs.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 only when the database answers and its schema is
// current; otherwise 503 with the reason, so a load balancer stops sending
// traffic without anyone restarting Debrief.
func (s *Server) readyz(c echo.Context) error {
	if err := s.Ready(c.Request().Context()); err != nil {
		reason := err.Error()
		if errors.Is(err, errSchemaBehind) {
			reason = errSchemaBehind.Error()
		}
		return web.WriteJSON(c, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": reason})
	}
	return web.WriteJSON(c, http.StatusOK, map[string]string{"status": "ready"})
}
