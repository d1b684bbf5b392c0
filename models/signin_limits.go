package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Sign-in throttling is kept in the database, so every instance behind a
// load balancer counts the same failures.
const (
	SignInWindow          = 15 * time.Minute
	MaxFailuresPerAccount = 5
	MaxFailuresPerIP      = 20
)

// SignInFailure counts failed sign-ins for one key in the current window.
type SignInFailure struct {
	Key         string `gorm:"primaryKey"`
	WindowStart time.Time
	Failures    int
}

// ErrThrottled says too many sign-ins failed; RetryAfter says for how long.
type ErrThrottled struct{ RetryAfter time.Duration }

func (e *ErrThrottled) Error() string {
	mins := int(e.RetryAfter.Round(time.Minute) / time.Minute)
	if mins < 1 {
		mins = 1
	}
	return fmt.Sprintf("Too many failed sign-ins. Please wait %d minute(s) and try again.", mins)
}

func failureKeys(email, ip string) []struct {
	key string
	max int
} {
	return []struct {
		key string
		max int
	}{{"account:" + NormalizeEmail(email), MaxFailuresPerAccount}, {"ip:" + ip, MaxFailuresPerIP}}
}

// CheckSignInAllowed returns *ErrThrottled while the account or the IP has
// too many recent failures.
func CheckSignInAllowed(ctx context.Context, db *gorm.DB, email, ip string, now time.Time) error {
	for _, k := range failureKeys(email, ip) {
		var f SignInFailure
		err := db.WithContext(ctx).Where("key = ?", k.key).Take(&f).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("models: sign-in limit: %w", TranslateError(err))
		}
		end := f.WindowStart.Add(SignInWindow)
		if now.Before(end) && f.Failures >= k.max {
			return &ErrThrottled{RetryAfter: end.Sub(now)}
		}
	}
	return nil
}

// RecordSignInFailure counts a failed sign-in for the account and the IP
// and audits it.
func RecordSignInFailure(ctx context.Context, db *gorm.DB, email, ip string, now time.Time) error {
	now = UTC(now)
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, k := range failureKeys(email, ip) {
			f := SignInFailure{Key: k.key, WindowStart: now, Failures: 1}
			// Start a new window when the old one is over, else count up.
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "key"}},
				DoUpdates: clause.Assignments(map[string]any{
					"failures":     gorm.Expr("CASE WHEN sign_in_failures.window_start < ? THEN 1 ELSE sign_in_failures.failures + 1 END", now.Add(-SignInWindow)),
					"window_start": gorm.Expr("CASE WHEN sign_in_failures.window_start < ? THEN ? ELSE sign_in_failures.window_start END", now.Add(-SignInWindow), now),
				}),
			}).Create(&f).Error
			if err != nil {
				return err
			}
		}
		return Audit(ctx, tx, Actor{Name: NormalizeEmail(email), IP: ip}, AuditSignInFailed, "user", "", "failed sign-in for "+NormalizeEmail(email), nil)
	})
}

// ClearSignInFailures forgets the account's failures after a success.
func ClearSignInFailures(ctx context.Context, db *gorm.DB, email string) error {
	return db.WithContext(ctx).Where("key = ?", "account:"+NormalizeEmail(email)).Delete(&SignInFailure{}).Error
}
