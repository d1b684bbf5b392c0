package models_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// walkTo moves a session forward to phase as its facilitator.
func walkTo(t *testing.T, db *gorm.DB, fac models.Actor, s *models.RetroSession, phase string) *models.RetroSession {
	t.Helper()
	for s.Phase != phase {
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, s.Phase, s.NextPhase()))
	}
	return s
}

func TestRetroPhasesOnlyTheFacilitatorOneStepAtATime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU, other := mkUser(t, db, models.RoleFacilitator), mkUser(t, db, models.RoleFacilitator)
		fac := actorOf(facU)
		inc := mkIncident(t, db, "Queue backlog", "SEV2", facU)
		pm := mkPostmortem(t, db, inc, facU)
		s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{PostmortemID: &pm.ID}))
		if s.Phase != models.PhaseStage || s.Title != "Retro: "+inc.Key()+" Queue backlog" || len(s.Prompts) != 4 || s.VoteBudget != 3 {
			t.Fatalf("new session %+v", s)
		}
		if got := strings.Join(s.Phases(), " "); got != "stage review timeline reflect group vote discuss actions close closed" {
			t.Fatalf("phases %s", got)
		}

		// Someone else, even a facilitator, cannot move it.
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), actorOf(other), s.ID, models.PhaseStage, models.PhaseReview); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("another user moved the phase: %v", err)
		}
		// No jumping ahead.
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseStage, models.PhaseReflect); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("jump: %v", err)
		}
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseStage, models.PhaseReview))
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseReview, models.PhaseTimeline))
		// The same click arriving twice (a second tab, a retry): a
		// conflict, and the phase stays.
		var ce *models.ConflictError
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseReview, models.PhaseTimeline); !errors.As(err, &ce) {
			t.Fatalf("repeated move: %v", err)
		}
		// A stale "next" from an earlier phase never moves it back.
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseStage, models.PhaseReview); !errors.As(err, &ce) {
			t.Fatalf("stale move: %v", err)
		}
		if cur := must(models.GetRetro(ctx, db, s.ID)); cur.Phase != models.PhaseTimeline {
			t.Fatalf("phase is %s after stale moves", cur.Phase)
		}
		// Going back is an explicit step of its own, and audited.
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseTimeline, models.PhaseReview))
		entries := must(models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "retro"}))
		if !strings.Contains(entries[0].Summary, "went back to Review past actions") {
			t.Fatalf("latest audit %q", entries[0].Summary)
		}
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseReview, models.PhaseStage); err != nil {
			t.Fatal(err)
		}
		s = walkTo(t, db, fac, must(models.GetRetro(ctx, db, s.ID)), models.PhaseReflect)
		if s.Revealed() {
			t.Fatal("notes revealed before grouping")
		}
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseReflect, models.PhaseGroup))
		if !s.Revealed() {
			t.Fatal("entering group does not reveal the notes")
		}
		s = walkTo(t, db, fac, s, models.PhaseClose)
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseClose, models.PhaseClosed); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("closing without a summary through the phase route: %v", err)
		}
		_, err := models.CloseRetro(ctx, models.Quiet(db), fac, s.ID, "  ")
		wantField(t, err, "summary")
		if _, err := models.CloseRetro(ctx, models.Quiet(db), actorOf(other), s.ID, "x"); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("another user closed it: %v", err)
		}
		s = must(models.CloseRetro(ctx, models.Quiet(db), fac, s.ID, "We learnt things."))
		if !s.Closed() || s.ClosedAt == nil || s.Summary != "We learnt things." {
			t.Fatalf("closed %+v", s)
		}
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseClosed, models.PhaseClose); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("reopened a closed retro: %v", err)
		}

		// A standalone retro has no timeline to walk.
		alone := must(models.CreateRetro(ctx, db, fac, models.NewRetro{Title: "Q3 migration", Prompts: []string{"Keep", "Change"}}))
		alone = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, alone.ID, models.PhaseStage, models.PhaseReview))
		if alone.NextPhase() != models.PhaseReflect {
			t.Fatalf("standalone next phase %s", alone.NextPhase())
		}
		if _, err := models.MoveRetroPhase(ctx, models.Quiet(db), fac, alone.ID, models.PhaseReview, models.PhaseTimeline); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("standalone into the timeline: %v", err)
		}
	})
}

func TestRetroTimerReadyAndSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU, amy := mkUser(t, db, models.RoleFacilitator), mkUser(t, db, models.RoleMember)
		fac := actorOf(facU)
		s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{Title: "Checkout", Anonymous: true}))
		before := time.Now()
		s = must(models.SetRetroTimer(ctx, models.Quiet(db), fac, s.ID, 5*time.Minute))
		if s.TimerEndsAt == nil || s.TimerEndsAt.Before(before.Add(5*time.Minute-time.Second)) || s.TimerSeconds != 300 {
			t.Fatalf("timer %v %d", s.TimerEndsAt, s.TimerSeconds)
		}
		s = must(models.ExtendRetroTimer(ctx, models.Quiet(db), fac, s.ID, time.Minute))
		if s.TimerEndsAt.Sub(before) < 6*time.Minute-time.Second {
			t.Fatalf("extended to %v", s.TimerEndsAt)
		}
		if _, err := models.SetRetroTimer(ctx, models.Quiet(db), actorOf(amy), s.ID, time.Minute); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a participant set the timer: %v", err)
		}
		must(0, models.SetRetroReady(ctx, models.Quiet(db), actorOf(amy), s.ID, true))
		b := must(models.LoadRetroBoard(ctx, db, s.ID))
		if b.ReadyCount() != 1 || len(b.Participants) != 2 {
			t.Fatalf("ready %d of %d", b.ReadyCount(), len(b.Participants))
		}
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseStage, models.PhaseReview))
		b = must(models.LoadRetroBoard(ctx, db, s.ID))
		if b.ReadyCount() != 0 || s.TimerEndsAt != nil {
			t.Fatalf("a new phase keeps ready %d, timer %v", b.ReadyCount(), s.TimerEndsAt)
		}

		_, err := models.UpdateRetroSettings(ctx, models.Quiet(db), actorOf(amy), s.ID, s.Version, models.RetroSettings{Title: "x", VoteBudget: 3, Prompts: []string{"a"}})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("participant changed settings: %v", err)
		}
		s = must(models.UpdateRetroSettings(ctx, models.Quiet(db), fac, s.ID, s.Version, models.RetroSettings{Title: "Checkout retro", VoteBudget: 5, Anonymous: true, Prompts: []string{"Keep doing", "Stop doing", " "}}))
		if s.VoteBudget != 5 || len(s.Prompts) != 2 || s.Prompts[1].Text != "Stop doing" {
			t.Fatalf("settings %+v", s)
		}
		_, err = models.UpdateRetroSettings(ctx, models.Quiet(db), fac, s.ID, s.Version-1, models.RetroSettings{Title: "x", VoteBudget: 3, Prompts: []string{"a"}})
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("stale settings: %v", err)
		}
		s = walkTo(t, db, fac, s, models.PhaseReflect)
		must(models.AddRetroNote(ctx, models.Quiet(db), actorOf(amy), s.ID, s.Prompts[0].ID, "anonymous thought"))
		_, err = models.UpdateRetroSettings(ctx, models.Quiet(db), fac, s.ID, s.Version, models.RetroSettings{Title: s.Title, VoteBudget: 5, Anonymous: false, Prompts: []string{"Keep doing", "Stop doing"}})
		wantField(t, err, "anonymous")
		_, err = models.UpdateRetroSettings(ctx, models.Quiet(db), fac, s.ID, s.Version, models.RetroSettings{Title: s.Title, VoteBudget: 5, Anonymous: true, Prompts: []string{"New"}})
		wantField(t, err, "prompts")
	})
}

func TestRetroNotesStayPrivateUntilRevealedAndAnonymous(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU, ada, bob := mkUser(t, db, models.RoleFacilitator), mkUser(t, db, models.RoleMember), mkUser(t, db, models.RoleMember)
		fac := actorOf(facU)
		for _, anonymous := range []bool{false, true} {
			s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{Title: "Visibility", Anonymous: anonymous}))
			if _, err := models.AddRetroNote(ctx, models.Quiet(db), actorOf(ada), s.ID, s.Prompts[0].ID, "too early"); !errors.Is(err, models.ErrInvalidState) {
				t.Fatalf("note before reflecting: %v", err)
			}
			s = walkTo(t, db, fac, s, models.PhaseReflect)
			n := must(models.AddRetroNote(ctx, models.Quiet(db), actorOf(ada), s.ID, s.Prompts[0].ID, "The pager was silent"))
			must(models.AddRetroNote(ctx, models.Quiet(db), actorOf(bob), s.ID, s.Prompts[1].ID, "Bob's own note"))
			_, err := models.AddRetroNote(ctx, models.Quiet(db), actorOf(ada), s.ID, s.Prompts[0].ID, "  ")
			wantField(t, err, "text")

			b := must(models.LoadRetroBoard(ctx, db, s.ID))
			for _, viewer := range []*models.User{bob, facU} {
				for _, v := range b.NotesFor(viewer.ID) {
					if v.Text == "The pager was silent" {
						t.Fatalf("anonymous=%v: %s sees Ada's note before reveal", anonymous, viewer.Name)
					}
				}
				// Anonymous: not even counted, and nobody joined by writing.
				want := 1
				if anonymous {
					want = 0
				}
				if b.HiddenNoteCounts(viewer.ID)[s.Prompts[0].ID] != want || b.CountsHidden() != anonymous {
					t.Fatalf("anonymous=%v: hidden count for %s: %v", anonymous, viewer.Name, b.HiddenNoteCounts(viewer.ID))
				}
			}
			if anonymous && (b.Participant(ada.ID) != nil || b.Participant(bob.ID) != nil) {
				t.Fatal("writing a note in an anonymous retro made the writer a participant before the reveal")
			}
			if anonymous && b.NoteCountFor(ada.ID) != 1 {
				t.Fatalf("Ada knows of %d notes, want her own 1", b.NoteCountFor(ada.ID))
			}
			mine := b.NotesFor(ada.ID)
			if len(mine) != 1 || !mine[0].Mine || mine[0].Author != ada.Name {
				t.Fatalf("Ada's own view %+v", mine)
			}
			if w := b.WritersFor(bob.ID); anonymous != (len(w) == 0) {
				t.Fatalf("anonymous=%v writers %+v", anonymous, w)
			}
			// Only the author edits or removes a note.
			if _, err := models.UpdateRetroNote(ctx, models.Quiet(db), actorOf(bob), s.ID, n.ID, "rewritten"); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("Bob edited Ada's note: %v", err)
			}
			if err := models.DeleteRetroNote(ctx, models.Quiet(db), actorOf(bob), s.ID, n.ID); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("Bob removed Ada's note: %v", err)
			}
			must(models.UpdateRetroNote(ctx, models.Quiet(db), actorOf(ada), s.ID, n.ID, "The pager stayed silent"))
			if err := models.RevealRetroNotes(ctx, models.Quiet(db), actorOf(bob), s.ID); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("a participant revealed: %v", err)
			}
			must(0, models.RevealRetroNotes(ctx, models.Quiet(db), fac, s.ID))

			b = must(models.LoadRetroBoard(ctx, db, s.ID))
			if b.Participant(ada.ID) == nil || b.Participant(bob.ID) == nil {
				t.Fatalf("anonymous=%v: the writers are not participants after the reveal", anonymous)
			}
			var seen *models.VisibleNote
			for _, v := range b.NotesFor(bob.ID) {
				if v.ID == n.ID {
					seen = &v
				}
			}
			if seen == nil || seen.Text != "The pager stayed silent" || seen.Mine {
				t.Fatalf("after reveal Bob sees %+v", seen)
			}
			if anonymous && seen.Author != "" {
				t.Fatalf("anonymous session shows the author %q", seen.Author)
			}
			if !anonymous && seen.Author != ada.Name {
				t.Fatalf("author %q", seen.Author)
			}
			// The audit trail keeps the deliberate anonymity.
			entries := must(models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "retro", ObjectID: strconv.FormatInt(s.ID, 10)}))
			for _, e := range entries {
				if strings.Contains(e.Summary, "a reflection note") && anonymous && (e.ActorID != nil || e.ActorName != "anonymous participant") {
					t.Fatalf("anonymous note audited as %v %q", e.ActorID, e.ActorName)
				}
			}
		}
	})
}

func TestRetroVoteBudgetHoldsUnder100ConcurrentVoters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU := mkUser(t, db, models.RoleFacilitator)
		fac := actorOf(facU)
		s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{Title: "Votes", VoteBudget: 3}))
		s = walkTo(t, db, fac, s, models.PhaseGroup)
		a := must(models.CreateRetroTheme(ctx, models.Quiet(db), fac, s.ID, "Alerting"))
		b := must(models.CreateRetroTheme(ctx, models.Quiet(db), fac, s.ID, "Runbooks"))
		if err := models.CastRetroVote(ctx, models.Quiet(db), fac, s.ID, a.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("vote while grouping: %v", err)
		}
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseGroup, models.PhaseVote))

		voters := make([]*models.User, 100)
		for i := range voters {
			voters[i] = mkUser(t, db, models.RoleMember)
		}
		// Every voter clicks five times at once, spread over both themes.
		const clicks = 5
		var wg sync.WaitGroup
		var mu sync.Mutex
		refused, failed := 0, []error{}
		for _, v := range voters {
			for k := 0; k < clicks; k++ {
				wg.Add(1)
				go func(u *models.User, k int) {
					defer wg.Done()
					theme := a.ID
					if k%2 == 1 {
						theme = b.ID
					}
					err := models.CastRetroVote(ctx, models.Quiet(db), actorOf(u), s.ID, theme)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case errors.Is(err, models.ErrNoVotesLeft):
						refused++
					case err != nil:
						failed = append(failed, err)
					}
				}(v, k)
			}
		}
		wg.Wait()
		if len(failed) > 0 {
			t.Fatalf("%d votes failed, first: %v", len(failed), failed[0])
		}
		if refused != len(voters)*(clicks-3) {
			t.Errorf("%d votes refused, want %d", refused, len(voters)*(clicks-3))
		}
		type row struct {
			UserID int64
			N      int
		}
		var perUser []row
		db.Raw(`SELECT user_id, COUNT(*) AS n FROM retro_votes WHERE session_id = ? GROUP BY user_id`, s.ID).Scan(&perUser)
		if len(perUser) != len(voters) {
			t.Fatalf("%d voters have votes, want %d", len(perUser), len(voters))
		}
		for _, r := range perUser {
			if r.N != 3 {
				t.Fatalf("user %d has %d votes with a budget of 3", r.UserID, r.N)
			}
		}
		var used []int
		db.Raw(`SELECT votes_used FROM retro_participants WHERE session_id = ? AND user_id <> ?`, s.ID, facU.ID).Scan(&used)
		for _, u := range used {
			if u != 3 {
				t.Fatalf("votes_used %d", u)
			}
		}
		board := must(models.LoadRetroBoard(ctx, db, s.ID))
		if board.VotesCast() != 300 || board.VotesLeft(voters[0].ID) != 0 || board.TotalsVisible() {
			t.Fatalf("cast %d, left %d, totals visible %v", board.VotesCast(), board.VotesLeft(voters[0].ID), board.TotalsVisible())
		}
		// Withdrawing gives a vote back; a vote for another session's or a
		// missing theme spends nothing.
		must(0, models.WithdrawRetroVote(ctx, models.Quiet(db), actorOf(voters[0]), s.ID, a.ID))
		if err := models.CastRetroVote(ctx, models.Quiet(db), actorOf(voters[0]), s.ID, 999999); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("vote for a missing theme: %v", err)
		}
		must(0, models.CastRetroVote(ctx, models.Quiet(db), actorOf(voters[0]), s.ID, b.ID))
		if err := models.CastRetroVote(ctx, models.Quiet(db), actorOf(voters[0]), s.ID, b.ID); !errors.Is(err, models.ErrNoVotesLeft) {
			t.Fatalf("fourth vote: %v", err)
		}
		s = must(models.MoveRetroPhase(ctx, models.Quiet(db), fac, s.ID, models.PhaseVote, models.PhaseDiscuss))
		board = must(models.LoadRetroBoard(ctx, db, s.ID))
		tallies := board.Tallies()
		if !board.TotalsVisible() || tallies[0].Votes+tallies[1].Votes != 300 || tallies[0].Votes < tallies[1].Votes {
			t.Fatalf("tallies %+v", tallies)
		}
	})
}

func TestRetroTimelineFactorsActionsAndSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU, amy := mkUser(t, db, models.RoleFacilitator), mkUser(t, db, models.RoleMember)
		fac := actorOf(facU)
		comp := mkComponent(t, db, "Router", 1)
		// An earlier incident on the same component left open work.
		old := mkIncident(t, db, "Router flapping", "SEV3", facU, comp.ID)
		oldPM := mkPostmortem(t, db, old, facU)
		open := must(models.CreatePostmortemActionItem(ctx, db, fac, oldPM.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Add BGP session alerts"}}))
		done := must(models.CreatePostmortemActionItem(ctx, db, fac, oldPM.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Done already"}}))
		must(models.ChangeActionStatus(ctx, db, fac, done.ID, 0, models.ActionDone, ""))
		filed := must(models.CreateActionItem(ctx, db, fac, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Upgrade router firmware"}, ComponentID: &comp.ID}))

		inc := mkIncident(t, db, "Router outage", "SEV1", facU, comp.ID)
		pm := mkPostmortem(t, db, inc, facU)
		s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{PostmortemID: &pm.ID}))
		if b := must(models.LoadRetroBoard(ctx, db, s.ID)); len(b.ReviewItems) != 0 {
			t.Fatal("review items loaded before the review phase")
		}
		s = walkTo(t, db, fac, s, models.PhaseReview)
		b := must(models.LoadRetroBoard(ctx, db, s.ID))
		var titles []string
		for _, a := range b.ReviewItems {
			titles = append(titles, a.Title)
		}
		if strings.Join(titles, ",") != "Add BGP session alerts,Upgrade router firmware" || open.ID == filed.ID {
			t.Fatalf("items to review %v", titles)
		}

		s = walkTo(t, db, fac, s, models.PhaseTimeline)
		p := must(models.ProposeTimelineEvent(ctx, models.Quiet(db), actorOf(amy), s.ID, models.TimelineInput{OccurredAt: at("2026-03-02T14:03:00Z"), Kind: "observation", Text: "Customer tweets about failed payments"}))
		_, err := models.ProposeTimelineEvent(ctx, models.Quiet(db), actorOf(amy), s.ID, models.TimelineInput{Text: ""})
		wantField(t, err, "text")
		if _, err := models.DecideProposal(ctx, models.Quiet(db), actorOf(amy), s.ID, p.ID, true); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a participant accepted: %v", err)
		}
		must(models.DecideProposal(ctx, models.Quiet(db), fac, s.ID, p.ID, true))
		var ce *models.ConflictError
		if _, err := models.DecideProposal(ctx, models.Quiet(db), fac, s.ID, p.ID, false); !errors.As(err, &ce) {
			t.Fatalf("second decision: %v", err)
		}
		events := must(models.ListTimeline(ctx, db, inc.ID))
		if len(events) != 1 || events[0].Text != "Customer tweets about failed payments" || events[0].Source != "retro" {
			t.Fatalf("timeline %+v", events)
		}

		s = walkTo(t, db, fac, s, models.PhaseReflect)
		must(models.AddRetroNote(ctx, models.Quiet(db), actorOf(amy), s.ID, s.Prompts[1].ID, "Nobody knew who owned the router config"))
		s = walkTo(t, db, fac, s, models.PhaseGroup)
		th := must(models.CreateRetroTheme(ctx, models.Quiet(db), actorOf(amy), s.ID, "Ownership"))
		notes := must(models.LoadRetroBoard(ctx, db, s.ID)).NotesFor(amy.ID)
		must(0, models.GroupRetroNote(ctx, models.Quiet(db), actorOf(amy), s.ID, notes[0].ID, th.ID))
		s = walkTo(t, db, fac, s, models.PhaseVote)
		must(0, models.CastRetroVote(ctx, models.Quiet(db), actorOf(amy), s.ID, th.ID))
		s = walkTo(t, db, fac, s, models.PhaseDiscuss)
		f := must(models.AddRetroFactor(ctx, models.Quiet(db), actorOf(amy), s.ID, th.ID, models.FactorInput{Kind: models.FactorFinding, Title: "Router config has no owner"}))
		if f.PostmortemID == nil || *f.PostmortemID != pm.ID || *f.RetroThemeID != th.ID {
			t.Fatalf("factor %+v", f)
		}
		a := must(models.AddRetroActionItem(ctx, models.Quiet(db), actorOf(amy), s.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Name an owner for the router config", Owner: amy.Email, DueDate: "2026-04-01"}}))
		if a.SourceKind != models.SourceRetro || *a.RetroSessionID != s.ID || *a.PostmortemID != pm.ID {
			t.Fatalf("action item %+v", a)
		}
		// A retro's item needs an owner and a due date; without them nothing is stored.
		_, err = models.AddRetroActionItem(ctx, models.Quiet(db), actorOf(amy), s.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Someone should look at this", Owner: " "}})
		wantField(t, err, "owner")
		wantField(t, err, "due_date")
		if items := must(models.ListRetroActionItems(ctx, db, s.ID)); len(items) != 1 {
			t.Fatalf("%d retro items after a refused one", len(items))
		}
		// It counts for its incident in follow-through by severity.
		if a.IncidentID == nil || *a.IncidentID != pm.IncidentID {
			t.Fatalf("retro action item not linked to the incident: %v", a.IncidentID)
		}
		s = walkTo(t, db, fac, s, models.PhaseClose)
		if _, err := models.AddRetroActionItem(ctx, models.Quiet(db), actorOf(amy), s.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "late", Owner: amy.Email, DueDate: "2026-04-02"}}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("action item while closing: %v", err)
		}
		sum := models.RetroSummaryMarkdown(must(models.LoadRetroBoard(ctx, db, s.ID)))
		for _, want := range []string{"1. **Ownership** — 1 vote", "   - Nobody knew who owned the router config", "### Findings", "- Router config has no owner _(Ownership)_",
			"- Name an owner for the router config (" + amy.Name + ", due 2026-04-01)"} {
			if !strings.Contains(sum, want) {
				t.Errorf("summary lacks %q:\n%s", want, sum)
			}
		}
		if strings.Contains(sum, amy.Name+":") {
			t.Error("the summary names note authors")
		}
		must(models.CloseRetro(ctx, models.Quiet(db), fac, s.ID, sum))
		if items := must(models.ListPostmortemActionItems(ctx, db, pm.ID)); len(items) != 1 {
			t.Fatalf("postmortem action items %d", len(items))
		}
		if fs := must(models.ListPostmortemFactors(ctx, db, pm.ID)); len(fs) != 1 {
			t.Fatalf("postmortem factors %d", len(fs))
		}
		list := must(models.ListRetros(ctx, db, models.RetroFilter{PostmortemID: pm.ID}))
		if len(list) != 1 || list[0].Participants != 2 {
			t.Fatalf("list %+v", list)
		}
	})
}
