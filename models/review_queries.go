package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// GetReview loads a review with its component, template version (with
// questions), facilitator and participants.
func GetReview(ctx context.Context, db *gorm.DB, id int64) (*Review, error) {
	var r Review
	err := db.WithContext(ctx).Preload("Component").Preload("Component.Team").Preload("Facilitator").Preload("SignedOffBy").
		Preload("Participants", func(q *gorm.DB) *gorm.DB { return q.Order("lower(name)") }).
		Where("id = ?", id).Take(&r).Error
	if err != nil {
		return nil, fmt.Errorf("models: get review %d: %w", id, TranslateError(err))
	}
	tv, err := GetTemplateVersion(ctx, db, r.TemplateVersionID)
	if err != nil {
		return nil, err
	}
	r.TemplateVersion = tv
	return &r, nil
}

// ReviewFilter narrows ListReviews.
type ReviewFilter struct {
	ComponentID int64
	Statuses    []string
	AfterID     int64
	Limit       int
	NewestFirst bool
}

// ListReviews returns reviews with their component, facilitator and
// template version (without questions).
func ListReviews(ctx context.Context, db *gorm.DB, f ReviewFilter) ([]Review, error) {
	q := db.WithContext(ctx).Model(&Review{}).Preload("Component").Preload("Facilitator").Preload("TemplateVersion").Preload("TemplateVersion.Template")
	if f.ComponentID != 0 {
		q = q.Where("reviews.component_id = ?", f.ComponentID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("reviews.status IN ?", f.Statuses)
	}
	if f.AfterID != 0 {
		q = q.Where("reviews.id > ?", f.AfterID)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	order := "reviews.id"
	if f.NewestFirst {
		order = "reviews.id DESC"
	}
	var out []Review
	if err := q.Order(order).Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list reviews: %w", TranslateError(err))
	}
	return out, nil
}

// CountReviews counts reviews with a status.
func CountReviews(ctx context.Context, db *gorm.DB, status string) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Review{}).Where("status = ?", status).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count reviews: %w", TranslateError(err))
	}
	return n, nil
}
