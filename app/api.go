package app

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// Conventions of every /api/v1 endpoint: snake_case JSON, RFC 3339 UTC
// timestamps, lists with limit/cursor answering {"items", "next_cursor"},
// create → 201 with the object, stale version → 409 with the current
// object, errors as problem+json (see errors.go).

const (
	defaultLimit = 50
	maxLimit     = 500
)

// listParams are the paging parameters of a list endpoint.
type listParams struct {
	Limit  int
	Cursor string
}

// parseList reads limit and cursor, answering 422 for bad values.
func parseList(c echo.Context) (listParams, error) {
	p := listParams{Limit: defaultLimit, Cursor: c.QueryParam("cursor")}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return p, models.FieldError("limit", fmt.Sprintf("limit must be a whole number from 1 to %d", maxLimit))
		}
		p.Limit = n
	}
	return p, nil
}

// listPage is the body of a list response.
type listPage[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// newListPage builds a page from up to limit+1 fetched items: the extra
// item only signals that there is a next page, whose cursor cursorOf makes
// from the last item returned.
func newListPage[T any](items []T, limit int, cursorOf func(T) any) listPage[T] {
	p := listPage[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) > limit {
		p.Items = items[:limit]
		p.NextCursor = encodeCursor(cursorOf(items[limit-1]))
	}
	return p
}

// encodeCursor turns a position into an opaque cursor.
func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor into v.
func decodeCursor(s string, v any) error {
	if s == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return models.FieldError("cursor", "cursor is not one this API gave out")
	}
	return nil
}

// bindJSON decodes a JSON request body into v, refusing unknown fields and
// trailing data with a 400 that says what is wrong.
func bindJSON(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as application/json")
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return echo.NewHTTPError(http.StatusBadRequest, "the request body is empty")
		case errors.As(err, &se):
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("malformed JSON at byte %d", se.Offset))
		case errors.As(err, &te):
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("field %q must be %s", te.Field, te.Type.String()))
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return echo.NewHTTPError(http.StatusBadRequest, strings.TrimPrefix(err.Error(), "json: "))
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is too large")
		}
		return echo.NewHTTPError(http.StatusBadRequest, "malformed JSON: "+err.Error())
	}
	if dec.More() {
		return echo.NewHTTPError(http.StatusBadRequest, "unexpected data after the JSON object")
	}
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
