package models_test

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestReviewLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		_, err := models.CreateReview(ctx, db, actorOf(f.member), models.NewReview{Component: "nope", TemplateKey: "nope", Facilitator: f.member.Email, ScheduledFor: "soon"})
		for _, fld := range []string{"component", "template", "facilitator", "scheduled_for"} {
			wantField(t, err, fld)
		}
		r := f.review(t)
		if r.Status != models.ReviewDraft || r.Title != "Edge router — Mini review" || len(r.Participants) != 1 {
			t.Fatalf("created %+v", r)
		}
		answers := must(models.ListAnswers(ctx, db, r.ID))
		if len(answers) != 4 {
			t.Fatalf("%d answers", len(answers))
		}
		act := func(u *models.User, action string, so models.SignOff) error {
			_, err := models.TransitionReview(ctx, db, actorOf(u), r.ID, action, so)
			return err
		}
		// Illegal transitions are refused.
		for _, a := range []string{models.ActionSubmit, models.ActionReopen, models.ActionComplete} {
			if err := act(f.facilitator, a, models.SignOff{Decision: "ready"}); !errors.Is(err, models.ErrInvalidState) {
				t.Errorf("%s from draft: %v", a, err)
			}
		}
		if err := act(f.facilitator, "explode", models.SignOff{}); !errors.Is(err, models.ErrInvalidState) {
			t.Errorf("unknown action: %v", err)
		}
		// The first answer starts the review.
		f.answer(t, r, "oncall", models.AnswerMet, "")
		if r = must(models.GetReview(ctx, db, r.ID)); r.Status != models.ReviewInProgress || r.StartedAt == nil {
			t.Fatalf("after the first answer: %s", r.Status)
		}
		if err := act(f.facilitator, models.ActionStart, models.SignOff{}); !errors.Is(err, models.ErrInvalidState) {
			t.Errorf("start twice: %v", err)
		}
		// Submitting needs every answer.
		if err := act(f.facilitator, models.ActionSubmit, models.SignOff{}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("submit with open questions: %v", err)
		}
		f.answer(t, r, "runbook", models.AnswerPartial, "")
		f.answer(t, r, "backups", models.AnswerNotMet, "")
		f.answer(t, r, "retention", models.AnswerNotApplicable, "No data is stored.")
		// A plain member who is neither facilitator nor creator cannot run it.
		other := mkUser(t, db, models.RoleMember)
		if err := act(other, models.ActionSubmit, models.SignOff{}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("stranger submits: %v", err)
		}
		if err := act(f.member, models.ActionSubmit, models.SignOff{}); err != nil {
			t.Fatal(err)
		}
		// In review: answers are frozen.
		a := must(models.GetAnswer(ctx, db, r.ID, "oncall"))
		if _, err := models.SaveAnswer(ctx, db, actorOf(f.member), r.ID, "oncall", a.Version, models.AnswerInput{State: models.AnswerNotMet}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("answer while in review: %v", err)
		}
		if err := act(f.member, models.ActionReopen, models.SignOff{}); err != nil {
			t.Fatal(err)
		}
		if err := act(f.member, models.ActionSubmit, models.SignOff{}); err != nil {
			t.Fatal(err)
		}
		// Only the review's facilitator or an admin signs off, with a decision.
		if err := act(f.member, models.ActionComplete, models.SignOff{Decision: "ready"}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("member signs off: %v", err)
		}
		if err := act(mkUser(t, db, models.RoleFacilitator), models.ActionComplete, models.SignOff{Decision: "ready"}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("another facilitator signs off: %v", err)
		}
		wantField(t, act(f.facilitator, models.ActionComplete, models.SignOff{Decision: "maybe"}), "decision")
		wantField(t, act(f.facilitator, models.ActionComplete, models.SignOff{Decision: models.DecisionReadyWithConditions}), "decision_notes")
		if err := act(f.facilitator, models.ActionComplete, models.SignOff{Decision: models.DecisionReadyWithConditions, Notes: "Fix backups first."}); err != nil {
			t.Fatal(err)
		}
		r = must(models.GetReview(ctx, db, r.ID))
		if r.Status != models.ReviewCompleted || r.CompletedAt == nil || r.Decision != models.DecisionReadyWithConditions || r.SignedOffBy.ID != f.facilitator.ID {
			t.Fatalf("completed %+v", r)
		}
		comp := must(models.GetComponentBySlug(ctx, db, f.comp.Slug))
		want := models.DateOf(r.CompletedAt.UTC()).AddDays(90)
		if comp.LastReviewedAt == nil || comp.NextReviewDue == nil || *comp.NextReviewDue != want {
			t.Fatalf("cadence: next due %v, want %v", comp.NextReviewDue, want)
		}
		// Completed is read-only; only archive remains.
		for _, a := range []string{models.ActionStart, models.ActionSubmit, models.ActionReopen, models.ActionComplete} {
			if err := act(f.admin, a, models.SignOff{Decision: "ready"}); !errors.Is(err, models.ErrInvalidState) {
				t.Errorf("%s from completed: %v", a, err)
			}
		}
		if _, err := models.CreateFinding(ctx, db, actorOf(f.member), r.ID, models.FindingInput{Title: "Late", Risk: "low"}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("finding on a completed review: %v", err)
		}
		if _, err := models.EditReview(ctx, db, actorOf(f.admin), r.ID, r.Version, models.ReviewDetails{Title: "x", Facilitator: f.facilitator.Email}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("edit completed: %v", err)
		}
		if err := act(f.facilitator, models.ActionArchive, models.SignOff{}); err != nil {
			t.Fatal(err)
		}
		if err := act(f.facilitator, models.ActionArchive, models.SignOff{}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("archive twice: %v", err)
		}
	})
}

func TestNotApplicableNeedsReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		r := f.review(t)
		a := must(models.GetAnswer(ctx, db, r.ID, "retention"))
		_, err := models.SaveAnswer(ctx, db, actorOf(f.member), r.ID, "retention", a.Version, models.AnswerInput{State: models.AnswerNotApplicable, Reason: "  "})
		wantField(t, err, "reason")
		_, err = models.SaveAnswer(ctx, db, actorOf(f.member), r.ID, "retention", a.Version, models.AnswerInput{State: "kinda"})
		wantField(t, err, "state")
		_, err = models.SaveAnswer(ctx, db, actorOf(f.member), r.ID, "retention", a.Version, models.AnswerInput{State: models.AnswerMet, Evidence: []string{"see wiki"}})
		wantField(t, err, "evidence")
		// Nothing was stored, and the database refuses it too.
		if got := must(models.GetAnswer(ctx, db, r.ID, "retention")); got.State != "" || got.Version != a.Version {
			t.Fatalf("stored %+v", got)
		}
		if err := db.Exec("UPDATE review_answers SET state = 'not_applicable', reason = '' WHERE id = ?", a.ID).Error; err == nil {
			t.Fatal("the database accepted not applicable without a reason")
		}
		got := must(models.SaveAnswer(ctx, db, actorOf(f.member), r.ID, "retention", a.Version, models.AnswerInput{
			State: models.AnswerNotApplicable, Reason: "Stateless", Notes: "Checked with **the team**", Evidence: []string{"https://wiki.example.com/edge"}}))
		if got.Reason != "Stateless" || got.Version != a.Version+1 || len(got.Evidence) != 1 || got.UpdatedBy.ID != f.member.ID {
			t.Fatalf("saved %+v", got)
		}
	})
}
