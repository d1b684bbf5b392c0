package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"gorm.io/gorm"
)

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
