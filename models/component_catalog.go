package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// GetComponent loads a component by id with its team and tags.
func GetComponent(ctx context.Context, db *gorm.DB, id int64) (*Component, error) {
	var c Component
	err := db.WithContext(ctx).Preload("Team").Preload("Tags").Where("id = ?", id).Take(&c).Error
	if err != nil {
		return nil, fmt.Errorf("models: get component %d: %w", id, TranslateError(err))
	}
	return &c, nil
}

// Review cadence filters of the catalog.
const (
	ReviewFilterOverdue = "overdue" // due date passed
	ReviewFilterNever   = "never"   // never reviewed
	ReviewFilterDue     = "due"     // overdue, never reviewed or due within DueSoonDays
)

// DueSoonDays is how far ahead "due" looks.
const DueSoonDays = 30

// ComponentFilter narrows ListComponents. Zero fields do not filter.
type ComponentFilter struct {
	TeamID int64
	Tier   int
	Tag    string
	// Review is one of the ReviewFilter constants, judged against Today.
	Review string
	Today  Date
	Query  string // part of the name or slug
	// ByID orders by id (for API paging) instead of by name; AfterID and
	// Limit page through that order.
	ByID    bool
	AfterID int64
	Limit   int
}

// CountComponents counts the components in the catalog.
func CountComponents(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Component{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count components: %w", TranslateError(err))
	}
	return n, nil
}

// ListComponents returns the components matching f, by name.
func ListComponents(ctx context.Context, db *gorm.DB, f ComponentFilter) ([]Component, error) {
	q := db.WithContext(ctx).Model(&Component{})
	if f.TeamID != 0 {
		q = q.Where("components.team_id = ?", f.TeamID)
	}
	if f.Tier != 0 {
		q = q.Where("components.tier = ?", f.Tier)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM component_tags t WHERE t.component_id = components.id AND t.tag = ?)", f.Tag)
	}
	if s := strings.ToLower(strings.TrimSpace(f.Query)); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where("(lower(components.name) LIKE ? ESCAPE '\\' OR components.slug LIKE ? ESCAPE '\\')", like, like)
	}
	switch f.Review {
	case ReviewFilterOverdue:
		q = q.Where("components.next_review_due < ?", f.Today)
	case ReviewFilterNever:
		q = q.Where("components.next_review_due IS NULL")
	case ReviewFilterDue:
		q = q.Where("(components.next_review_due IS NULL OR components.next_review_due <= ?)", f.Today.AddDays(DueSoonDays))
	}
	order := "lower(components.name), components.id"
	if f.ByID {
		order = "components.id"
		if f.AfterID != 0 {
			q = q.Where("components.id > ?", f.AfterID)
		}
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var out []Component
	if err := q.Preload("Team").Preload("Tags").Order(order).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list components: %w", TranslateError(err))
	}
	return out, nil
}

// ComponentTagsInUse lists every tag used by a component, sorted.
func ComponentTagsInUse(ctx context.Context, db *gorm.DB) ([]string, error) {
	var out []string
	if err := db.WithContext(ctx).Model(&ComponentTag{}).Distinct("tag").Order("tag").Pluck("tag", &out).Error; err != nil {
		return nil, fmt.Errorf("models: component tags: %w", TranslateError(err))
	}
	return out, nil
}

// OpenCounts are a component's open findings and open action items.
type OpenCounts struct {
	Findings int64
	Actions  int64
}

// OpenCountsByComponent counts open findings and action items per
// component in two grouped queries.
func OpenCountsByComponent(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]OpenCounts, error) {
	out := map[int64]OpenCounts{}
	if len(ids) == 0 {
		return out, nil
	}
	type row struct {
		ComponentID int64
		N           int64
	}
	var rows []row
	err := db.WithContext(ctx).Model(&ActionItem{}).Select("component_id, COUNT(*) AS n").
		Where("component_id IN ? AND status IN ?", ids, openActionStatuses).Group("component_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: open counts: %w", TranslateError(err))
	}
	for _, r := range rows {
		c := out[r.ComponentID]
		c.Actions = r.N
		out[r.ComponentID] = c
	}
	rows = nil
	err = db.WithContext(ctx).Model(&Finding{}).Select("component_id, COUNT(*) AS n").
		Where("component_id IN ? AND status IN ?", ids, []string{FindingOpen, FindingAccepted}).Group("component_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: open counts: %w", TranslateError(err))
	}
	for _, r := range rows {
		c := out[r.ComponentID]
		c.Findings = r.N
		out[r.ComponentID] = c
	}
	return out, nil
}
