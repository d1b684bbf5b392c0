package pages

import (
	"context"
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Writes of a live retro. Each one is an ordinary POST that calls one
// models function; the function changes the database and publishes what
// changed in the same transaction, through the live broker (s.live.Tx());
// every stream on every instance then renders the change for its own
// viewer. The answer to the writer itself is small: a fresh form, or a
// message for #retro-msg. This file holds those answers; the writes are in
// retro_controls.go, retro_notes.go, retro_themes.go and retro_outcomes.go.

// retroRefusal is the one message a retro control shows for a refused
// write (the domain error carries it); ok is false for other errors.
func retroRefusal(err error) (status int, msg string, ok bool) {
	r := web.Explain(err)
	if !r.Rule {
		return 0, "", false
	}
	return r.Status, r.One(), true
}

// retroAnswer answers a control (a button posting to #retro-msg).
func (h Retros) retroAnswer(c echo.Context, sessionID int64, err error, done string) error {
	if err == nil {
		if !web.IsHTMX(c) {
			if done != "" {
				h.Flash(c, "ok", done)
			}
			return h.Redirect(c, h.Path("retros.show", sessionID))
		}
		return c.HTML(http.StatusOK, templ.EscapeString(done))
	}
	status, msg, ok := retroRefusal(err)
	if !ok {
		return err
	}
	if !web.IsHTMX(c) {
		h.Flash(c, "warn", msg)
		return h.Redirect(c, h.Path("retros.show", sessionID))
	}
	return c.HTML(status, `<span class="retro-refused">`+templ.EscapeString(msg)+`</span>`)
}

// retroControl answers a control of a live retro (a button posting to
// #retro-msg): do makes the write with the session id and the posted form.
func (h Retros) retroControl(c echo.Context, do func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	return h.retroAnswer(c, id, do(ctx, h.Live.Tx(), id, form), "")
}

// retroFormAnswer answers a form that swaps itself: a fresh form after a
// write, the form with the message and the typed values otherwise.
func (h Retros) retroFormAnswer(c echo.Context, sessionID int64, err error, form views.Form, render func(views.Form) templ.Component, fresh views.Form) error {
	if !web.IsHTMX(c) {
		return h.retroAnswer(c, sessionID, err, "")
	}
	if err == nil {
		h.Page(c, "Retro", "retros")
		return h.Render(c, http.StatusOK, render(fresh))
	}
	status, msg, ok := retroRefusal(err)
	if !ok {
		return err
	}
	if ve, isVE := models.AsValidation(err); isVE {
		form = form.WithErrors(ve.Fields, ve.Global)
	} else {
		form = form.WithErrors(nil, []string{msg})
	}
	h.Page(c, "Retro", "retros")
	return h.Render(c, status, render(form))
}

// retroFormView is the viewer's view for re-rendering a form.
func (h Retros) retroFormView(c echo.Context, id int64) (views.RetroView, error) {
	ctx := c.Request().Context()
	seq, err := h.Live.Seq(ctx, retroTopic(id))
	if err != nil {
		return views.RetroView{}, err
	}
	v, err := h.retroViewFor(ctx, id, seq, web.CurrentUser(c))
	if err != nil {
		return v, err
	}
	if v.Owners == nil {
		v.Owners, err = h.retroOwners(ctx)
	}
	return v, err
}
