package demo

import (
	"fmt"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// reviewPlan is one operational review of the story.
type reviewPlan struct {
	comp, template, facilitator string
	participants                []string
	// stage is draft, in_progress, in_review or completed.
	stage string
	// startedAgo and completedAgo place it in time (days).
	startedAgo, completedAgo float64
	// quality is the share of questions met (the rest partly, not met or
	// not applicable); answered is the share answered when in progress.
	quality, answered float64
	decision, notes   string
	findings          []findingPlan
	scheduledIn       int // draft: days until it is scheduled
}

type findingPlan struct {
	question, title, risk, description string
}

// reviewPlans tell the story: Postgres reviewed twice (compare the two),
// reviews running now at every stage, one component long overdue.
var reviewPlans = []reviewPlan{
	{comp: "postgres-fleet", template: "periodic-operational-review", facilitator: "priya", participants: []string{"sofia", "amara"},
		stage: "completed", startedAgo: 204, completedAgo: 200, quality: 0.55,
		decision: models.DecisionReadyWithConditions, notes: "Ready for the peak season on condition that a restore drill is held before it.",
		findings: []findingPlan{
			{"restore-drill", "No restore drill in the last 12 months", "high", "Backups run nightly, but nobody has restored one since the cluster upgrade. We do not know the real recovery time."},
			{"alert-noise", "Replication-lag alert pages for lag nobody acts on", "medium", "The alert fired 41 times last quarter; 38 resolved themselves within five minutes."},
		}},
	{comp: "dns", template: "operational-readiness", facilitator: "priya", participants: []string{"tom"},
		stage: "completed", startedAgo: 425, completedAgo: 420, quality: 0.7, decision: models.DecisionReady},
	{comp: "kubernetes", template: "operational-readiness", facilitator: "dana", participants: []string{"kenji", "priya"},
		stage: "completed", startedAgo: 64, completedAgo: 60, quality: 0.75, decision: models.DecisionReadyWithConditions,
		notes: "Ready; the node-pool autoscaler limits must be raised before the next traffic peak.",
		findings: []findingPlan{
			{"scaling", "Autoscaler limits lower than last peak's demand", "high", "The node-pool maximum is 40 nodes; last Black Friday needed 46 by hand."},
		}},
	{comp: "postgres-fleet", template: "periodic-operational-review", facilitator: "priya", participants: []string{"sofia", "amara"},
		stage: "completed", startedAgo: 16, completedAgo: 12, quality: 0.8, decision: models.DecisionReady},
	{comp: "edge-proxy", template: "operational-readiness", facilitator: "priya", participants: []string{"tom"},
		stage: "in_review", startedAgo: 6, quality: 0.7,
		findings: []findingPlan{
			{"rollback-tested", "Config rollback never rehearsed", "medium", "Routing config is pushed by the deploy tool; rolling it back has only been done once, during an incident."},
		}},
	{comp: "checkout-api", template: "operational-readiness", facilitator: "amara", participants: []string{"marcus", "priya"},
		stage: "in_progress", startedAgo: 3, quality: 0.6, answered: 0.55,
		findings: []findingPlan{
			{"load-tested", "Checkout not load-tested since the payment provider change", "high", "The last load test predates the switch to the new card processor."},
		}},
	{comp: "kafka", template: "periodic-operational-review", facilitator: "amara", participants: []string{"sofia"},
		stage: "draft", scheduledIn: 7},
}

// reviews runs the review plans through the real lifecycle, then moves
// the timestamps of finished reviews back to when the story has them.
func (s *seeder) reviews() error {
	if err := models.EnsureBuiltinTemplates(s.ctx, s.db); err != nil {
		return err
	}
	for _, p := range reviewPlans {
		if err := s.review(p); err != nil {
			return fmt.Errorf("%s review of %s: %w", p.stage, p.comp, err)
		}
	}
	return nil
}

var naReasons = []string{
	"Stateless: nothing to back up; the data lives in the Postgres fleet.",
	"Not exposed outside the private network.",
	"Covered by the platform-wide process; see the Kubernetes review.",
}

func (s *seeder) review(p reviewPlan) error {
	fac := s.actor(p.facilitator)
	var parts []string
	for _, h := range p.participants {
		parts = append(parts, s.users[h].Email)
	}
	in := models.NewReview{Component: p.comp, TemplateKey: p.template, Facilitator: s.users[p.facilitator].Email, Participants: parts}
	if p.stage == "draft" {
		in.ScheduledFor = s.date(p.scheduledIn).String()
	}
	r, err := models.CreateReview(s.ctx, s.db, fac, in)
	if err != nil {
		return err
	}
	s.res.Reviews++
	if p.stage == "draft" {
		return nil
	}
	if _, err := models.TransitionReview(s.ctx, s.db, fac, r.ID, models.ActionStart, models.SignOff{}); err != nil {
		return err
	}
	answers, err := models.ListAnswers(s.ctx, s.db, r.ID)
	if err != nil {
		return err
	}
	findingFor := map[string]findingPlan{}
	for _, f := range p.findings {
		findingFor[f.question] = f
	}
	questions := r.TemplateVersion.Questions()
	for i, q := range questions {
		if p.stage == "in_progress" && float64(i) >= p.answered*float64(len(questions)) && findingFor[q.Key].question == "" {
			continue
		}
		a := answers[q.Key]
		ans := models.AnswerInput{State: models.AnswerMet}
		switch x := s.r.Float64(); {
		case findingFor[q.Key].question != "":
			ans.State = models.AnswerNotMet
			ans.Notes = findingFor[q.Key].description
		case x < p.quality:
			ans.Evidence = []string{fmt.Sprintf("https://wiki.northwind.example/%s/%s", p.comp, q.Key)}
		case x < p.quality+(1-p.quality)*0.6:
			ans.State, ans.Notes = models.AnswerPartial, "In place for the main path; the batch jobs are not covered yet."
		case x < p.quality+(1-p.quality)*0.85:
			ans.State, ans.Notes = models.AnswerNotMet, "Not in place today."
		default:
			ans.State, ans.Reason = models.AnswerNotApplicable, naReasons[s.r.IntN(len(naReasons))]
		}
		who := p.facilitator
		if len(p.participants) > 0 && s.r.IntN(2) == 0 {
			who = p.participants[s.r.IntN(len(p.participants))]
		}
		if _, err := models.SaveAnswer(s.ctx, s.db, s.actor(who), r.ID, q.Key, a.Version, ans); err != nil {
			return err
		}
	}
	for _, f := range p.findings {
		fd, err := models.CreateFinding(s.ctx, s.db, fac, r.ID, models.FindingInput{Title: f.title, Description: f.description, Risk: f.risk, QuestionKey: f.question})
		if err != nil {
			return err
		}
		s.res.Findings++
		s.findings = append(s.findings, plannedFinding{finding: fd, review: r, plan: p})
	}
	// The second Postgres review: the restore drill happened; the noisy
	// alert is an accepted risk until the alert rework lands.
	if p.comp == "postgres-fleet" && p.completedAgo < 100 {
		for _, pf := range s.findings {
			if pf.review.ComponentID != r.ComponentID || pf.review.ID == r.ID {
				continue
			}
			st := models.FindingStatusInput{Status: models.FindingResolved, Today: s.date(0)}
			if pf.finding.Risk == "medium" {
				st = models.FindingStatusInput{Status: models.FindingAccepted, Approver: s.users["amara"].Email,
					Rationale: "Paging noise, not a data risk; the alert rework is planned for next quarter.", AcceptedUntil: s.date(90).String(), Today: s.date(0)}
			}
			if _, err := models.ChangeFindingStatus(s.ctx, s.db, s.actor("priya"), pf.finding.ID, 0, st); err != nil {
				return err
			}
		}
	}
	if p.stage == "in_progress" {
		return s.backdateReview(r.ID, p, false)
	}
	if _, err := models.TransitionReview(s.ctx, s.db, fac, r.ID, models.ActionSubmit, models.SignOff{}); err != nil {
		return err
	}
	if p.stage == "in_review" {
		return s.backdateReview(r.ID, p, false)
	}
	if _, err := models.TransitionReview(s.ctx, s.db, fac, r.ID, models.ActionComplete, models.SignOff{Decision: p.decision, Notes: p.notes}); err != nil {
		return err
	}
	return s.backdateReview(r.ID, p, true)
}

// backdateReview moves a review's own timestamps (and, when completed,
// its component's cadence) to the story's dates.
func (s *seeder) backdateReview(id int64, p reviewPlan, completed bool) error {
	started := s.ago(days(p.startedAgo)).Add(time.Duration(9+s.r.IntN(6)) * time.Hour)
	set := map[string]any{"created_at": started.Add(-48 * time.Hour), "started_at": started, "updated_at": started}
	if p.stage == "in_review" || completed {
		set["submitted_at"] = started.Add(26 * time.Hour)
		set["updated_at"] = started.Add(26 * time.Hour)
	}
	var done time.Time
	if completed {
		done = s.ago(days(p.completedAgo)).Add(15 * time.Hour)
		set["completed_at"], set["updated_at"] = done, done
	}
	if err := s.db.WithContext(s.ctx).Model(&models.Review{}).Where("id = ?", id).Updates(set).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(s.ctx).Model(&models.ReviewAnswer{}).Where("review_id = ? AND answered_at IS NOT NULL", id).
		Updates(map[string]any{"answered_at": started.Add(3 * time.Hour), "updated_at": started.Add(3 * time.Hour)}).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(s.ctx).Model(&models.Finding{}).Where("review_id = ?", id).
		Updates(map[string]any{"created_at": started.Add(4 * time.Hour)}).Error; err != nil {
		return err
	}
	if !completed {
		return nil
	}
	// The snapshot keeps the moment it was taken: snapshots never change.
	c := s.comps[p.comp]
	fresh, err := models.GetComponent(s.ctx, s.db, c.ID)
	if err != nil {
		return err
	}
	next := models.DateOf(done).AddDays(fresh.ReviewIntervalDays)
	if fresh.LastReviewedAt != nil && fresh.LastReviewedAt.Before(s.ago(days(1))) && fresh.LastReviewedAt.After(done) {
		return nil // a later review already set the cadence
	}
	return s.db.WithContext(s.ctx).Model(&models.Component{}).Where("id = ?", c.ID).
		Updates(map[string]any{"last_reviewed_at": done, "next_review_due": next}).Error
}
