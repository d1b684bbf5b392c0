package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"gorm.io/gorm"
)

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
