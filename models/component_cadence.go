package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// nextDue is the next review date after a completed review (nil when the
// component was never reviewed).
func nextDue(last *time.Time, intervalDays int) *Date {
	if last == nil {
		return nil
	}
	d := DateOf(last.UTC()).AddDays(intervalDays)
	return &d
}

// CadenceState says where a component stands with its review cadence.
type CadenceState struct {
	Label string // "Never reviewed", "Overdue by 3 days", "Due in 12 days", …
	Kind  string // never, overdue, soon, ok
	Days  int
}

// ReviewStateOn judges the component's cadence on a date.
func (c *Component) ReviewStateOn(today Date) CadenceState {
	if c.NextReviewDue == nil {
		return CadenceState{Label: "Never reviewed", Kind: "never"}
	}
	days := today.DaysUntil(*c.NextReviewDue)
	switch {
	case days < 0:
		return CadenceState{Label: fmt.Sprintf("Overdue by %s", plural(-days, "day")), Kind: "overdue", Days: days}
	case days == 0:
		return CadenceState{Label: "Due today", Kind: "soon"}
	case days <= DueSoonDays:
		return CadenceState{Label: fmt.Sprintf("Due in %s", plural(days, "day")), Kind: "soon", Days: days}
	}
	return CadenceState{Label: "Due " + c.NextReviewDue.String(), Kind: "ok", Days: days}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ComponentsDueForReview lists the components that are overdue, never
// reviewed, or due within DueSoonDays of today: overdue first (oldest due
// date first), then never reviewed by tier, then due soon.
func ComponentsDueForReview(ctx context.Context, db *gorm.DB, today Date) ([]Component, error) {
	comps, err := ListComponents(ctx, db, ComponentFilter{Review: ReviewFilterDue, Today: today})
	if err != nil {
		return nil, err
	}
	rank := func(c *Component) int {
		switch c.ReviewStateOn(today).Kind {
		case "overdue":
			return 0
		case "never":
			return 1
		}
		return 2
	}
	sort.SliceStable(comps, func(i, j int) bool {
		a, b := &comps[i], &comps[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.NextReviewDue != nil && b.NextReviewDue != nil && *a.NextReviewDue != *b.NextReviewDue {
			return a.NextReviewDue.Before(*b.NextReviewDue)
		}
		return a.Tier < b.Tier
	})
	return comps, nil
}

// reviewHomeCounts are the home page figures of the catalog and reviews.
func reviewHomeCounts(ctx context.Context, db *gorm.DB, today Date) ([]HomeCount, error) {
	var comps, open int64
	if err := db.WithContext(ctx).Model(&Component{}).Count(&comps).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	if comps == 0 {
		return nil, nil
	}
	if err := db.WithContext(ctx).Model(&Review{}).Where("status IN ?", []string{ReviewDraft, ReviewInProgress, ReviewInReview}).Count(&open).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	var due int64
	if err := db.WithContext(ctx).Model(&Component{}).Where("next_review_due IS NULL OR next_review_due < ?", today).Count(&due).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	return []HomeCount{
		{Label: "Components", Count: comps, Hint: "in the catalog", Route: "components.index"},
		{Label: "Open reviews", Count: open, Hint: "draft, in progress or awaiting sign-off", Route: "reviews.index"},
		{Label: "Due for review", Count: due, Hint: "overdue or never reviewed", Route: "reviews.due"},
	}, nil
}
