package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// FindingInput is what a person writes on a finding.
type FindingInput struct {
	Title       string
	Description string
	Risk        string
	QuestionKey string
}

func (in *FindingInput) validate(tv *TemplateVersion) error {
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	in.QuestionKey = strings.TrimSpace(in.QuestionKey)
	if in.Title == "" {
		v.Add("title", "Name the risk in a few words.")
	} else if len([]rune(in.Title)) > 200 {
		v.Add("title", "Use at most 200 characters.")
	}
	if !oneOf(in.Risk, findingRisks...) {
		v.Add("risk", "Choose critical, high, medium or low.")
	}
	if in.QuestionKey != "" && tv != nil {
		found := false
		for _, q := range tv.Questions() {
			found = found || q.Key == in.QuestionKey
		}
		if !found {
			v.Add("question_key", "The review's template has no question "+in.QuestionKey+".")
		}
	}
	return v.Err()
}

// CreateFinding records a finding in a review that is not closed.
func CreateFinding(ctx context.Context, db *gorm.DB, actor Actor, reviewID int64, in FindingInput) (*Finding, error) {
	var f *Finding
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := GetReview(ctx, tx, reviewID)
		if err != nil {
			return err
		}
		if r.Closed() {
			return StateErrorf("The review is %s; record new findings in the next review.", r.Status)
		}
		if err := in.validate(r.TemplateVersion); err != nil {
			return err
		}
		now := Now(tx)
		f = &Finding{ComponentID: r.ComponentID, ReviewID: r.ID, QuestionKey: in.QuestionKey, Title: in.Title, Description: in.Description,
			Risk: in.Risk, Status: FindingOpen, Version: 1, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			f.CreatorID = &uid
		}
		if err := tx.Omit("Component", "Review", "Approver", "Creator").Create(f).Error; err != nil {
			return err
		}
		if err := tx.Create(&ReviewFinding{ReviewID: r.ID, FindingID: f.ID}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "finding", f.ID, "recorded finding "+quote(f.Title),
			map[string]Change{"risk": {To: f.Risk}, "question_key": {To: f.QuestionKey}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create finding: %w", TranslateError(err))
	}
	return GetFinding(ctx, db, f.ID)
}

// UpdateFinding changes a finding's title, description and risk while the
// review that raised it is not closed.
func UpdateFinding(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in FindingInput) (*Finding, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetFinding(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Review.Closed() {
			return StateErrorf("The review that raised it is %s; only the finding's status can change.", before.Review.Status)
		}
		in.QuestionKey = before.QuestionKey
		if err := in.validate(nil); err != nil {
			return err
		}
		res := tx.Model(&Finding{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"title": in.Title, "description": in.Description, "risk": in.Risk, "version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "finding", Current: before, Submitted: in}
		}
		after := *before
		after.Title, after.Description, after.Risk = in.Title, in.Description, in.Risk
		return Audit(ctx, tx, actor, AuditUpdate, "finding", id, "edited finding "+quote(in.Title), Diff(before, &after, "Title", "Description", "Risk"))
	})
	if err != nil {
		return nil, fmt.Errorf("models: update finding %d: %w", id, TranslateError(err))
	}
	return GetFinding(ctx, db, id)
}
