package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

var errSchemaBehind = errors.New("database schema is behind this version of Debrief; run `debrief migrate`")

type errDBDown struct{ err error }

func (e errDBDown) Error() string { return "database unavailable: " + e.err.Error() }
func (e errDBDown) Unwrap() error { return e.err }

// problem is an RFC 9457 problem details body.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	// Current is the record as stored now, on a 409 conflict.
	Current any `json:"current,omitempty"`
}

// classify maps an error to a status code and a message safe to show.
func classify(err error) (int, string) {
	var he *echo.HTTPError
	var ve *models.ValidationError
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "Some fields need attention."
	case errors.As(err, &ce):
		return http.StatusConflict, ce.Error() + "."
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "We could not find what you were looking for."
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, "You do not have permission to do that."
	case errors.Is(err, models.ErrDuplicate):
		return http.StatusConflict, "That already exists."
	case errors.Is(err, models.ErrInvalidState):
		return http.StatusConflict, unwrapMessage(err)
	case errors.Is(err, models.ErrUnavailable), errors.As(err, new(errDBDown)):
		return http.StatusServiceUnavailable, "The database is not answering right now. Please try again in a moment."
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "This took too long. Please try again in a moment."
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		return he.Code, msg
	}
	return http.StatusInternalServerError, "Something went wrong on our side. It has been logged."
}

// formRefusal is how a form page shows a write the rules refused: a
// validation error at its fields (422), a state rule ("the review is
// closed") above them (409), the typed values kept either way. ok is
// false for other errors.
func formRefusal(err error, f views.Form) (status int, out views.Form, ok bool) {
	if ve, isVE := models.AsValidation(err); isVE {
		return http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global), true
	}
	if errors.Is(err, models.ErrInvalidState) {
		return http.StatusConflict, f.WithErrors(nil, []string{unwrapMessage(err)}), true
	}
	return 0, f, false
}

func unwrapMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		msg = msg[i+2:]
	}
	if msg == "" {
		return "That is not allowed right now."
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}

// handleError is echo's single error handler: domain errors become status
// codes; the API answers problem+json, pages get a friendly error page.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := classify(err)
	ctx := c.Request().Context()
	if status >= 500 {
		s.log.ErrorContext(ctx, "request failed", "err", err, "status", status, "request_id", requestID(c), "path", s.loggedURI(c, c.Request().URL.Path))
	}
	if isAPI(c) {
		p := problem{
			Type:      "about:blank",
			Title:     http.StatusText(status),
			Status:    status,
			Detail:    msg,
			Instance:  c.Request().URL.Path,
			RequestID: requestID(c),
		}
		if ve, ok := models.AsValidation(err); ok {
			p.Errors = ve.Fields
			if len(ve.Global) > 0 {
				p.Detail = strings.Join(ve.Global, " ")
			}
		}
		var ce *models.ConflictError
		if errors.As(err, &ce) {
			p.Current = ce.Current
		}
		if status == http.StatusUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="debrief"`)
		}
		writeProblem(c, p)
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
	page := s.page(c, http.StatusText(status), "")
	return s.render(c, status, views.Error(page, views.ErrorPage{Status: status, Title: errorTitle(status), Message: msg}))
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusServiceUnavailable:
		return "Temporarily unavailable"
	case http.StatusUnprocessableEntity:
		return "Please check your input"
	case http.StatusConflict:
		return "Conflict"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return http.StatusText(status)
}

func isAPI(c echo.Context) bool { return web.IsAPI(c) }

func writeProblem(c echo.Context, p problem) {
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	_ = web.EncodeJSON(c.Response(), p)
}
