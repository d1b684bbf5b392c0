package models_test

import (
	"testing"

	"github.com/debrief-sre/debrief/models"
	"gorm.io/gorm"
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
