package models_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// recordingTx is a models.LiveTx that keeps the events of the transactions
// that committed, in order (as the live broker delivers them).
type recordingTx struct {
	db     *gorm.DB
	mu     sync.Mutex
	events []string
}

func (r *recordingTx) Transaction(ctx context.Context, fn func(tx *gorm.DB, ev models.LiveEvents) error) error {
	var pending []string
	err := models.Quiet(r.db).Transaction(ctx, func(tx *gorm.DB, ev models.LiveEvents) error {
		return fn(tx, recordingEvents{ev, &pending})
	})
	if err == nil {
		r.mu.Lock()
		r.events = append(r.events, pending...)
		r.mu.Unlock()
	}
	return err
}

// take returns the events recorded since the last take, as "topic kind id".
func (r *recordingTx) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := strings.Join(r.events, "; ")
	r.events = nil
	return out
}

type recordingEvents struct {
	ev      models.LiveEvents
	pending *[]string
}

func (e recordingEvents) Publish(topic, kind string, id int64) error {
	if err := e.ev.Publish(topic, kind, id); err != nil {
		return err
	}
	*e.pending = append(*e.pending, fmt.Sprintf("%s %s %d", topic, kind, id))
	return nil
}

// TestRetroWritesPublishTheirEvent: every retro write publishes its own
// event kind with the changed object's id on the session's topic, in its
// transaction (the topic's sequence number moves with it); a refused write
// publishes nothing and leaves the sequence number alone.
func TestRetroWritesPublishTheirEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU, amy, bob := mkUser(t, db, models.RoleFacilitator), mkUser(t, db, models.RoleMember), mkUser(t, db, models.RoleMember)
		fac := actorOf(facU)
		lt := &recordingTx{db: db}
		s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{Title: "Checkout", VoteBudget: 1}))
		topic := models.RetroTopic(s.ID)
		if topic != fmt.Sprintf("retro:%d", s.ID) {
			t.Fatalf("topic %s", topic)
		}
		seq := int64(0)
		// published checks what the last writes published, and that each
		// moved the topic's sequence number by one.
		published := func(what string, want ...string) {
			t.Helper()
			for i := range want {
				want[i] = topic + " " + want[i]
			}
			if got := lt.take(); got != strings.Join(want, "; ") {
				t.Fatalf("%s published %q, want %q", what, got, strings.Join(want, "; "))
			}
			now := must(models.LiveSeq(ctx, db, topic))
			if now != seq+int64(len(want)) {
				t.Fatalf("%s: sequence %d → %d for %d events", what, seq, now, len(want))
			}
			seq = now
		}
		refused := func(what string, err error) {
			t.Helper()
			if err == nil {
				t.Fatalf("%s was not refused", what)
			}
			published(what + " (refused)")
		}

		_, err := models.MoveRetroPhase(ctx, lt, actorOf(amy), s.ID, models.PhaseStage, models.PhaseReview)
		refused("a participant moving the phase", err)
		s = must(models.MoveRetroPhase(ctx, lt, fac, s.ID, models.PhaseStage, models.PhaseReview))
		published("moving the phase", models.RetroEventPhase+" 0")
		must(models.SetRetroTimer(ctx, lt, fac, s.ID, 3*time.Minute))
		must(models.ExtendRetroTimer(ctx, lt, fac, s.ID, time.Minute))
		published("the timer", models.RetroEventTimer+" 0", models.RetroEventTimer+" 0")
		_, err = models.SetRetroTimer(ctx, lt, fac, s.ID, 3*time.Hour)
		refused("a three hour timer", err)
		must(0, models.SetRetroReady(ctx, lt, actorOf(amy), s.ID, true))
		published("ready", fmt.Sprintf("%s %d", models.RetroEventReady, amy.ID))
		s = must(models.UpdateRetroSettings(ctx, lt, fac, s.ID, s.Version, models.RetroSettings{Title: "Checkout retro", VoteBudget: 1, Prompts: []string{"Went well", "To improve"}}))
		published("the set-up", models.RetroEventSettings+" 0")
		_, err = models.UpdateRetroSettings(ctx, lt, fac, s.ID, s.Version-1, models.RetroSettings{Title: "x", VoteBudget: 1, Prompts: []string{"a"}})
		refused("stale settings", err)

		for s.Phase != models.PhaseReflect {
			s = must(models.MoveRetroPhase(ctx, lt, fac, s.ID, s.Phase, s.NextPhase()))
		}
		lt.take()
		seq = must(models.LiveSeq(ctx, db, topic))
		n := must(models.AddRetroNote(ctx, lt, actorOf(amy), s.ID, s.Prompts[0].ID, "The rollback was quick"))
		published("a note", fmt.Sprintf("%s %d", models.RetroEventNote, n.ID))
		_, err = models.AddRetroNote(ctx, lt, actorOf(amy), s.ID, s.Prompts[0].ID, "  ")
		refused("an empty note", err)
		_, err = models.UpdateRetroNote(ctx, lt, actorOf(bob), s.ID, n.ID, "mine now")
		refused("editing someone else's note", err)
		must(models.UpdateRetroNote(ctx, lt, actorOf(amy), s.ID, n.ID, "The rollback was quick and calm"))
		gone := must(models.AddRetroNote(ctx, lt, actorOf(bob), s.ID, s.Prompts[1].ID, "typo"))
		must(0, models.DeleteRetroNote(ctx, lt, actorOf(bob), s.ID, gone.ID))
		must(0, models.RevealRetroNotes(ctx, lt, fac, s.ID))
		published("notes", fmt.Sprintf("%s %d", models.RetroEventNote, n.ID), fmt.Sprintf("%s %d", models.RetroEventNote, gone.ID),
			fmt.Sprintf("%s %d", models.RetroEventNote, gone.ID), models.RetroEventReveal+" 0")

		s = must(models.MoveRetroPhase(ctx, lt, fac, s.ID, s.Phase, models.PhaseGroup))
		th := must(models.CreateRetroTheme(ctx, lt, actorOf(amy), s.ID, "Rollbacks"))
		must(0, models.GroupRetroNote(ctx, lt, actorOf(amy), s.ID, n.ID, th.ID))
		extra := must(models.CreateRetroTheme(ctx, lt, actorOf(amy), s.ID, "Spare"))
		must(0, models.DeleteRetroTheme(ctx, lt, fac, s.ID, extra.ID))
		published("grouping", models.RetroEventPhase+" 0", fmt.Sprintf("%s %d", models.RetroEventGroup, th.ID), fmt.Sprintf("%s %d", models.RetroEventGroup, n.ID),
			fmt.Sprintf("%s %d", models.RetroEventGroup, extra.ID), fmt.Sprintf("%s %d", models.RetroEventGroup, extra.ID))
		err = models.DeleteRetroTheme(ctx, lt, actorOf(amy), s.ID, th.ID)
		refused("a participant removing a theme", err)

		s = must(models.MoveRetroPhase(ctx, lt, fac, s.ID, s.Phase, models.PhaseVote))
		must(0, models.CastRetroVote(ctx, lt, actorOf(amy), s.ID, th.ID))
		published("a vote", models.RetroEventPhase+" 0", fmt.Sprintf("%s %d", models.RetroEventVote, th.ID))
		err = models.CastRetroVote(ctx, lt, actorOf(amy), s.ID, th.ID)
		if !errors.Is(err, models.ErrNoVotesLeft) {
			t.Fatalf("a vote past the budget: %v", err)
		}
		refused("a vote past the budget", err)
		must(0, models.WithdrawRetroVote(ctx, lt, actorOf(amy), s.ID, th.ID))
		published("withdrawing a vote", fmt.Sprintf("%s %d", models.RetroEventVote, th.ID))

		s = must(models.MoveRetroPhase(ctx, lt, fac, s.ID, s.Phase, models.PhaseDiscuss))
		f := must(models.AddRetroFactor(ctx, lt, actorOf(amy), s.ID, th.ID, models.FactorInput{Kind: models.FactorFinding, Title: "Rollbacks are rehearsed"}))
		published("a factor", models.RetroEventPhase+" 0", fmt.Sprintf("%s %d", models.RetroEventFactor, f.ID))
		_, err = models.AddRetroActionItem(ctx, lt, actorOf(amy), s.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Keep rehearsing"}})
		refused("an action item without an owner", err)
		a := must(models.AddRetroActionItem(ctx, lt, actorOf(amy), s.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Keep rehearsing", Owner: amy.Email, DueDate: "2030-01-31"}}))
		published("an action item", fmt.Sprintf("%s %d", models.RetroEventAction, a.ID))
		if a.SourceKind != models.SourceRetro || a.RetroSessionID == nil || *a.RetroSessionID != s.ID {
			t.Fatalf("retro item %+v", a)
		}

		for s.Phase != models.PhaseClose {
			s = must(models.MoveRetroPhase(ctx, lt, fac, s.ID, s.Phase, s.NextPhase()))
		}
		lt.take()
		seq = must(models.LiveSeq(ctx, db, topic))
		_, err = models.CloseRetro(ctx, lt, fac, s.ID, " ")
		refused("closing without a summary", err)
		closed := must(models.CloseRetro(ctx, lt, fac, s.ID, "We rehearse rollbacks."))
		published("closing", models.RetroEventPhase+" 0")
		if !closed.Closed() || closed.Summary != "We rehearse rollbacks." {
			t.Fatalf("closed %+v", closed)
		}
	})
}

// TestRetroTimelineProposalsPublishTheirEvent: proposing and deciding a
// missing timeline event publish the proposal's id; a refused decision
// publishes nothing.
func TestRetroTimelineProposalsPublishTheirEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		facU, amy := mkUser(t, db, models.RoleFacilitator), mkUser(t, db, models.RoleMember)
		fac := actorOf(facU)
		inc := mkIncident(t, db, "Queue backlog", "SEV2", facU)
		pm := mkPostmortem(t, db, inc, facU)
		s := must(models.CreateRetro(ctx, db, fac, models.NewRetro{PostmortemID: &pm.ID}))
		s = walkTo(t, db, fac, s, models.PhaseTimeline)
		lt := &recordingTx{db: db}
		topic := models.RetroTopic(s.ID)
		p := must(models.ProposeTimelineEvent(ctx, lt, actorOf(amy), s.ID, models.TimelineInput{OccurredAt: at("2026-03-02T14:03:00Z"), Kind: "observation", Text: "Queue depth alarm"}))
		_, err := models.DecideProposal(ctx, lt, actorOf(amy), s.ID, p.ID, true)
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a participant decided: %v", err)
		}
		must(models.DecideProposal(ctx, lt, fac, s.ID, p.ID, true))
		want := fmt.Sprintf("%[1]s %[2]s %[3]d; %[1]s %[2]s %[3]d", topic, models.RetroEventProposal, p.ID)
		if got := lt.take(); got != want {
			t.Fatalf("published %q, want %q", got, want)
		}
	})
}
