package pages

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Retros) Phase(c echo.Context) error {
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		_, err := models.MoveRetroPhase(ctx, lt, web.Actor(c), id, form.Get("from"), form.Get("to"))
		return err
	})
}

func (h Retros) Timer(c echo.Context) error {
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		if form.Get("add") != "" {
			_, err := models.ExtendRetroTimer(ctx, lt, web.Actor(c), id, time.Minute)
			return err
		}
		minutes, perr := strconv.Atoi(form.Get("minutes"))
		if perr != nil {
			return models.FieldError("minutes", "Choose a number of minutes.")
		}
		_, err := models.SetRetroTimer(ctx, lt, web.Actor(c), id, time.Duration(minutes)*time.Minute)
		return err
	})
}

func (h Retros) Ready(c echo.Context) error {
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		return models.SetRetroReady(ctx, lt, web.Actor(c), id, form.Get("ready") == "1")
	})
}

func (h Retros) Reveal(c echo.Context) error {
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.RevealRetroNotes(ctx, lt, web.Actor(c), id)
	})
}

func (h Retros) Settings(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in := models.RetroSettings{Title: form.Get("title"), Agenda: form.Get("agenda"), Anonymous: form.Get("anonymous") == "1",
		VoteBudget: web.AtoiOr(form.Get("vote_budget"), -1), Prompts: splitLines(form.Get("prompts"))}
	_, err = models.UpdateRetroSettings(ctx, h.Live.Tx(), web.Actor(c), id, web.AtoiOr(form.Get("version"), -1), in)
	if errors.Is(err, models.ErrForbidden) {
		return err
	}
	v, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component {
		v.Settings = f
		if f.HasErrors() {
			v.Version = web.AtoiOr(f.Get("version"), v.Version)
		}
		return views.RetroSettingsForm(v)
	}
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, v.Settings)
}

func (h Retros) Close(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sess, err := models.CloseRetro(ctx, h.Live.Tx(), web.Actor(c), id, form.Get("summary"))
	if _, ok := models.AsValidation(err); ok {
		// The page again with the summary as typed and why it was refused.
		v, verr := h.retroFormView(c, id)
		if verr != nil {
			return verr
		}
		v.SummaryDraft = form.Get("summary")
		v.SummaryError = web.Explain(err).One()
		p := h.Page(c, v.Title, "retros")
		p.Scripts = append(p.Scripts, "js/retro.js")
		return h.Render(c, http.StatusUnprocessableEntity, views.RetroPage(p, v))
	}
	if err != nil {
		return h.retroAnswer(c, id, err, "")
	}
	h.Flash(c, "ok", "Retro closed. Its summary is part of the postmortem now.")
	if sess.Postmortem != nil && sess.Postmortem.Incident != nil {
		return h.Redirect(c, h.Path("postmortems.show", sess.Postmortem.Incident.Key())+"#h-retro-"+strconv.FormatInt(id, 10))
	}
	return h.Redirect(c, h.Path("retros.show", id))
}
