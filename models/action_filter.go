package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ActionItemFilter narrows ListActionItems. Zero fields do not filter.
// Later features add their own fields (and a clause in apply).
type ActionItemFilter struct {
	TeamID      int64
	OwnerID     int64
	Statuses    []string
	OpenOnly    bool // open, in_progress or blocked
	SourceKinds []string
	Priorities  []string
	DueFrom     *Date // inclusive
	DueTo       *Date // inclusive
	// Overdue keeps open items due before Today.
	Overdue     bool
	Today       Date
	ComponentID int64
	ReviewID    int64
	FindingID   int64
	// FindingIDs keeps the items of these findings; with ReviewID, the
	// items of the review or of these findings.
	FindingIDs []int64
	// ClosedFrom/ClosedTo keep items closed in [ClosedFrom, ClosedTo).
	ClosedFrom, ClosedTo *time.Time
	// AfterID pages by id (ascending order); Limit caps the rows (0: 500).
	AfterID int64
	Limit   int
}

func (f ActionItemFilter) apply(q *gorm.DB) *gorm.DB {
	if f.TeamID != 0 {
		q = q.Where("action_items.team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		q = q.Where("action_items.owner_id = ?", f.OwnerID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("action_items.status IN ?", f.Statuses)
	}
	if f.OpenOnly || f.Overdue {
		q = q.Where("action_items.status IN ?", openActionStatuses)
	}
	if len(f.SourceKinds) > 0 {
		q = q.Where("action_items.source_kind IN ?", f.SourceKinds)
	}
	if len(f.Priorities) > 0 {
		q = q.Where("action_items.priority IN ?", f.Priorities)
	}
	if f.DueFrom != nil {
		q = q.Where("action_items.due_date >= ?", *f.DueFrom)
	}
	if f.DueTo != nil {
		q = q.Where("action_items.due_date <= ?", *f.DueTo)
	}
	if f.Overdue {
		q = q.Where("action_items.due_date < ?", f.Today)
	}
	if f.ComponentID != 0 {
		q = q.Where("action_items.component_id = ?", f.ComponentID)
	}
	switch {
	case f.ReviewID != 0 && len(f.FindingIDs) > 0:
		q = q.Where("(action_items.review_id = ? OR action_items.finding_id IN ?)", f.ReviewID, f.FindingIDs)
	case f.ReviewID != 0:
		q = q.Where("action_items.review_id = ?", f.ReviewID)
	case len(f.FindingIDs) > 0:
		q = q.Where("action_items.finding_id IN ?", f.FindingIDs)
	}
	if f.FindingID != 0 {
		q = q.Where("action_items.finding_id = ?", f.FindingID)
	}
	if f.ClosedFrom != nil {
		q = q.Where("action_items.closed_at >= ?", UTC(*f.ClosedFrom))
	}
	if f.ClosedTo != nil {
		q = q.Where("action_items.closed_at < ?", UTC(*f.ClosedTo))
	}
	if f.AfterID != 0 {
		q = q.Where("action_items.id > ?", f.AfterID)
	}
	return q
}

// Page sizes of ListActionItems: the default and the most it returns.
const (
	DefaultActionItemLimit = 500
	MaxActionItemLimit     = 1000
)

// ListActionItems returns the items matching f in id order, with owner,
// team and component loaded.
func ListActionItems(ctx context.Context, db *gorm.DB, f ActionItemFilter) ([]ActionItem, error) {
	if f.Limit <= 0 || f.Limit > MaxActionItemLimit {
		f.Limit = DefaultActionItemLimit
	}
	var out []ActionItem
	q := f.apply(db.WithContext(ctx).Model(&ActionItem{}))
	err := q.Preload("Owner").Preload("Team").Preload("Component").Order("action_items.id").Limit(f.Limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list action items: %w", TranslateError(err))
	}
	return out, nil
}

// CountActionItems counts the items matching f.
func CountActionItems(ctx context.Context, db *gorm.DB, f ActionItemFilter) (int64, error) {
	var n int64
	f.AfterID, f.Limit = 0, 0
	if err := f.apply(db.WithContext(ctx).Model(&ActionItem{})).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count action items: %w", TranslateError(err))
	}
	return n, nil
}
