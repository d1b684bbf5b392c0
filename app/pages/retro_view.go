package pages

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// retroTopic is the live topic of a session.
func retroTopic(id int64) string { return models.RetroTopic(id) }

// retroState is a session's board and who is connected, as of one
// sequence number of its topic.
type retroState struct {
	board   *models.RetroBoard
	present []models.PresentUser
	// owners are the choices of the action items phase (nil in others).
	owners []views.Option
}

// retroBoard returns the session's state as of sequence number seq,
// loaded once for every stream of this process that renders the same
// event (live.Share): with 200 people in a retro, a new note costs one
// load, not 200. The state holds every note; only retroView, through the
// board's visibility rules, turns it into what one viewer sees.
func (b base) retroBoard(ctx context.Context, id, seq int64) (retroState, error) {
	return live.Share(ctx, b.Live, retroTopic(id), seq, "board", func(ctx context.Context) (retroState, error) {
		board, err := models.LoadRetroBoard(ctx, b.DB, id)
		if err != nil {
			return retroState{}, err
		}
		st := retroState{board: board}
		if st.present, err = b.Live.Present(ctx, retroTopic(id)); err != nil {
			return st, err
		}
		if board.Session.Phase == models.PhaseActions {
			st.owners, err = b.retroOwners(ctx)
		}
		return st, err
	})
}

// retroView builds what viewer sees of the board. Every note, author and
// vote total goes through the board's visibility rules here; nothing else
// reaches the templates.
func (b base) retroView(board *models.RetroBoard, present []models.PresentUser, viewer *models.User, seq int64, owners []views.Option) views.RetroView {
	sess := board.Session
	me := models.ActorOf(viewer, "")
	v := views.RetroView{
		ID: sess.ID, Title: sess.Title, Phase: sess.Phase, Next: sess.NextPhase(), Prev: sess.PrevPhase(),
		NextLabel: models.PhaseLabel(sess.NextPhase()), PrevLabel: models.PhaseLabel(sess.PrevPhase()),
		IsFacilitator: sess.IsFacilitator(me), CanWrite: b.Routes.Named("retros.notes.create").Access.Allows(viewer) && !sess.Closed(),
		Anonymous: sess.Anonymous, VoteBudget: sess.VoteBudget, Revealed: sess.Revealed(), Closed: sess.Closed(),
		Agenda: sess.Agenda, Summary: sess.Summary, Version: sess.Version, Seq: seq, Owners: owners,
		Timer:         views.TimerView{EndsAt: sess.TimerEndsAt, Seconds: sess.TimerSeconds, Now: b.Now()},
		TimelineKinds: timelineKinds(),
	}
	if sess.Facilitator != nil {
		v.Facilitator = sess.Facilitator.Name
	}
	if sess.Postmortem != nil && sess.Postmortem.Incident != nil {
		v.IncidentKey, v.IncidentTitle = sess.Postmortem.Incident.Key(), sess.Postmortem.Incident.Title
	}
	for _, p := range sess.Phases() {
		if p == models.PhaseClosed && !sess.Closed() {
			continue // the end state, not a phase anyone works in
		}
		v.Steps = append(v.Steps, views.PhaseStep{Phase: p, Label: models.PhaseLabel(p), Done: sess.PhaseAtLeast(p) && p != sess.Phase, Current: p == sess.Phase})
	}

	// People: who joined and who is connected now.
	online := map[int64]models.PresentUser{}
	for _, p := range present {
		online[p.UserID] = p
	}
	seen := map[int64]bool{}
	for _, p := range board.Participants {
		if p.User == nil {
			continue
		}
		seen[p.UserID] = true
		pv := views.PersonView{Name: p.User.Name, Ready: p.Ready(sess.Phase), Facilitator: p.UserID == sess.FacilitatorID}
		if o, ok := online[p.UserID]; ok {
			pv.Online, pv.Tabs = true, o.Connections
		}
		v.People = append(v.People, pv)
		if pv.Ready {
			v.ReadyCount++
		}
		if p.UserID == viewer.ID {
			v.MeReady = pv.Ready
		}
	}
	for _, p := range present {
		if !seen[p.UserID] {
			v.People = append(v.People, views.PersonView{Name: p.Name, Online: true, Tabs: p.Connections, Facilitator: p.UserID == sess.FacilitatorID})
		}
	}
	sort.SliceStable(v.People, func(i, j int) bool {
		a, c := v.People[i], v.People[j]
		if a.Facilitator != c.Facilitator {
			return a.Facilitator
		}
		if a.Online != c.Online {
			return a.Online
		}
		return a.Name < c.Name
	})

	// Notes, through the visibility rules.
	notes := board.NotesFor(viewer.ID)
	hidden := board.HiddenNoteCounts(viewer.ID)
	byTheme := map[int64][]views.NoteView{}
	for _, p := range sess.Prompts {
		pv := views.PromptView{ID: p.ID, Text: p.Text, Hidden: hidden[p.ID]}
		for _, n := range notes {
			if n.PromptID == p.ID {
				pv.Notes = append(pv.Notes, noteView(n))
			}
		}
		v.Prompts = append(v.Prompts, pv)
	}
	for _, n := range notes {
		nv := noteView(n)
		if n.ThemeID == nil {
			v.Ungrouped = append(v.Ungrouped, nv)
		} else {
			byTheme[*n.ThemeID] = append(byTheme[*n.ThemeID], nv)
		}
	}
	v.Writers, v.NoteCount, v.PromptOfNote = writerViews(board.WritersFor(viewer.ID)), board.NoteCountFor(viewer.ID), board.NotePrompts()
	v.CountsHidden = board.CountsHidden()

	// Themes: in creation order while grouping and voting, by votes once
	// the totals show.
	mine := board.VotesOf(viewer.ID)
	v.VotesLeft, v.VotesCast, v.TotalsVisible = board.VotesLeft(viewer.ID), board.VotesCast(), board.TotalsVisible()
	factors := map[int64][]views.FactorView{}
	for _, f := range board.Factors {
		if f.RetroThemeID != nil {
			factors[*f.RetroThemeID] = append(factors[*f.RetroThemeID], views.FactorView{ID: f.ID, Kind: f.Kind, Title: f.Title, Description: f.Description})
		}
	}
	addTheme := func(th models.RetroTheme, votes, rank int) {
		tv := views.ThemeView{ID: th.ID, Title: th.Title, Notes: byTheme[th.ID], MyVotes: mine[th.ID], Factors: factors[th.ID], Rank: rank}
		if v.TotalsVisible {
			tv.Votes = votes
		}
		v.Themes = append(v.Themes, tv)
		v.ThemeOptions = append(v.ThemeOptions, views.Option{Value: strconv.FormatInt(th.ID, 10), Label: th.Title})
	}
	if v.TotalsVisible {
		for i, t := range board.Tallies() {
			addTheme(t.Theme, t.Votes, i+1)
		}
	} else {
		for i, th := range board.Themes {
			addTheme(th, 0, i+1)
		}
	}

	// The incident's timeline with the open and dismissed proposals
	// (accepted ones are in the timeline itself).
	for _, e := range board.Timeline {
		v.Timeline = append(v.Timeline, views.TimelineRow{At: e.OccurredAt, Kind: e.Kind, Text: e.Text})
	}
	for _, p := range board.Proposals {
		if p.Status == models.ProposalAccepted {
			continue
		}
		r := views.TimelineRow{At: p.OccurredAt, Kind: p.Kind, Text: p.Text, Proposal: true, ID: p.ID, Status: p.Status}
		if p.Author != nil {
			r.By = p.Author.Name
		}
		v.Timeline = append(v.Timeline, r)
	}
	sort.SliceStable(v.Timeline, func(i, j int) bool { return v.Timeline[i].At.Before(v.Timeline[j].At) })

	v.ReviewItems = b.actionRows(board.ReviewItems)
	v.Actions = b.actionRows(board.Actions)
	if v.IsFacilitator && sess.Phase == models.PhaseClose {
		v.SummaryDraft = models.RetroSummaryMarkdown(board)
	}
	var prompts string
	for i, p := range sess.Prompts {
		if i > 0 {
			prompts += "\n"
		}
		prompts += p.Text
	}
	v.Settings = views.NewForm().Set("title", sess.Title).Set("agenda", sess.Agenda).Set("prompts", prompts).
		Set("vote_budget", strconv.Itoa(sess.VoteBudget))
	if sess.Anonymous {
		v.Settings.Set("anonymous", "1")
	}
	return v
}

func noteView(n models.VisibleNote) views.NoteView {
	nv := views.NoteView{ID: n.ID, Text: n.Text, Author: n.Author, Mine: n.Mine}
	if n.ThemeID != nil {
		nv.ThemeID = *n.ThemeID
	}
	return nv
}

// retroMessages renders the parts an event changes, for one viewer. The
// page's lasting regions (head, timer, people, board) are named events;
// the parts inside the board travel together as one "oob" event whose
// elements replace them by id. all renders every region (a snapshot, a
// new phase).
func (b base) retroMessages(ctx context.Context, v views.RetroView, kind string, objID int64, all bool) ([]live.Message, error) {
	type part struct {
		name string // event name, or element id for an oob part
		comp templ.Component
	}
	var regions, oob []part
	switch {
	case all:
		regions = []part{{"head", views.RetroHead(v)}, {"timer", views.RetroTimer(v)}, {"people", views.RetroPeople(v)}, {"board", views.RetroBoard(v)}}
	case kind == models.RetroEventTimer:
		regions = []part{{"timer", views.RetroTimer(v)}}
	case kind == live.KindPresence:
		regions = []part{{"people", views.RetroPeople(v)}}
	case kind == models.RetroEventReady:
		regions = []part{{"people", views.RetroPeople(v)}, {"head", views.RetroHead(v)}}
	case kind == models.RetroEventSettings:
		regions = []part{{"head", views.RetroHead(v)}}
		oob = []part{{"retro-settings", views.RetroSettingsSummary(v)}}
	case kind == models.RetroEventReveal || kind == models.RetroEventNote:
		if kind == models.RetroEventReveal {
			regions = []part{{"head", views.RetroHead(v)}}
		}
		if v.Phase == models.PhaseReflect {
			oob = append(oob, part{"retro-writers", views.RetroWriters(v)})
			// A new or edited note changes its prompt's list only; a
			// removed note (not on the board any more) and a reveal may
			// change any.
			only := int64(0)
			if kind == models.RetroEventNote {
				only = v.PromptOfNote[objID]
			}
			for _, p := range v.Prompts {
				if only == 0 || p.ID == only {
					oob = append(oob, part{"notes-" + strconv.FormatInt(p.ID, 10), views.PromptNotes(v, p)})
				}
			}
		}
	case kind == models.RetroEventGroup:
		oob = []part{{"retro-groups", views.RetroGroups(v)}}
	case kind == models.RetroEventVote:
		oob = []part{{"retro-votes", views.RetroVotes(v)}}
	case kind == models.RetroEventProposal:
		oob = []part{{"retro-timeline", views.RetroTimelineList(v)}}
	case kind == models.RetroEventFactor:
		for _, th := range v.Themes {
			oob = append(oob, part{"factors-" + strconv.FormatInt(th.ID, 10), views.ThemeFactors(th)})
		}
	case kind == models.RetroEventAction:
		oob = []part{{"retro-actions", views.RetroActionList(v)}}
	}
	msgs := make([]live.Message, 0, len(regions)+1)
	for _, p := range regions {
		html, err := web.RenderFragment(ctx, p.comp)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, live.Message{Event: p.name, Data: html})
	}
	if len(oob) > 0 {
		var sb strings.Builder
		for _, p := range oob {
			html, err := web.RenderFragment(ctx, p.comp)
			if err != nil {
				return nil, err
			}
			sb.WriteString(`<div id="` + p.name + `" hx-swap-oob="innerHTML">`)
			sb.WriteString(html)
			sb.WriteString(`</div>`)
		}
		msgs = append(msgs, live.Message{Event: "oob", Data: sb.String()})
	}
	return msgs, nil
}
