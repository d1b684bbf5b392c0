package pages

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Retros serves live retrospectives: the list, starting one, the retro page and every write during it.
type Retros struct{ base }

// Live retrospectives: the list, opening a session, its page and its
// stream. Writes are in retro_actions.go.

func (h Retros) Index(c echo.Context) error {
	ctx := c.Request().Context()
	open, err := models.ListRetros(ctx, h.DB, models.RetroFilter{Open: true})
	if err != nil {
		return err
	}
	closed, err := models.ListRetros(ctx, h.DB, models.RetroFilter{Closed: true, Limit: 50})
	if err != nil {
		return err
	}
	m := views.RetroListPage{CanCreate: h.Can(c, "retros.create")}
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
	return h.Render(c, http.StatusOK, views.RetroList(h.Page(c, "Retros", "retros"), m))
}

func (h Retros) retroNewModel(c echo.Context, f views.Form) (views.RetroNewPage, error) {
	ctx := c.Request().Context()
	m := views.RetroNewPage{Form: f}
	if key := f.Get("postmortem"); key != "" {
		inc, err := models.GetIncidentByKey(ctx, h.DB, key)
		if err != nil {
			return m, err
		}
		pm, err := models.GetPostmortemOfIncident(ctx, h.DB, inc.ID)
		if err != nil {
			return m, err
		}
		hdr := h.pmHeader(c, inc, pm)
		m.Postmortem = &hdr
		return m, nil
	}
	comps, err := models.ListComponents(ctx, h.DB, models.ComponentFilter{})
	if err != nil {
		return m, err
	}
	for _, comp := range comps {
		m.Components = append(m.Components, views.Option{Value: strconv.FormatInt(comp.ID, 10), Label: comp.Name})
	}
	return m, nil
}

func (h Retros) New(c echo.Context) error {
	f := views.NewForm().Set("prompts", strings.Join(models.DefaultRetroPrompts(), "\n")).
		Set("vote_budget", strconv.Itoa(models.DefaultVoteBudget)).Set("postmortem", c.QueryParam("postmortem"))
	m, err := h.retroNewModel(c, f)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.RetroNew(h.Page(c, "New retro", "retros"), m))
}

func splitLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, l)
	}
	return out
}

func (h Retros) Create(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in := models.NewRetro{Title: form.Get("title"), Agenda: form.Get("agenda"), Anonymous: form.Get("anonymous") == "1",
		VoteBudget: web.AtoiOr(form.Get("vote_budget"), -1), Prompts: splitLines(form.Get("prompts"))}
	if key := form.Get("postmortem"); key != "" {
		inc, err := models.GetIncidentByKey(ctx, h.DB, key)
		if err != nil {
			return err
		}
		pm, err := models.GetPostmortemOfIncident(ctx, h.DB, inc.ID)
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
	sess, err := models.CreateRetro(ctx, h.DB, web.Actor(c), in)
	if ve, ok := models.AsValidation(err); ok {
		m, merr := h.retroNewModel(c, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.RetroNew(h.Page(c, "New retro", "retros"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Retro open. Share this page's address: whoever signs in and opens it joins.")
	return h.Redirect(c, h.Path("retros.show", sess.ID))
}

// retroID reads the :id of a session that exists.
func (b base) retroID(c echo.Context) (int64, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return 0, err
	}
	return id, models.RetroExists(c.Request().Context(), b.DB, id)
}

// retroOwners are the people an action item can go to.
func (b base) retroOwners(ctx context.Context) ([]views.Option, error) {
	opts, err := b.userOptions(ctx, models.RoleMember)
	if err != nil {
		return nil, err
	}
	return append([]views.Option{{Value: "", Label: "— choose —"}}, opts...), nil
}

// retroViewFor builds the viewer's view of the session as of sequence
// number seq (read before, so the state is at least that new).
func (b base) retroViewFor(ctx context.Context, id, seq int64, viewer *models.User) (views.RetroView, error) {
	st, err := b.retroBoard(ctx, id, seq)
	if err != nil {
		return views.RetroView{}, err
	}
	return b.retroView(st.board, st.present, viewer, seq, st.owners), nil
}

func (h Retros) Show(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	// The sequence number first, then the state it covers.
	seq, err := h.Live.Seq(ctx, retroTopic(id))
	if err != nil {
		return err
	}
	viewer := web.CurrentUser(c)
	v, err := h.retroViewFor(ctx, id, seq, viewer)
	if err != nil {
		return err
	}
	if v.Anonymous && v.CanWrite {
		// In an anonymous retro people join by coming in, not by writing
		// (models.AddRetroNote), so the list never tells who just wrote.
		joined, err := models.JoinRetro(ctx, h.DB, viewer.ID, id)
		if err != nil {
			return err
		}
		if joined {
			if v, err = h.retroViewFor(ctx, id, seq, viewer); err != nil {
				return err
			}
		}
	}
	p := h.Page(c, v.Title, "retros")
	p.Scripts = append(p.Scripts, "js/retro.js")
	return h.Render(c, http.StatusOK, views.RetroPage(p, v))
}
