package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// boundInput holds every text field of a state-changing request to its
// limit (models.FieldLimit) before the handler runs, on every route,
// create and edit alike: form fields by their name, JSON strings by the
// key they sit under. An over-long field is a 422 naming it (problem+json
// on the API), and nothing of it reaches a handler, a row or the audit
// trail (forms: see formSlack). Models validate the same limits where
// they re-render a form with the input kept; this is the edge that no
// route can forget.
func (s *Server) boundInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		ct, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
		switch ct {
		case echo.MIMEApplicationForm, echo.MIMEMultipartForm:
			form, err := c.FormParams()
			if err != nil {
				return next(c) // the handler reports a body it cannot read
			}
			for name, values := range form {
				for _, v := range values {
					if err := models.CheckFieldLength(name, v, formSlack); err != nil {
						return err
					}
				}
			}
		case echo.MIMEApplicationJSON:
			body, err := io.ReadAll(req.Body)
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					return echo.ErrStatusRequestEntityTooLarge
				}
				return err
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			var doc any
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if dec.Decode(&doc) == nil {
				if err := checkJSONLengths("", doc); err != nil {
					return err
				}
			}
		}
		return next(c)
	}
}

// formSlack: a form field is refused here only past twice its limit.
// Between the limit and that, the model refuses it and the page comes back
// with the input kept and the message at the field; past it, the input is
// abuse, not a typo worth keeping. The API has no form to re-render, so
// JSON is held to the limit itself.
const formSlack = 2

// checkJSONLengths walks a decoded JSON document: each string is held to
// the limit of the key it sits under (an array's items to the array's).
func checkJSONLengths(key string, v any) error {
	switch t := v.(type) {
	case string:
		return models.CheckFieldLength(key, t, 1)
	case map[string]any:
		for k, item := range t {
			if err := checkJSONLengths(k, item); err != nil {
				return err
			}
		}
	case []any:
		for _, item := range t {
			if err := checkJSONLengths(key, item); err != nil {
				return err
			}
		}
	}
	return nil
}
