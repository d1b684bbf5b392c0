package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/views"
)

var errSchemaBehind = errors.New("database schema is behind this version of Debrief; run `debrief migrate`")

type errDBDown = web.DatabaseDown

// handleError is echo's single error handler: domain errors become status
// codes; the API answers problem+json, pages get a friendly error page.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	r := web.Explain(err)
	status, msg := r.Status, r.Message
	ctx := c.Request().Context()
	if status >= 500 {
		s.log.ErrorContext(ctx, "request failed", "err", err, "status", status, "request_id", web.RequestID(c), "path", s.loggedURI(c, c.Request().URL.Path))
	}
	if web.IsAPI(c) {
		if status == http.StatusUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="debrief"`)
		}
		_ = web.WriteProblem(c, web.ProblemOf(c, r))
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	// The request context may be over (timeout, client gone); the error page
	// is rendered anyway.
	c.SetRequest(c.Request().WithContext(context.WithoutCancel(ctx)))
	if rerr := s.renderErrorPage(c, status, msg); rerr != nil {
		s.log.ErrorContext(ctx, "rendering error page failed", "err", rerr)
		_ = c.String(status, msg)
	}
}

// renderErrorPage renders the friendly page, turning a panic while doing so
// into an error so the plain-text fallback still answers.
func (s *Server) renderErrorPage(c echo.Context, status int, msg string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	page := s.kit.Page(c, http.StatusText(status), "")
	return s.kit.Render(c, status, views.Error(page, views.ErrorPage{Status: status, Title: web.ErrorTitle(status), Message: msg}))
}
