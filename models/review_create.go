package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NewReview is the input for CreateReview.
type NewReview struct {
	Component    string // slug
	TemplateKey  string // template key: its newest published version
	TemplateID   int64  // or a template version id (must be published)
	Title        string
	Facilitator  string // email
	Participants []string
	ScheduledFor string // YYYY-MM-DD or empty
}

// CreateReview starts a review in draft: one empty answer per question of
// the template version, the component's unresolved findings carried over,
// and a link to its last completed review.
func CreateReview(ctx context.Context, db *gorm.DB, actor Actor, in NewReview) (*Review, error) {
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	var comp *Component
	var err error
	if strings.TrimSpace(in.Component) == "" {
		v.Add("component", "Choose the component to review.")
	} else if comp, err = GetComponentBySlug(ctx, db, strings.TrimSpace(in.Component)); errors.Is(err, ErrNotFound) {
		v.Add("component", "No component has the slug "+in.Component+".")
	} else if err != nil {
		return nil, err
	}
	var tv *TemplateVersion
	switch {
	case in.TemplateID != 0:
		tv, err = GetTemplateVersion(ctx, db, in.TemplateID)
	case strings.TrimSpace(in.TemplateKey) != "":
		tv, err = GetTemplateVersionByKey(ctx, db, strings.TrimSpace(in.TemplateKey), 0)
	default:
		err = ErrNotFound
	}
	switch {
	case errors.Is(err, ErrNotFound):
		v.Add("template", "Choose a template that has a published version.")
	case err != nil:
		return nil, err
	case tv.Status != TemplatePublished:
		v.Add("template", fmt.Sprintf("Version %d of %s is %s; reviews start from the published version.", tv.Number, tv.Name, tv.Status))
	}
	var facilitator *User
	if strings.TrimSpace(in.Facilitator) == "" {
		v.Add("facilitator", "Choose who facilitates and signs off the review.")
	} else if facilitator, err = activeUserByEmail(ctx, db, in.Facilitator); errors.Is(err, ErrNotFound) {
		v.Add("facilitator", "No active user has the email "+in.Facilitator+".")
	} else if err != nil {
		return nil, err
	} else if !facilitator.Role.Allows(RoleFacilitator) {
		v.Add("facilitator", facilitator.Name+" is a "+string(facilitator.Role)+"; the facilitator needs the facilitator or admin role to sign off.")
	}
	var participants []*User
	seen := map[string]bool{}
	for _, e := range in.Participants {
		e = NormalizeEmail(e)
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		u, err := activeUserByEmail(ctx, db, e)
		if errors.Is(err, ErrNotFound) {
			v.Add("participants", "No active user has the email "+e+".")
			continue
		}
		if err != nil {
			return nil, err
		}
		participants = append(participants, u)
	}
	scheduled, err := DatePtr(in.ScheduledFor)
	if err != nil {
		v.Add("scheduled_for", "Enter the date as YYYY-MM-DD.")
	}
	if in.Title == "" && comp != nil && tv != nil {
		in.Title = fmt.Sprintf("%s — %s", comp.Name, tv.Name)
	}
	if len([]rune(in.Title)) > 200 {
		v.Add("title", "Use at most 200 characters.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var r *Review
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		r = &Review{ComponentID: comp.ID, TemplateVersionID: tv.ID, Title: in.Title, Status: ReviewDraft,
			FacilitatorID: &facilitator.ID, ScheduledFor: scheduled, Version: 1, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			r.CreatorID = &uid
		}
		var prevID int64
		if err := tx.Model(&Review{}).Where("component_id = ? AND status IN ?", comp.ID, []string{ReviewCompleted, ReviewArchived}).
			Where("completed_at IS NOT NULL").Order("completed_at DESC, id DESC").Limit(1).Pluck("id", &prevID).Error; err != nil {
			return err
		}
		if prevID != 0 {
			r.PreviousReviewID = &prevID
		}
		if err := tx.Omit(clause.Associations).Create(r).Error; err != nil {
			return err
		}
		if err := createParticipants(tx, r.ID, participantIDs(participants)); err != nil {
			return err
		}
		answers := make([]ReviewAnswer, 0, len(tv.Questions()))
		for _, q := range tv.Questions() {
			answers = append(answers, ReviewAnswer{ReviewID: r.ID, QuestionKey: q.Key, Evidence: []string{}, Version: 1, CreatedAt: now, UpdatedAt: now})
		}
		if err := tx.Omit("UpdatedBy").CreateInBatches(answers, 100).Error; err != nil {
			return err
		}
		// Unresolved findings of the component carry over, linked to where
		// they came from.
		var carry []int64
		if err := tx.Model(&Finding{}).Where("component_id = ? AND status IN ?", comp.ID, []string{FindingOpen, FindingAccepted}).
			Order("id").Pluck("id", &carry).Error; err != nil {
			return err
		}
		if len(carry) > 0 {
			links := make([]ReviewFinding, len(carry))
			for i, fid := range carry {
				links[i] = ReviewFinding{ReviewID: r.ID, FindingID: fid, CarriedOver: true}
			}
			if err := tx.CreateInBatches(links, insertBatch).Error; err != nil {
				return err
			}
		}
		return Audit(ctx, tx, actor, AuditCreate, "review", r.ID, fmt.Sprintf("started review %s of %s (%s)", quote(r.Title), comp.Slug, tv.Label()),
			map[string]Change{"carried_over_findings": {To: len(carry)}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create review: %w", TranslateError(err))
	}
	return GetReview(ctx, db, r.ID)
}
