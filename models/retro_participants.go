package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// JoinRetro makes the user a participant (nothing happens when they are
// one already). It reports whether they joined just now.
func JoinRetro(ctx context.Context, db *gorm.DB, userID, sessionID int64) (bool, error) {
	res := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&RetroParticipant{SessionID: sessionID, UserID: userID, JoinedAt: Now(db)})
	if res.Error != nil {
		return false, fmt.Errorf("models: join retro %d: %w", sessionID, TranslateError(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// ListRetroParticipants returns who joined, by name.
func ListRetroParticipants(ctx context.Context, db *gorm.DB, sessionID int64) ([]RetroParticipant, error) {
	var out []RetroParticipant
	err := db.WithContext(ctx).Preload("User").Joins("JOIN users ON users.id = retro_participants.user_id").
		Where("retro_participants.session_id = ?", sessionID).Order("users.name, users.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: retro participants: %w", TranslateError(err))
	}
	return out, nil
}
