package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RetroExists reports ErrNotFound unless a retro with id exists.
func RetroExists(ctx context.Context, db *gorm.DB, id int64) error {
	var n int64
	if err := db.WithContext(ctx).Model(&RetroSession{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("models: find retro %d: %w", id, TranslateError(err))
	}
	if n == 0 {
		return fmt.Errorf("models: retro %d: %w", id, ErrNotFound)
	}
	return nil
}

// FactorThemeTitles names the retro theme each contributing factor came
// from (factor id → theme title), for factors recorded in a retro.
func FactorThemeTitles(ctx context.Context, db *gorm.DB, factors []ContributingFactor) (map[int64]string, error) {
	var ids []int64
	for _, f := range factors {
		if f.RetroThemeID != nil {
			ids = append(ids, *f.RetroThemeID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var themes []RetroTheme
	if err := db.WithContext(ctx).Select("id", "title").Where("id IN ?", ids).Find(&themes).Error; err != nil {
		return nil, fmt.Errorf("models: retro themes of factors: %w", TranslateError(err))
	}
	titles := map[int64]string{}
	for _, t := range themes {
		titles[t.ID] = t.Title
	}
	for _, f := range factors {
		if f.RetroThemeID != nil {
			out[f.ID] = titles[*f.RetroThemeID]
		}
	}
	return out, nil
}
