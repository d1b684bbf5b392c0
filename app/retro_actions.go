package app

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Writes of a live retro. Each one is an ordinary POST that calls one
// models function; the function changes the database and publishes what
// changed in the same transaction, through the live broker (s.live.Tx());
// every stream on every instance then renders the change for its own
// viewer. The answer to the writer itself is small: a fresh form, or a
// message for #retro-msg.

// retroRefusal turns a rule the write broke into a message for people;
// ok is false for other errors.
func retroRefusal(err error) (status int, msg string, ok bool) {
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		if s, isSession := ce.Current.(*models.RetroSession); isSession {
			return http.StatusConflict, "The retro is in “" + models.PhaseLabel(s.Phase) + "” already; your page has caught up.", true
		}
		return http.StatusConflict, "Someone else changed this a moment ago.", true
	case errors.Is(err, models.ErrNoVotesLeft):
		return http.StatusConflict, "You have no votes left. Take one back to move it.", true
	case errors.Is(err, models.ErrInvalidState):
		return http.StatusConflict, unwrapMessage(err), true
	}
	if ve, isVE := models.AsValidation(err); isVE {
		if m := firstMessage(ve); m != "" {
			return http.StatusUnprocessableEntity, m, true
		}
	}
	return 0, "", false
}

// firstMessage is one message of a validation error for a place that
// shows one: the message of the first field by name (the same one every
// time), else the first general one.
func firstMessage(ve *models.ValidationError) string {
	if keys := slices.Sorted(maps.Keys(ve.Fields)); len(keys) > 0 {
		return ve.Fields[keys[0]]
	}
	if len(ve.Global) > 0 {
		return ve.Global[0]
	}
	return ""
}

// retroAnswer answers a control (a button posting to #retro-msg).
func (s *Server) retroAnswer(c echo.Context, sessionID int64, err error, done string) error {
	if err == nil {
		if !isHTMX(c) {
			if done != "" {
				s.flash(c, "ok", done)
			}
			return s.redirect(c, s.reverse("retros.show", sessionID))
		}
		return c.HTML(http.StatusOK, templ.EscapeString(done))
	}
	status, msg, ok := retroRefusal(err)
	if !ok {
		return err
	}
	if !isHTMX(c) {
		s.flash(c, "warn", msg)
		return s.redirect(c, s.reverse("retros.show", sessionID))
	}
	return c.HTML(status, `<span class="retro-refused">`+templ.EscapeString(msg)+`</span>`)
}

// retroControl answers a control of a live retro (a button posting to
// #retro-msg): do makes the write with the session id and the posted form.
func (s *Server) retroControl(c echo.Context, do func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	return s.retroAnswer(c, id, do(ctx, s.live.Tx(), id, form), "")
}

// retroFormAnswer answers a form that swaps itself: a fresh form after a
// write, the form with the message and the typed values otherwise.
func (s *Server) retroFormAnswer(c echo.Context, sessionID int64, err error, form views.Form, render func(views.Form) templ.Component, fresh views.Form) error {
	if !isHTMX(c) {
		return s.retroAnswer(c, sessionID, err, "")
	}
	if err == nil {
		s.page(c, "Retro", "retros")
		return s.render(c, http.StatusOK, render(fresh))
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
	s.page(c, "Retro", "retros")
	return s.render(c, status, render(form))
}

// retroFormView is the viewer's view for re-rendering a form.
func (s *Server) retroFormView(c echo.Context, id int64) (views.RetroView, error) {
	ctx := c.Request().Context()
	seq, err := s.live.Seq(ctx, retroTopic(id))
	if err != nil {
		return views.RetroView{}, err
	}
	v, err := s.retroViewFor(ctx, id, seq, currentUser(c))
	if err != nil {
		return v, err
	}
	if v.Owners == nil {
		v.Owners, err = s.retroOwners(ctx)
	}
	return v, err
}

func (s *Server) retroPhase(c echo.Context) error {
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		_, err := models.MoveRetroPhase(ctx, lt, actor(c), id, form.Get("from"), form.Get("to"))
		return err
	})
}

func (s *Server) retroTimerSet(c echo.Context) error {
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		if form.Get("add") != "" {
			_, err := models.ExtendRetroTimer(ctx, lt, actor(c), id, time.Minute)
			return err
		}
		minutes, perr := strconv.Atoi(form.Get("minutes"))
		if perr != nil {
			return models.FieldError("minutes", "Choose a number of minutes.")
		}
		_, err := models.SetRetroTimer(ctx, lt, actor(c), id, time.Duration(minutes)*time.Minute)
		return err
	})
}

func (s *Server) retroReady(c echo.Context) error {
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		return models.SetRetroReady(ctx, lt, actor(c), id, form.Get("ready") == "1")
	})
}

func (s *Server) retroReveal(c echo.Context) error {
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.RevealRetroNotes(ctx, lt, actor(c), id)
	})
}

func (s *Server) retroSettingsSave(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in := models.RetroSettings{Title: form.Get("title"), Agenda: form.Get("agenda"), Anonymous: form.Get("anonymous") == "1",
		VoteBudget: atoiOr(form.Get("vote_budget"), -1), Prompts: splitLines(form.Get("prompts"))}
	_, err = models.UpdateRetroSettings(ctx, s.live.Tx(), actor(c), id, atoiOr(form.Get("version"), -1), in)
	if errors.Is(err, models.ErrForbidden) {
		return err
	}
	v, verr := s.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component {
		v.Settings = f
		if f.HasErrors() {
			v.Version = atoiOr(f.Get("version"), v.Version)
		}
		return views.RetroSettingsForm(v)
	}
	return s.retroFormAnswer(c, id, err, views.FormFrom(form), render, v.Settings)
}

func (s *Server) retroNoteCreate(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	promptID := int64(atoiOr(form.Get("prompt"), 0))
	_, err = models.AddRetroNote(ctx, s.live.Tx(), actor(c), id, promptID, form.Get("text"))
	v, verr := s.retroFormView(c, id)
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
	return s.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm())
}

func (s *Server) retroNoteUpdate(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	noteID, err := pathID(c, "nid")
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = models.UpdateRetroNote(ctx, s.live.Tx(), actor(c), id, noteID, form.Get("text"))
	f := views.FormFrom(form)
	render := func(f views.Form) templ.Component { return views.NoteEditForm(id, noteID, f) }
	return s.retroFormAnswer(c, id, err, f, render, f)
}

func (s *Server) retroNoteDelete(c echo.Context) error {
	noteID, err := pathID(c, "nid")
	if err != nil {
		return err
	}
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.DeleteRetroNote(ctx, lt, actor(c), id, noteID)
	})
}

func (s *Server) retroThemeCreate(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = models.CreateRetroTheme(ctx, s.live.Tx(), actor(c), id, form.Get("title"))
	v, verr := s.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.ThemeForm(v, f) }
	return s.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm())
}

func (s *Server) retroThemeDelete(c echo.Context) error {
	themeID, err := pathID(c, "tid")
	if err != nil {
		return err
	}
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.DeleteRetroTheme(ctx, lt, actor(c), id, themeID)
	})
}

func (s *Server) retroNoteGroup(c echo.Context) error {
	noteID, err := pathID(c, "nid")
	if err != nil {
		return err
	}
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		return models.GroupRetroNote(ctx, lt, actor(c), id, noteID, int64(atoiOr(form.Get("theme"), 0)))
	})
}

func (s *Server) retroVote(c echo.Context) error {
	themeID, err := pathID(c, "tid")
	if err != nil {
		return err
	}
	withdraw := strings.HasSuffix(c.Path(), "/unvote")
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		if withdraw {
			return models.WithdrawRetroVote(ctx, lt, actor(c), id, themeID)
		}
		return models.CastRetroVote(ctx, lt, actor(c), id, themeID)
	})
}

func (s *Server) retroProposalCreate(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in, perr := s.timelineInput(c, form)
	err = perr.Err()
	if err == nil {
		_, err = models.ProposeTimelineEvent(ctx, s.live.Tx(), actor(c), id, in)
	}
	v, verr := s.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.ProposalForm(v, f) }
	return s.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm().Set("kind", "observation"))
}

func (s *Server) retroProposalDecide(c echo.Context) error {
	pid, err := pathID(c, "pid")
	if err != nil {
		return err
	}
	return s.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, form url.Values) error {
		_, err := models.DecideProposal(ctx, lt, actor(c), id, pid, form.Get("accept") == "1")
		return err
	})
}

func (s *Server) retroFactorCreate(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	themeID := int64(atoiOr(form.Get("theme"), 0))
	_, err = models.AddRetroFactor(ctx, s.live.Tx(), actor(c), id, themeID, models.FactorInput{Kind: form.Get("kind"), Title: form.Get("title"), Description: form.Get("description")})
	v, verr := s.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	th := views.ThemeView{ID: themeID}
	if t := themeByID(v.Themes, themeID); t != nil {
		th = *t
	}
	render := func(f views.Form) templ.Component { return views.FactorForm(v, th, f) }
	return s.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm().Set("kind", form.Get("kind")))
}

func themeByID(themes []views.ThemeView, id int64) *views.ThemeView {
	for i := range themes {
		if themes[i].ID == id {
			return &themes[i]
		}
	}
	return nil
}

func (s *Server) retroActionCreate(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in := models.NewActionItem{ActionItemInput: actionInput(form)}
	_, err = models.AddRetroActionItem(ctx, s.live.Tx(), actor(c), id, in)
	rv, verr := s.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.RetroActionForm(rv, f) }
	return s.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm().Set("priority", models.PriorityMedium))
}

func (s *Server) retroClose(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sess, err := models.CloseRetro(ctx, s.live.Tx(), actor(c), id, form.Get("summary"))
	if ve, ok := models.AsValidation(err); ok {
		// The page again with the summary as typed and why it was refused.
		v, verr := s.retroFormView(c, id)
		if verr != nil {
			return verr
		}
		v.SummaryDraft = form.Get("summary")
		v.SummaryError = firstMessage(ve)
		p := s.page(c, v.Title, "retros")
		p.Scripts = append(p.Scripts, "js/retro.js")
		return s.render(c, http.StatusUnprocessableEntity, views.RetroPage(p, v))
	}
	if err != nil {
		return s.retroAnswer(c, id, err, "")
	}
	s.flash(c, "ok", "Retro closed. Its summary is part of the postmortem now.")
	if sess.Postmortem != nil && sess.Postmortem.Incident != nil {
		return s.redirect(c, s.reverse("postmortems.show", sess.Postmortem.Incident.Key())+"#h-retro-"+strconv.FormatInt(id, 10))
	}
	return s.redirect(c, s.reverse("retros.show", id))
}
