package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CalendarToken is the secret part of a user's private iCalendar feed URL.
// Only its SHA-256 is stored: the URL is shown once, when made. A user has
// at most one active token; making a new one revokes the old.
type CalendarToken struct {
	ID         int64
	UserID     int64
	Prefix     string
	TokenHash  string `json:"-"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

const calendarTokenPrefix = "cal_"

// NewCalendarToken makes a new feed token for the user, revoking any
// earlier one, and returns it with the plain token (shown once).
func NewCalendarToken(ctx context.Context, db *gorm.DB, actor Actor, userID int64) (*CalendarToken, string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	plain := calendarTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := &CalendarToken{UserID: userID, Prefix: plain[:len(calendarTokenPrefix)+6], TokenHash: hashToken(plain), CreatedAt: Now(db)}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&CalendarToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", Now(tx))
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		summary := "created calendar feed URL"
		if res.RowsAffected > 0 {
			summary = "replaced calendar feed URL (the old one stopped working)"
		}
		return Audit(ctx, tx, actor, AuditCreate, "calendar_token", t.ID, summary, nil)
	})
	if err != nil {
		return nil, "", fmt.Errorf("models: new calendar token: %w", TranslateError(err))
	}
	return t, plain, nil
}

// RevokeCalendarToken stops the user's feed URL from working.
func RevokeCalendarToken(ctx context.Context, db *gorm.DB, actor Actor, userID int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t CalendarToken
		if err := tx.Where("user_id = ? AND revoked_at IS NULL", userID).Take(&t).Error; err != nil {
			return err
		}
		if err := tx.Model(&CalendarToken{}).Where("id = ?", t.ID).Update("revoked_at", Now(tx)).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditStateChange, "calendar_token", t.ID, "revoked calendar feed URL", nil)
	})
	if err != nil {
		return fmt.Errorf("models: revoke calendar token: %w", TranslateError(err))
	}
	return nil
}

// ActiveCalendarToken returns the user's active token, or ErrNotFound.
func ActiveCalendarToken(ctx context.Context, db *gorm.DB, userID int64) (*CalendarToken, error) {
	var t CalendarToken
	if err := db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL", userID).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: calendar token: %w", TranslateError(err))
	}
	return &t, nil
}

// UserForCalendarToken returns the active user whose active feed token is
// plain. Unknown, revoked and malformed tokens and disabled users all give
// ErrNotFound.
func UserForCalendarToken(ctx context.Context, db *gorm.DB, plain string) (*User, error) {
	if !strings.HasPrefix(plain, calendarTokenPrefix) || len(plain) > 100 {
		return nil, fmt.Errorf("models: calendar token: %w", ErrNotFound)
	}
	var t CalendarToken
	err := db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", hashToken(plain)).Take(&t).Error
	if err != nil {
		return nil, fmt.Errorf("models: calendar token: %w", TranslateError(err))
	}
	u, err := GetUser(ctx, db, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, fmt.Errorf("models: calendar token: %w", ErrNotFound)
	}
	now := Now(db)
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := db.WithContext(ctx).Model(&CalendarToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil && !errors.Is(TranslateError(err), ErrUnavailable) {
			return nil, fmt.Errorf("models: calendar token: %w", TranslateError(err))
		}
	}
	return u, nil
}
