package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Live retrospectives: the list, opening a session, its page and its
// stream. Writes are in retro_actions.go.

func (s *Server) retroIndex(c echo.Context) error {
	ctx := c.Request().Context()
	open, err := models.ListRetros(ctx, s.db, models.RetroFilter{Open: true})
	if err != nil {
		return err
	}
	closed, err := models.ListRetros(ctx, s.db, models.RetroFilter{Closed: true, Limit: 50})
	if err != nil {
		return err
	}
	m := views.RetroListPage{CanCreate: currentUser(c).Role.Allows(models.RoleFacilitator)}
	row := func(it models.RetroListItem) views.RetroRow {
		r := views.RetroRow{ID: it.ID, Title: it.Title, Phase: it.Phase, PhaseLabel: models.PhaseLabel(it.Phase), Facilitator: userLabel(it.Facilitator),
			Participants: it.Participants, Created: it.CreatedAt, Closed: it.ClosedAt}
		if it.Postmortem != nil && it.Postmortem.Incident != nil {
			r.IncidentKey = it.Postmortem.Incident.Key()
		}
		return r
	}
	for _, it := range open {
		m.Open = append(m.Open, row(it))
	}
	for _, it := range closed {
		m.Closed = append(m.Closed, row(it))
	}
	return s.render(c, http.StatusOK, views.RetroList(s.page(c, "Retros", "retros"), m))
}

func (s *Server) retroNewModel(c echo.Context, f views.Form) (views.RetroNewPage, error) {
	ctx := c.Request().Context()
	m := views.RetroNewPage{Form: f}
	if key := f.Get("postmortem"); key != "" {
		inc, err := models.GetIncidentByKey(ctx, s.db, key)
		if err != nil {
			return m, err
		}
		pm, err := models.GetPostmortemOfIncident(ctx, s.db, inc.ID)
		if err != nil {
			return m, err
		}
		h := s.pmHeader(c, inc, pm)
		m.Postmortem = &h
		return m, nil
	}
	comps, err := models.ListComponents(ctx, s.db, models.ComponentFilter{})
	if err != nil {
		return m, err
	}
	for _, comp := range comps {
		m.Components = append(m.Components, views.Option{Value: strconv.FormatInt(comp.ID, 10), Label: comp.Name})
	}
	return m, nil
}

func (s *Server) retroNew(c echo.Context) error {
	f := views.NewForm().Set("prompts", strings.Join(models.DefaultRetroPrompts(), "\n")).
		Set("vote_budget", strconv.Itoa(models.DefaultVoteBudget)).Set("postmortem", c.QueryParam("postmortem"))
	m, err := s.retroNewModel(c, f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.RetroNew(s.page(c, "New retro", "retros"), m))
}

func splitLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, l)
	}
	return out
}

func (s *Server) retroCreate(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := formValues(c)
	if err != nil {
		return err
	}
	in := models.NewRetro{Title: form.Get("title"), Agenda: form.Get("agenda"), Anonymous: form.Get("anonymous") == "1",
		VoteBudget: atoiOr(form.Get("vote_budget"), -1), Prompts: splitLines(form.Get("prompts"))}
	if key := form.Get("postmortem"); key != "" {
		inc, err := models.GetIncidentByKey(ctx, s.db, key)
		if err != nil {
			return err
		}
		pm, err := models.GetPostmortemOfIncident(ctx, s.db, inc.ID)
		if err != nil {
			return err
		}
		in.PostmortemID = &pm.ID
	} else {
		for _, raw := range form["components"] {
			if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
				in.ComponentIDs = append(in.ComponentIDs, id)
			}
		}
	}
	sess, err := models.CreateRetro(ctx, s.db, actor(c), in)
	if ve, ok := models.AsValidation(err); ok {
		m, merr := s.retroNewModel(c, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
		if merr != nil {
			return merr
		}
		return s.render(c, http.StatusUnprocessableEntity, views.RetroNew(s.page(c, "New retro", "retros"), m))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Retro open. Share this page's address: whoever signs in and opens it joins.")
	return s.redirect(c, s.reverse("retros.show", sess.ID))
}

// retroID reads the :id of a session that exists.
func (s *Server) retroID(c echo.Context) (int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.db.WithContext(c.Request().Context()).Model(&models.RetroSession{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return 0, models.TranslateError(err)
	}
	if n == 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// retroOwners are the people an action item can go to.
func (s *Server) retroOwners(ctx context.Context) ([]views.Option, error) {
	opts, err := s.userOptions(ctx, models.RoleMember)
	if err != nil {
		return nil, err
	}
	return append([]views.Option{{Value: "", Label: "— choose —"}}, opts...), nil
}

// retroViewFor builds the viewer's view of the session as of sequence
// number seq (read before, so the state is at least that new).
func (s *Server) retroViewFor(ctx context.Context, id, seq int64, viewer *models.User) (views.RetroView, error) {
	st, err := s.retroBoard(ctx, id, seq)
	if err != nil {
		return views.RetroView{}, err
	}
	return s.retroView(st.board, st.present, viewer, seq, st.owners), nil
}

func (s *Server) retroShow(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	// The sequence number first, then the state it covers.
	seq, err := s.live.Seq(ctx, retroTopic(id))
	if err != nil {
		return err
	}
	v, err := s.retroViewFor(ctx, id, seq, currentUser(c))
	if err != nil {
		return err
	}
	p := s.page(c, v.Title, "retros")
	p.Scripts = append(p.Scripts, "js/retro.js")
	return s.render(c, http.StatusOK, views.RetroPage(p, v))
}

// retroStream is the page's live stream: a snapshot of every region for a
// new or stale client, then the regions each event changes, rendered for
// this viewer.
func (s *Server) retroStream(c echo.Context) error {
	id, err := s.retroID(c)
	if err != nil {
		return err
	}
	viewer := currentUser(c)
	p := s.page(c, "Retro", "retros") // fragments carry the CSRF token and the viewer's zone
	// What a stream sends is a function of the session's state (seq), the
	// event and who looks: the person, their role, their browser's CSRF
	// token (in the forms) and their zone. Streams of this process that
	// share all of it (the same person in several tabs, on one browser
	// session) render once (live.Share).
	who := strconv.FormatInt(viewer.ID, 10) + ":" + string(viewer.Role) + ":" + p.CSRF + ":" + viewer.TimeZone
	topic := retroTopic(id)
	return s.watch(c, live.Watcher{
		Topic:  topic,
		UserID: viewer.ID,
		Snapshot: func(ctx context.Context, seq int64) ([]live.Message, error) {
			return live.Share(ctx, s.live, topic, seq, "snapshot:"+who, func(ctx context.Context) ([]live.Message, error) {
				v, err := s.retroViewFor(ctx, id, seq, viewer)
				if err != nil {
					return nil, err
				}
				return s.retroMessages(ctx, v, "", 0, true)
			})
		},
		Render: func(ctx context.Context, ev live.Event) ([]live.Message, error) {
			key := "event:" + ev.Kind + ":" + strconv.FormatInt(ev.ID, 10) + ":" + who
			msgs, err := live.Share(ctx, s.live, topic, ev.Seq, key, func(ctx context.Context) ([]live.Message, error) {
				v, err := s.retroViewFor(ctx, id, ev.Seq, viewer)
				if err != nil {
					return nil, err
				}
				return s.retroMessages(ctx, v, ev.Kind, ev.ID, ev.Kind == models.RetroEventPhase)
			})
			if errors.Is(err, models.ErrNotFound) {
				return nil, nil
			}
			return msgs, err
		},
	})
}
