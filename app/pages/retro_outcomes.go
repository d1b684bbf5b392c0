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

func (h Retros) ProposalCreate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in, perr := h.timelineInput(c, form)
	err = perr.Err()
	if err == nil {
		_, err = models.ProposeTimelineEvent(ctx, h.Live.Tx(), web.Actor(c), id, in)
	}
	v, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.ProposalForm(v, f) }
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm().Set("kind", "observation"))
}

func (h Retros) ProposalDecide(c echo.Context) error {
	pid, err := web.PathID(c, "pid")
	if err != nil {
		return err
	}
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		_, err := models.DecideProposal(ctx, lt, web.Actor(c), id, pid, form.Get("accept") == "1")
		return err
	})
}

func (h Retros) FactorCreate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	themeID := int64(web.AtoiOr(form.Get("theme"), 0))
	_, err = models.AddRetroFactor(ctx, h.Live.Tx(), web.Actor(c), id, themeID, models.FactorInput{Kind: form.Get("kind"), Title: form.Get("title"), Description: form.Get("description")})
	v, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	th := views.ThemeView{ID: themeID}
	if t := themeByID(v.Themes, themeID); t != nil {
		th = *t
	}
	render := func(f views.Form) templ.Component { return views.FactorForm(v, th, f) }
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm().Set("kind", form.Get("kind")))
}

func themeByID(themes []views.ThemeView, id int64) *views.ThemeView {
	for i := range themes {
		if themes[i].ID == id {
			return &themes[i]
		}
	}
	return nil
}

func (h Retros) ActionCreate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in := models.NewActionItem{ActionItemInput: actionInput(form)}
	_, err = models.AddRetroActionItem(ctx, h.Live.Tx(), web.Actor(c), id, in)
	rv, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.RetroActionForm(rv, f) }
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm().Set("priority", models.PriorityMedium))
}
