package demo

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// actionItems gives every finding an action item and the organisation's
// major incidents their follow-ups, with due dates in the past and the
// future and believable completion dates: most past items were done (some
// late), a few will not be done (with a reason), a few are overdue.
func (s *seeder) actionItems() error {
	for _, pf := range s.findings {
		owner := s.ownerOf(pf.plan.comp)
		created := s.ago(days(pf.plan.startedAgo)).Add(5 * time.Hour)
		due := created.Add(days(21 + float64(s.r.IntN(30))))
		status := ""
		switch pf.finding.Risk {
		case "high":
			if pf.plan.completedAgo > 100 {
				status = models.ActionDone // the restore drill
			}
		}
		in := models.NewActionItem{
			ActionItemInput: models.ActionItemInput{
				Title: fixTitle(pf.finding.Title), Description: pf.finding.Description, Priority: map[string]string{"high": models.PriorityHigh, "medium": models.PriorityMedium}[pf.finding.Risk],
				Owner: owner.Email, Team: s.teamOf(pf.plan.comp), DueDate: models.DateOf(due.In(s.home)).String(),
				ExternalURL: fmt.Sprintf("https://tracker.northwind.example/OPS-%d", 400+s.res.Actions),
			},
			SourceKind: models.SourceFinding, ComponentID: &pf.review.ComponentID, ReviewID: &pf.review.ID, FindingID: &pf.finding.ID,
		}
		if err := s.action(in, created, due, status, actionLinks{}); err != nil {
			return err
		}
	}
	return nil
}

func fixTitle(finding string) string { return "Fix: " + finding }

func (s *seeder) ownerOf(comp string) *models.User {
	m := s.teamMembers(s.teamOf(comp))
	return s.users[m[s.r.IntN(len(m))]]
}

func (s *seeder) teamOf(comp string) string {
	for _, d := range componentDefs {
		if d.slug == comp {
			return d.team
		}
	}
	return "platform"
}

// outcome decides how an item with this due date ends up.
func (s *seeder) outcome(due time.Time) string {
	x := s.r.Float64()
	if due.Before(s.now) {
		switch {
		case x < 0.68:
			return models.ActionDone
		case x < 0.78:
			return models.ActionWontDo
		case x < 0.86:
			return models.ActionBlocked
		case x < 0.92:
			return models.ActionInProgress
		}
		return "" // open and overdue
	}
	switch {
	case x < 0.15:
		return models.ActionDone
	case x < 0.45:
		return models.ActionInProgress
	case x < 0.5:
		return models.ActionBlocked
	}
	return ""
}

var wontDoReasons = []string{
	"Superseded: the component is being replaced next quarter.",
	"The cost outweighs the risk after the capacity upgrade; accepted by the team.",
	"Duplicate of a platform-wide item.",
}

// action stores an item as it stands today, with its history dated as the
// story says: created when the finding or incident was written up, moved
// a few days later, closed around its due date (usually before it). The
// models stamp everything "now" and keep history append-only, so the demo
// writes these rows itself — validated first by the same rules
// (ValidateActionItem) — and records each in the audit trail.
// actionLinks are the postmortem and retro an item came from, if any.
type actionLinks struct {
	postmortem, retro *int64
}

func (s *seeder) action(in models.NewActionItem, created, due time.Time, status string, links actionLinks) error {
	owner, err := models.GetUserByEmail(s.ctx, s.db, in.Owner)
	if err != nil {
		return err
	}
	team := s.teams[in.Team]
	d, err := models.ParseDate(in.DueDate)
	if err != nil {
		return err
	}
	created = models.UTC(created)
	a := &models.ActionItem{
		Title: in.Title, Description: in.Description, Status: models.ActionOpen, Priority: in.Priority,
		OwnerID: &owner.ID, TeamID: &team.ID, CreatorID: &owner.ID, ComponentID: in.ComponentID, DueDate: &d,
		SourceKind: in.SourceKind, ReviewID: in.ReviewID, FindingID: in.FindingID, ExternalURL: in.ExternalURL,
		PostmortemID: links.postmortem, RetroSessionID: links.retro, IncidentID: in.IncidentID,
		Version: 1, CreatedAt: created, UpdatedAt: created,
	}
	moved := created.Add(days(2 + float64(s.r.IntN(5))))
	if moved.After(s.now) {
		moved = s.now.Add(-time.Hour)
	}
	note := ""
	if status != "" {
		a.Status, a.Version, a.UpdatedAt = status, 2, moved
		switch status {
		case models.ActionDone, models.ActionWontDo:
			// Most work is finished a few days before the due date, some
			// of it late.
			t := due.Add(-days(float64(s.r.IntN(10)))).Add(days(s.r.Float64() * 6 * boolf(s.r.Float64() < 0.3)))
			if t.Before(created) {
				t = created.Add(days(1))
			}
			if t.After(s.now) {
				t = s.now.Add(-time.Hour)
			}
			t = models.UTC(t)
			// The day it was closed, as the models record it (follow-through
			// compares it with the due date).
			closedOn := models.DateOf(t.In(s.home))
			a.ClosedAt, a.ClosedOn, a.UpdatedAt, moved = &t, &closedOn, t, t
			if status == models.ActionDone {
				note = "Done; see the ticket."
				a.CompletionNote = note
			} else {
				note = wontDoReasons[s.r.IntN(len(wontDoReasons))]
				a.StatusReason = note
			}
		case models.ActionBlocked:
			note = "Waiting for the vendor's maintenance window."
			a.StatusReason = note
		}
	}
	actor := models.ActorOf(owner, "demo")
	err = s.db.WithContext(s.ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Owner", "Team", "Creator", "Component").Create(a).Error; err != nil {
			return err
		}
		events := []models.ActionItemEvent{{ActionItemID: a.ID, At: created, ActorID: &owner.ID, ActorName: owner.Name, ToStatus: models.ActionOpen}}
		if status != "" {
			events = append(events, models.ActionItemEvent{ActionItemID: a.ID, At: models.UTC(moved), ActorID: &owner.ID, ActorName: owner.Name,
				FromStatus: models.ActionOpen, ToStatus: status, Note: note})
		}
		if err := tx.Create(&events).Error; err != nil {
			return err
		}
		return models.Audit(s.ctx, tx, actor, models.AuditCreate, "action_item", a.ID, "demo: created action item “"+a.Title+"”", nil)
	})
	if err != nil {
		return err
	}
	s.res.Actions++
	return nil
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
