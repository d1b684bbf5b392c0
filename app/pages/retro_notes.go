package pages

import (
	"context"
	"net/url"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Retros) NoteCreate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	promptID := int64(web.AtoiOr(form.Get("prompt"), 0))
	_, err = models.AddRetroNote(ctx, h.Live.Tx(), web.Actor(c), id, promptID, form.Get("text"))
	v, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	prompt := views.PromptView{ID: promptID}
	for _, p := range v.Prompts {
		if p.ID == promptID {
			prompt = p
		}
	}
	render := func(f views.Form) templ.Component { return views.NoteForm(v, prompt, f) }
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm())
}

func (h Retros) NoteUpdate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	noteID, err := web.PathID(c, "nid")
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = models.UpdateRetroNote(ctx, h.Live.Tx(), web.Actor(c), id, noteID, form.Get("text"))
	f := views.FormFrom(form)
	render := func(f views.Form) templ.Component { return views.NoteEditForm(id, noteID, f) }
	return h.retroFormAnswer(c, id, err, f, render, f)
}

func (h Retros) NoteDelete(c echo.Context) error {
	noteID, err := web.PathID(c, "nid")
	if err != nil {
		return err
	}
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.DeleteRetroNote(ctx, lt, web.Actor(c), id, noteID)
	})
}

func (h Retros) NoteGroup(c echo.Context) error {
	noteID, err := web.PathID(c, "nid")
	if err != nil {
		return err
	}
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		return models.GroupRetroNote(ctx, lt, web.Actor(c), id, noteID, int64(web.AtoiOr(form.Get("theme"), 0)))
	})
}
