package models_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"gorm.io/gorm"
)

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
