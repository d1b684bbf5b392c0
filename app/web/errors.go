package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// DatabaseDown wraps a failure to reach the database (a ping, the session
// store): the answer is 503, whatever the driver said.
type DatabaseDown struct{ Err error }

func (e DatabaseDown) Error() string { return "database unavailable: " + e.Err.Error() }
func (e DatabaseDown) Unwrap() error { return e.Err }

// StatusClientClosedRequest is the status recorded for a request whose
// client disconnected before the answer (nginx's 499).
const StatusClientClosedRequest = 499

// Refusal is what an error means for the person who made the request:
// the status, a sentence to show, and for a refused input the message at
// each field and the record as it is now.
type Refusal struct {
	Status  int
	Message string
	// Fields and Global are a validation error's messages (422).
	Fields map[string]string
	Global []string
	// Current is the stored record on a version conflict (409).
	Current any
	// Rule is true when a rule of the domain refused the input (a bad
	// field, a state rule, a conflict): a form shows it beside what was
	// typed instead of an error page.
	Rule bool
}

// Explain maps any error to what the person is told. It is the one error
// mapper: the central error handler, forms and live controls all use it.
// Domain errors carry their own sentence (models.UserMessage).
func Explain(err error) Refusal {
	var he *echo.HTTPError
	var ve *models.ValidationError
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ve):
		return Refusal{Status: http.StatusUnprocessableEntity, Message: "Some fields need attention.", Fields: ve.Fields, Global: ve.Global, Rule: true}
	case errors.As(err, &ce):
		return Refusal{Status: http.StatusConflict, Message: userMessage(err, ce.Error()+"."), Current: ce.Current, Rule: true}
	case errors.Is(err, models.ErrInvalidState):
		return Refusal{Status: http.StatusConflict, Message: userMessage(err, "That is not allowed right now."), Rule: true}
	case errors.Is(err, models.ErrNotFound):
		return Refusal{Status: http.StatusNotFound, Message: "We could not find what you were looking for."}
	case errors.Is(err, models.ErrForbidden):
		return Refusal{Status: http.StatusForbidden, Message: "You do not have permission to do that."}
	case errors.Is(err, models.ErrDuplicate):
		return Refusal{Status: http.StatusConflict, Message: "That already exists."}
	case models.IsStorageFull(err):
		return Refusal{Status: http.StatusInsufficientStorage, Message: "Nothing was saved: the database cannot store more right now (its disk is full or it is read-only). Reading still works. An administrator needs to free disk space; the server log has the details."}
	case errors.Is(err, models.ErrUnavailable), errors.As(err, new(DatabaseDown)):
		return Refusal{Status: http.StatusServiceUnavailable, Message: "The database is not answering right now. Please try again in a moment."}
	case errors.Is(err, context.Canceled):
		// The client went away (a closed tab, a load generator's deadline):
		// not a server error, so not logged as one; nobody reads the answer.
		return Refusal{Status: StatusClientClosedRequest, Message: "The request was cancelled."}
	case errors.Is(err, context.DeadlineExceeded):
		return Refusal{Status: http.StatusServiceUnavailable, Message: "This took too long. Please try again in a moment."}
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		return Refusal{Status: he.Code, Message: msg}
	}
	return Refusal{Status: http.StatusInternalServerError, Message: "Something went wrong on our side. It has been logged."}
}

// userMessage is the sentence a typed domain error carries, or def.
func userMessage(err error, def string) string {
	var m interface{ UserMessage() string }
	if errors.As(err, &m) {
		if msg := m.UserMessage(); msg != "" {
			return msg
		}
	}
	return def
}

// One is the single message to show where there is room for one (a status
// line beside a button): the message of the first bad field by name (the
// same one every time), else the first general one, else the refusal's.
func (r Refusal) One() string {
	if keys := slices.Sorted(maps.Keys(r.Fields)); len(keys) > 0 {
		return r.Fields[keys[0]]
	}
	if len(r.Global) > 0 {
		return r.Global[0]
	}
	return r.Message
}

// FormRefusal is how a form page shows a write the rules refused: a
// validation error at its fields (422), a state rule or a conflict above
// them (409), the typed values kept either way. ok is false for other
// errors, which go to the central handler.
func FormRefusal(err error, f views.Form) (status int, out views.Form, ok bool) {
	r := Explain(err)
	if !r.Rule {
		return 0, f, false
	}
	if r.Fields != nil || r.Global != nil {
		return r.Status, f.WithErrors(r.Fields, r.Global), true
	}
	return r.Status, f.WithErrors(nil, []string{r.Message}), true
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
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

// ProblemOf is the API's answer for a refusal.
func ProblemOf(c echo.Context, r Refusal) Problem {
	p := Problem{
		Type:      "about:blank",
		Title:     http.StatusText(r.Status),
		Status:    r.Status,
		Detail:    r.Message,
		Instance:  c.Request().URL.Path,
		RequestID: RequestID(c),
		Errors:    r.Fields,
		Current:   r.Current,
	}
	if len(r.Global) > 0 {
		p.Detail = strings.Join(r.Global, " ")
	}
	return p
}

// WriteProblem answers with a problem+json body.
func WriteProblem(c echo.Context, p Problem) error {
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	return EncodeJSON(c.Response(), p)
}

// ErrorTitle is the heading of the error page for a status.
func ErrorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusServiceUnavailable:
		return "Temporarily unavailable"
	case http.StatusInsufficientStorage:
		return "Could not save"
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

// Message is the sentence Explain gives for err.
func Message(err error) string { return Explain(err).Message }
