package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// reviewFixture is a component, a published template and people.
type reviewFixture struct {
	db          *gorm.DB
	facilitator *models.User
	member      *models.User
	admin       *models.User
	comp        *models.Component
	tv          *models.TemplateVersion
}

const fixtureYAML = `debrief: review-template/v1
key: mini
name: Mini review
sections:
  - key: ops
    title: Operations
    questions:
      - {key: oncall, prompt: On-call exists., risk: high}
      - {key: runbook, prompt: Runbook exists., risk: medium}
  - key: data
    title: Data
    questions:
      - {key: backups, prompt: Backups are restored., risk: high}
      - {key: retention, prompt: Retention is enforced., risk: low}
`

func newReviewFixture(t *testing.T, db *gorm.DB) *reviewFixture {
	t.Helper()
	f := &reviewFixture{db: db, facilitator: mkUser(t, db, models.RoleFacilitator), member: mkUser(t, db, models.RoleMember), admin: mkUser(t, db, models.RoleAdmin)}
	f.comp = mkComponent(t, db, "Edge router", 1)
	d := must(models.ParseTemplateYAML([]byte(fixtureYAML)))
	f.tv = must(models.ImportTemplate(ctx, db, actorOf(f.admin), d, models.TemplateImportOptions{Publish: true})).Version
	return f
}

func (f *reviewFixture) review(t *testing.T) *models.Review {
	t.Helper()
	return must(models.CreateReview(ctx, f.db, actorOf(f.member), models.NewReview{
		Component: f.comp.Slug, TemplateKey: "mini", Facilitator: f.facilitator.Email, Participants: []string{f.member.Email},
	}))
}

func (f *reviewFixture) answer(t *testing.T, r *models.Review, key, state, reason string) *models.ReviewAnswer {
	t.Helper()
	a := must(models.GetAnswer(ctx, f.db, r.ID, key))
	return must(models.SaveAnswer(ctx, f.db, actorOf(f.member), r.ID, key, a.Version, models.AnswerInput{State: state, Reason: reason}))
}

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

func TestScoreComputation(t *testing.T) {
	qs := []models.ScoredQuestion{
		{SectionKey: "ops", SectionTitle: "Ops", Key: "a", Risk: "high", State: models.AnswerMet},
		{SectionKey: "ops", SectionTitle: "Ops", Key: "b", Risk: "medium", State: models.AnswerPartial},
		{SectionKey: "data", SectionTitle: "Data", Key: "c", Risk: "high", State: models.AnswerNotMet},
		{SectionKey: "data", SectionTitle: "Data", Key: "d", Risk: "low", State: models.AnswerNotApplicable},
		{SectionKey: "data", SectionTitle: "Data", Key: "e", Risk: "low", State: ""},
	}
	s := models.ComputeScore(qs)
	// earned 3 + 1 = 4 of 3 + 2 + 3 + 1 = 9 → 44.4
	if s.Earned != 4 || s.Possible != 9 || s.Readiness != 44.4 {
		t.Fatalf("score %v/%v = %v", s.Earned, s.Possible, s.Readiness)
	}
	if s.Risks != (models.RiskCounts{High: 1, Medium: 1}) || s.Answered != 4 || s.Total != 5 || s.AnsweredShare() != 80 {
		t.Fatalf("counts %+v", s)
	}
	if len(s.Sections) != 2 || s.Sections[1].Risks.High != 1 || s.Sections[0].Answered != 2 || s.Sections[1].Total != 3 {
		t.Fatalf("sections %+v", s.Sections)
	}
	if models.ComputeScore(nil).Readiness != 0 {
		t.Fatal("empty score")
	}
	all := models.ComputeScore([]models.ScoredQuestion{{Key: "a", Risk: "low", State: models.AnswerNotApplicable}})
	if all.Readiness != 0 || all.Possible != 0 {
		t.Fatal("all not applicable")
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		r := f.review(t)
		f.answer(t, r, "oncall", models.AnswerMet, "")
		f.answer(t, r, "runbook", models.AnswerPartial, "")
		f.answer(t, r, "backups", models.AnswerNotMet, "")
		st := must(models.StateOfReview(ctx, db, must(models.GetReview(ctx, db, r.ID))))
		// 3 + 1 of 3 + 2 + 3 + 1 (retention unanswered counts)
		if st.Score.Readiness != 44.4 || st.Score.Risks.High != 1 || st.Score.Risks.Medium != 1 || st.Score.Answered != 3 {
			t.Fatalf("live score %+v", st.Score)
		}
	})
}

func TestConcurrentAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		r := f.review(t)
		f.answer(t, r, "oncall", models.AnswerMet, "") // leave draft first
		people := []*models.User{f.member, mkUser(t, db, models.RoleMember), mkUser(t, db, models.RoleMember)}
		keys := []string{"runbook", "backups", "retention"}
		// Different questions at the same time: every answer is kept.
		versions := map[string]int{}
		for _, k := range keys {
			versions[k] = must(models.GetAnswer(ctx, db, r.ID, k)).Version
		}
		var wg sync.WaitGroup
		errs := make([]error, len(keys))
		start := make(chan struct{})
		for i, k := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = models.SaveAnswer(ctx, db, actorOf(people[i]), r.ID, k, versions[k], models.AnswerInput{State: models.AnswerNotMet, Notes: "by " + people[i].Name})
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("answer %s: %v", keys[i], err)
			}
		}
		answers := must(models.ListAnswers(ctx, db, r.ID))
		for i, k := range keys {
			if a := answers[k]; a.State != models.AnswerNotMet || a.Notes != "by "+people[i].Name {
				t.Fatalf("answer %s lost: %+v", k, a)
			}
		}
		// The same question from the same version at the same time: one wins,
		// the others get a conflict holding the winner's answer.
		base := answers["runbook"].Version
		results := make([]error, len(people))
		start = make(chan struct{})
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, results[i] = models.SaveAnswer(ctx, db, actorOf(p), r.ID, "runbook", base, models.AnswerInput{State: models.AnswerMet, Notes: fmt.Sprint("writer ", i)})
			}()
		}
		close(start)
		wg.Wait()
		wins, conflicts := 0, 0
		for _, err := range results {
			var ce *models.ConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ce):
				conflicts++
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if wins != 1 || conflicts != len(people)-1 {
			t.Fatalf("%d wins, %d conflicts", wins, conflicts)
		}
		final := must(models.GetAnswer(ctx, db, r.ID, "runbook"))
		if final.Version != base+1 {
			t.Fatalf("version %d, want %d", final.Version, base+1)
		}
		// A sequential stale write conflicts and the conflict carries the current answer.
		_, err := models.SaveAnswer(ctx, db, actorOf(f.member), r.ID, "runbook", base, models.AnswerInput{State: models.AnswerNotMet})
		var ce *models.ConflictError
		if !errors.As(err, &ce) || ce.Current.(*models.ReviewAnswer).Notes != final.Notes {
			t.Fatalf("stale write: %v", err)
		}
	})
}

func TestFindingsAndCarryOver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		r := f.review(t)
		today := models.Today(time.Now(), nil)
		_, err := models.CreateFinding(ctx, db, actorOf(f.member), r.ID, models.FindingInput{Title: "", Risk: "dire", QuestionKey: "nope"})
		for _, fld := range []string{"title", "risk", "question_key"} {
			wantField(t, err, fld)
		}
		fb := must(models.CreateFinding(ctx, db, actorOf(f.member), r.ID, models.FindingInput{Title: "Backups never restored", Risk: "critical", QuestionKey: "backups"}))
		fr := must(models.CreateFinding(ctx, db, actorOf(f.member), r.ID, models.FindingInput{Title: "Runbook is stale", Risk: "medium", QuestionKey: "runbook"}))
		fx := must(models.CreateFinding(ctx, db, actorOf(f.member), r.ID, models.FindingInput{Title: "Retention unknown", Risk: "low"}))
		// Accepting a risk needs approver, rationale and a future expiry.
		_, err = models.ChangeFindingStatus(ctx, db, actorOf(f.member), fr.ID, 0, models.FindingStatusInput{Status: models.FindingAccepted, Approver: f.member.Email, AcceptedUntil: today.String(), Today: today})
		for _, fld := range []string{"approver", "rationale", "accepted_until"} {
			wantField(t, err, fld)
		}
		until := today.AddDays(30)
		acc := must(models.ChangeFindingStatus(ctx, db, actorOf(f.member), fr.ID, 0, models.FindingStatusInput{Status: models.FindingAccepted,
			Approver: f.facilitator.Email, Rationale: "Rewrite planned next quarter", AcceptedUntil: until.String(), Today: today}))
		if acc.Approver.ID != f.facilitator.ID || acc.AcceptedUntil.String() != until.String() || acc.Expired(today) || !acc.Expired(until.AddDays(1)) {
			t.Fatalf("accepted %+v", acc)
		}
		must(models.ChangeFindingStatus(ctx, db, actorOf(f.member), fx.ID, 0, models.FindingStatusInput{Status: models.FindingResolved, Today: today}))
		// Run the review to completion.
		for _, k := range []string{"oncall", "runbook", "backups", "retention"} {
			f.answer(t, r, k, models.AnswerNotMet, "")
		}
		must(models.TransitionReview(ctx, db, actorOf(f.facilitator), r.ID, models.ActionSubmit, models.SignOff{}))
		must(models.TransitionReview(ctx, db, actorOf(f.facilitator), r.ID, models.ActionComplete, models.SignOff{Decision: models.DecisionNotReady, Notes: "Backups"}))
		// Status changes still work on a completed review; text edits do not.
		if _, err := models.UpdateFinding(ctx, db, actorOf(f.member), fb.ID, fb.Version, models.FindingInput{Title: "x", Risk: "low"}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("edit after completion: %v", err)
		}
		// The next review carries the unresolved findings over.
		r2 := f.review(t)
		if *r2.PreviousReviewID != r.ID {
			t.Fatal("no link to the previous review")
		}
		rows := must(models.ListReviewFindings(ctx, db, r2.ID))
		if len(rows) != 2 || rows[0].ID != fb.ID || !rows[0].CarriedOver || rows[0].ReviewID != r.ID || rows[1].ID != fr.ID {
			t.Fatalf("carried %+v", rows)
		}
		must(models.ChangeFindingStatus(ctx, db, actorOf(f.member), fb.ID, 0, models.FindingStatusInput{Status: models.FindingMitigated, Today: today}))
		open := must(models.ListComponentFindings(ctx, db, f.comp.ID, true))
		if len(open) != 1 || open[0].ID != fr.ID {
			t.Fatalf("open findings %+v", open)
		}
	})
}

func TestSnapshotIsImmutable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		r := f.review(t)
		for _, k := range []string{"oncall", "runbook", "backups"} {
			f.answer(t, r, k, models.AnswerMet, "")
		}
		f.answer(t, r, "retention", models.AnswerNotApplicable, "No data")
		fd := must(models.CreateFinding(ctx, db, actorOf(f.member), r.ID, models.FindingInput{Title: "Single zone", Risk: "high"}))
		if _, err := models.GetSnapshot(ctx, db, r.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("snapshot before completion: %v", err)
		}
		must(models.TransitionReview(ctx, db, actorOf(f.facilitator), r.ID, models.ActionSubmit, models.SignOff{}))
		done := must(models.TransitionReview(ctx, db, actorOf(f.facilitator), r.ID, models.ActionComplete, models.SignOff{Decision: models.DecisionReady}))
		snap := must(models.GetSnapshot(ctx, db, r.ID))
		st := must(models.StateOfReview(ctx, db, done))
		if !st.FromSnapshot || st.Score.Readiness != 100 || len(st.Findings) != 1 || st.Findings[0].Status != models.FindingOpen || st.TemplateNumber != 1 || st.Decision != "ready" {
			t.Fatalf("snapshot state %+v", st)
		}
		// Later changes to the finding do not change the snapshot.
		must(models.ChangeFindingStatus(ctx, db, actorOf(f.member), fd.ID, 0, models.FindingStatusInput{Status: models.FindingResolved}))
		st = must(models.StateOfReview(ctx, db, done))
		if st.Findings[0].Status != models.FindingOpen {
			t.Fatal("the snapshot followed a later change")
		}
		// The database refuses to change or delete it.
		if err := db.Exec("UPDATE review_snapshots SET data = '{}' WHERE id = ?", snap.ID).Error; err == nil {
			t.Fatal("snapshot updated")
		}
		if err := db.Exec("DELETE FROM review_snapshots WHERE id = ?", snap.ID).Error; err == nil {
			t.Fatal("snapshot deleted")
		}
		if got := must(models.GetSnapshot(ctx, db, r.ID)); got.Data != snap.Data {
			t.Fatal("snapshot data changed")
		}
	})
}

func TestCompareAcrossTemplateVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		r1 := f.review(t)
		f.answer(t, r1, "oncall", models.AnswerPartial, "")
		f.answer(t, r1, "runbook", models.AnswerMet, "")
		f.answer(t, r1, "backups", models.AnswerNotMet, "")
		f.answer(t, r1, "retention", models.AnswerNotMet, "")
		old := must(models.CreateFinding(ctx, db, actorOf(f.member), r1.ID, models.FindingInput{Title: "No restore test", Risk: "high", QuestionKey: "backups"}))
		fixed := must(models.CreateFinding(ctx, db, actorOf(f.member), r1.ID, models.FindingInput{Title: "Retention unknown", Risk: "low"}))
		item := must(models.CreateActionItem(ctx, db, actorOf(f.member), models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Write retention policy"}, ComponentID: &f.comp.ID, FindingID: &fixed.ID, SourceKind: models.SourceFinding}))
		must(models.TransitionReview(ctx, db, actorOf(f.facilitator), r1.ID, models.ActionSubmit, models.SignOff{}))
		must(models.TransitionReview(ctx, db, actorOf(f.facilitator), r1.ID, models.ActionComplete, models.SignOff{Decision: models.DecisionNotReady, Notes: "Backups"}))
		must(models.ChangeActionStatus(ctx, db, actorOf(f.member), item.ID, 0, models.ActionDone, "Policy written"))
		must(models.ChangeFindingStatus(ctx, db, actorOf(f.member), fixed.ID, 0, models.FindingStatusInput{Status: models.FindingResolved}))

		// Version 2 of the template retires "retention" and adds "dr-plan".
		v2 := must(models.NewDraftFrom(ctx, db, actorOf(f.admin), f.tv.ID))
		d := v2.Def()
		d.Sections[1].Questions = d.Sections[1].Questions[:1]
		d.Sections[1].Questions = append(d.Sections[1].Questions, models.QuestionDef{Key: "dr-plan", Prompt: "DR plan rehearsed.", Risk: "medium"})
		must(models.SaveDraft(ctx, db, actorOf(f.admin), v2.ID, v2.Version, d, "yaml"))
		if err := models.PublishTemplateVersion(ctx, db, actorOf(f.admin), v2.ID); err != nil {
			t.Fatal(err)
		}
		r2 := f.review(t)
		if r2.TemplateVersionID != v2.ID {
			t.Fatal("the second review did not start from v2")
		}
		f.answer(t, r2, "oncall", models.AnswerMet, "")                                   // improved
		f.answer(t, r2, "runbook", models.AnswerNotMet, "")                               // regressed
		f.answer(t, r2, "backups", models.AnswerNotMet, "")                               // unchanged
		f.answer(t, r2, "dr-plan", models.AnswerNotApplicable, "Single region by design") // new
		fresh := must(models.CreateFinding(ctx, db, actorOf(f.member), r2.ID, models.FindingInput{Title: "Runbook outdated", Risk: "medium", QuestionKey: "runbook"}))

		// The order given does not matter: the earlier review is A.
		c := must(models.CompareReviews(ctx, db, must(models.GetReview(ctx, db, r2.ID)), must(models.GetReview(ctx, db, r1.ID)), time.Now()))
		if c.A.ReviewID != r1.ID || c.B.ReviewID != r2.ID {
			t.Fatal("order")
		}
		byKey := map[string]models.QuestionDiff{}
		for _, q := range c.Questions {
			byKey[q.Key] = q
		}
		want := map[string]string{"oncall": models.ChangeImproved, "runbook": models.ChangeRegressed, "backups": models.ChangeUnchanged,
			"dr-plan": models.ChangeNew, "retention": models.ChangeRetired}
		for k, w := range want {
			if byKey[k].Change != w {
				t.Errorf("%s: %s, want %s", k, byKey[k].Change, w)
			}
		}
		if c.Counts[models.ChangeImproved] != 1 || c.Counts[models.ChangeRetired] != 1 {
			t.Errorf("counts %v", c.Counts)
		}
		// Risk counts per section: ops had 1 high (partial oncall), now 1 medium (runbook).
		ops := c.Sections[0]
		if ops.Key != "ops" || ops.Before != (models.RiskCounts{High: 1}) || ops.After != (models.RiskCounts{Medium: 1}) {
			t.Errorf("ops section %+v", ops)
		}
		data := c.Sections[1]
		if data.Before != (models.RiskCounts{High: 1, Low: 1}) || data.After != (models.RiskCounts{High: 1}) {
			t.Errorf("data section %+v", data)
		}
		if len(c.NewFindings) != 1 || c.NewFindings[0].ID != fresh.ID {
			t.Errorf("new findings %+v", c.NewFindings)
		}
		if len(c.CarriedFindings) != 1 || c.CarriedFindings[0].ID != old.ID {
			t.Errorf("carried findings %+v", c.CarriedFindings)
		}
		if len(c.ClosedFindings) != 1 || c.ClosedFindings[0].ID != fixed.ID {
			t.Errorf("closed findings %+v", c.ClosedFindings)
		}
		if len(c.ClosedActions) != 1 || c.ClosedActions[0].ID != item.ID {
			t.Errorf("closed actions %+v", c.ClosedActions)
		}
		other := mkComponent(t, db, "Other", 2)
		r3 := must(models.CreateReview(ctx, db, actorOf(f.member), models.NewReview{Component: other.Slug, TemplateKey: "mini", Facilitator: f.facilitator.Email}))
		if _, err := models.CompareReviews(ctx, db, r1, r3, time.Now()); err == nil {
			t.Fatal("compared reviews of different components")
		}
	})
}

// TestItemsOfReviewAndFindings: FindingIDs keeps the items of those
// findings, alone or ORed with ReviewID (and ANDed with every other
// filter); GetFindings loads findings by id with their approvers.
func TestItemsOfReviewAndFindings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		today := models.Today(time.Now(), nil)
		r1 := f.review(t)
		fa := must(models.CreateFinding(ctx, db, actorOf(f.member), r1.ID, models.FindingInput{Title: "A", Risk: "high"}))
		fb := must(models.CreateFinding(ctx, db, actorOf(f.member), r1.ID, models.FindingInput{Title: "B", Risk: "low"}))
		item := func(title string, reviewID int64, findingID *int64) *models.ActionItem {
			return must(models.CreateActionItem(ctx, db, actorOf(f.member), models.NewActionItem{
				ActionItemInput: models.ActionItemInput{Title: title, Priority: models.PriorityLow},
				ComponentID:     &f.comp.ID, ReviewID: &reviewID, FindingID: findingID}))
		}
		ia, ib := item("of A", r1.ID, &fa.ID), item("of B", r1.ID, &fb.ID)
		r2 := f.review(t)
		i2 := item("of the second review", r2.ID, nil)
		ids := func(f models.ActionItemFilter) []int64 {
			var out []int64
			for _, it := range must(models.ListActionItems(ctx, db, f)) {
				out = append(out, it.ID)
			}
			return out
		}
		for _, c := range []struct {
			f    models.ActionItemFilter
			want []int64
		}{
			{models.ActionItemFilter{FindingIDs: []int64{fa.ID}}, []int64{ia.ID}},
			{models.ActionItemFilter{ReviewID: r2.ID}, []int64{i2.ID}},
			{models.ActionItemFilter{ReviewID: r2.ID, FindingIDs: []int64{fa.ID, fb.ID}}, []int64{ia.ID, ib.ID, i2.ID}},
			{models.ActionItemFilter{ReviewID: r2.ID, FindingIDs: []int64{fa.ID, fb.ID}, Statuses: []string{models.ActionDone}}, nil},
		} {
			if got := ids(c.f); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
			if n := must(models.CountActionItems(ctx, db, c.f)); n != int64(len(c.want)) {
				t.Errorf("%+v: count %d, want %d", c.f, n, len(c.want))
			}
		}

		must(models.ChangeFindingStatus(ctx, db, actorOf(f.member), fa.ID, 0, models.FindingStatusInput{Status: models.FindingAccepted,
			Approver: f.facilitator.Email, Rationale: "Later", AcceptedUntil: today.AddDays(30).String(), Today: today}))
		got := must(models.GetFindings(ctx, db, []int64{fb.ID, fa.ID}))
		if len(got) != 2 || got[fa.ID].Approver == nil || got[fa.ID].Approver.ID != f.facilitator.ID || got[fb.ID].Title != "B" {
			t.Fatalf("GetFindings %+v", got)
		}
		if _, err := models.GetFindings(ctx, db, []int64{fa.ID, fb.ID + 1000}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a missing finding: %v", err)
		}
	})
}
