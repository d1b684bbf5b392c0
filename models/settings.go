package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is one instance-wide key/value setting.
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// GetSetting returns the value stored for key, or def when none is stored.
func GetSetting(ctx context.Context, db *gorm.DB, key, def string) (string, error) {
	var s Setting
	err := db.WithContext(ctx).Where("key = ?", key).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return def, nil
	}
	if err != nil {
		return def, fmt.Errorf("models: get setting %s: %w", key, TranslateError(err))
	}
	return s.Value, nil
}

// PutSetting stores value for key.
func PutSetting(ctx context.Context, db *gorm.DB, key, value string) error {
	s := Setting{Key: key, Value: value, UpdatedAt: Now(db)}
	err := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(&s).Error
	if err != nil {
		return fmt.Errorf("models: put setting %s: %w", key, TranslateError(err))
	}
	return nil
}
