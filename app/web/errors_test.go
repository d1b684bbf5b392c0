package web

import (
	"context"

	"github.com/jackc/pgx/v5/pgconn"

	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func TestExplainMapsDomainErrors(t *testing.T) {
	cases := []struct {
		err  error
		want int
		msg  string
		rule bool
	}{
		{models.FieldError("title", "required"), 422, "Some fields need attention.", true},
		{&models.ConflictError{What: "answer"}, 409, "", true},
		{fmt.Errorf("models: close: %w", models.StateErrorf("the review is closed")), 409, "The review is closed.", true},
		{models.ErrNotFound, 404, "", false},
		{models.ErrForbidden, 403, "", false},
		{models.ErrDuplicate, 409, "That already exists.", false},
		{models.ErrUnavailable, 503, "", false},
		{DatabaseDown{Err: errors.New("refused")}, 503, "", false},
		{errors.New("models: create incident: database or disk is full (13)"), 507, "", false},
		{fmt.Errorf("x: %w", errors.New("attempt to write a readonly database (8)")), 507, "", false},
		{&pgconn.PgError{Code: "53100"}, 507, "", false},
		{fmt.Errorf("models: count action items: %w", context.Canceled), 499, "", false},
		{errors.New("boom"), 500, "Something went wrong on our side. It has been logged.", false},
		{echo.NewHTTPError(http.StatusTeapot), http.StatusTeapot, "I'm a teapot", false},
	}
	for _, c := range cases {
		r := Explain(c.err)
		if r.Status != c.want || r.Rule != c.rule || (c.msg != "" && r.Message != c.msg) {
			t.Errorf("%v → %+v, want %d %q rule=%v", c.err, r, c.want, c.msg, c.rule)
		}
	}
}

func TestFormRefusalKeepsTheInput(t *testing.T) {
	f := views.NewForm().Set("title", "typed")
	status, out, ok := FormRefusal(models.StateErrorf("the review is closed"), f)
	if !ok || status != 409 || out.Get("title") != "typed" {
		t.Fatalf("state refusal: %d %v %v", status, ok, out)
	}
	if _, _, ok := FormRefusal(errors.New("boom"), f); ok {
		t.Fatal("a failure was treated as a refusal")
	}
}
