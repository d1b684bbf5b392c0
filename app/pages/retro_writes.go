package pages

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
// message for #retro-msg.

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

func (h Retros) ThemeCreate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = models.CreateRetroTheme(ctx, h.Live.Tx(), web.Actor(c), id, form.Get("title"))
	v, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.ThemeForm(v, f) }
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm())
}

func (h Retros) ThemeDelete(c echo.Context) error {
	themeID, err := web.PathID(c, "tid")
	if err != nil {
		return err
	}
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.DeleteRetroTheme(ctx, lt, web.Actor(c), id, themeID)
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

func (h Retros) Vote(c echo.Context) error {
	themeID, err := web.PathID(c, "tid")
	if err != nil {
		return err
	}
	withdraw := strings.HasSuffix(c.Path(), "/unvote")
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		if withdraw {
			return models.WithdrawRetroVote(ctx, lt, web.Actor(c), id, themeID)
		}
		return models.CastRetroVote(ctx, lt, web.Actor(c), id, themeID)
	})
}

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
