package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

func setTags(tx *gorm.DB, componentID int64, tags []string) error {
	if err := tx.Where("component_id = ?", componentID).Delete(&ComponentTag{}).Error; err != nil {
		return err
	}
	for _, t := range tags {
		if err := tx.Create(&ComponentTag{ComponentID: componentID, Tag: t}).Error; err != nil {
			return err
		}
	}
	return nil
}

// CreateComponent validates and stores a component with its tags.
func CreateComponent(ctx context.Context, db *gorm.DB, actor Actor, in ComponentInput) (*Component, error) {
	var c *Component
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		teamID, err := normalizeComponent(ctx, tx, &in, true)
		if err != nil {
			return err
		}
		now := Now(tx)
		links := in.Links
		if links == nil {
			links = []Link{}
		}
		c = &Component{
			Name: in.Name, Slug: in.Slug, TeamID: teamID, Tier: in.Tier, Description: in.Description,
			Links: links, ReviewIntervalDays: in.ReviewIntervalDays, Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.Omit("Team", "Tags").Create(c).Error; err != nil {
			if errors.Is(TranslateError(err), ErrDuplicate) {
				return FieldError("slug", "A component with this slug already exists.")
			}
			return err
		}
		if err := setTags(tx, c.ID, in.Tags); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "component", c.ID, "created component "+c.Slug,
			map[string]Change{"tier": {To: c.Tier}, "tags": {To: in.Tags}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create component: %w", TranslateError(err))
	}
	return GetComponentBySlug(ctx, db, c.Slug)
}

// UpdateComponent changes a component (its slug stays) when version is the
// stored one; a stale version gives a ConflictError with the fresh record.
func UpdateComponent(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in ComponentInput) (*Component, error) {
	var slug string
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetComponent(ctx, tx, id)
		if err != nil {
			return err
		}
		slug = before.Slug
		teamID, err := normalizeComponent(ctx, tx, &in, false)
		if err != nil {
			return err
		}
		links := in.Links
		if links == nil {
			links = []Link{}
		}
		set := map[string]any{
			"name": in.Name, "team_id": teamID, "tier": in.Tier, "description": in.Description,
			"links": linksJSON(links), "review_interval_days": in.ReviewIntervalDays,
			"next_review_due": nextDue(before.LastReviewedAt, in.ReviewIntervalDays),
			"version":         gorm.Expr("version + 1"), "updated_at": Now(tx),
		}
		res := tx.Model(&Component{}).Where("id = ? AND version = ?", id, version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "component", Current: before, Submitted: in}
		}
		if err := setTags(tx, id, in.Tags); err != nil {
			return err
		}
		after, err := GetComponent(ctx, tx, id)
		if err != nil {
			return err
		}
		changes := Diff(before, after, "Name", "TeamID", "Tier", "Description", "Links", "ReviewIntervalDays")
		if b, a := strings.Join(before.TagNames(), ","), strings.Join(after.TagNames(), ","); b != a {
			changes["tags"] = Change{From: before.TagNames(), To: after.TagNames()}
		}
		return Audit(ctx, tx, actor, AuditUpdate, "component", id, "updated component "+slug, changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update component %d: %w", id, TranslateError(err))
	}
	return GetComponentBySlug(ctx, db, slug)
}
