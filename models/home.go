package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// HomeCount is one figure on the home page with the route it links to.
type HomeCount struct {
	Label string
	Count int64
	Hint  string
	Route string
}

// HomeCounts returns the figures of the home page. Features add theirs as
// they arrive; the query also proves the database answers.
func HomeCounts(ctx context.Context, db *gorm.DB, today Date) ([]HomeCount, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Setting{}).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	var out []HomeCount
	// Components and reviews.
	reviewCounts, err := reviewHomeCounts(ctx, db, today)
	if err != nil {
		return nil, err
	}
	out = append(out, reviewCounts...)
	return out, nil
}
