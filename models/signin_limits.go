package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Sign-in throttling is kept in the database, so every instance behind a
// load balancer counts the same failures.
const (
	SignInWindow          = 15 * time.Minute
	MaxFailuresPerAccount = 5
	MaxFailuresPerIP      = 20
)

// SignInFailure counts sign-in attempts (and checks of a signed-in user's
// password) for one key in the current window.
type SignInFailure struct {
	Key         string `gorm:"primaryKey"`
	WindowStart time.Time
	Failures    int
}

// ErrThrottled says too many sign-ins were tried; RetryAfter says for how long.
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
	}{{accountKey(email), MaxFailuresPerAccount}, {ipKey(ip), MaxFailuresPerIP}}
}

func accountKey(email string) string { return "account:" + NormalizeEmail(email) }
func ipKey(ip string) string         { return "ip:" + ip }

// CountSignInAttempt counts a sign-in attempt for the account and the
// address BEFORE the password is checked, and returns *ErrThrottled when
// either is over its limit: the count and the decision are one statement,
// so parallel attempts cannot all slip under the limit.
func CountSignInAttempt(ctx context.Context, db *gorm.DB, email, ip string, now time.Time) error {
	var refused *ErrThrottled
	for _, k := range failureKeys(email, ip) {
		err := countAttempt(ctx, db, k.key, k.max, now)
		var th *ErrThrottled
		if errors.As(err, &th) {
			if refused == nil || th.RetryAfter > refused.RetryAfter {
				refused = th
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("models: count sign-in attempt: %w", TranslateError(err))
		}
	}
	if refused != nil {
		return refused
	}
	return nil
}

// countAttempt adds one to the key's count in the current window (a new
// window when the last one is over) and refuses when the count passes max.
func countAttempt(ctx context.Context, db *gorm.DB, key string, max int, now time.Time) error {
	now = UTC(now)
	over := now.Add(-SignInWindow)
	var row struct {
		Failures    int
		WindowStart time.Time
	}
	err := db.WithContext(ctx).Raw(`INSERT INTO sign_in_failures (key, window_start, failures) VALUES (?, ?, 1)
ON CONFLICT (key) DO UPDATE SET
	failures = CASE WHEN sign_in_failures.window_start <= ? THEN 1 ELSE sign_in_failures.failures + 1 END,
	window_start = CASE WHEN sign_in_failures.window_start <= ? THEN excluded.window_start ELSE sign_in_failures.window_start END
RETURNING failures, window_start`, key, now, over, over).Scan(&row).Error
	if err != nil {
		return err
	}
	if row.Failures > max {
		// A parallel attempt may have opened the window a moment after
		// this one read the clock; the wait is never longer than a window.
		return &ErrThrottled{RetryAfter: min(row.WindowStart.Add(SignInWindow).Sub(now), SignInWindow)}
	}
	return nil
}

// RecordSignInFailure audits a failed sign-in (CountSignInAttempt has
// counted it already).
func RecordSignInFailure(ctx context.Context, db *gorm.DB, email, ip string) error {
	return Audit(ctx, db, Actor{Name: NormalizeEmail(email), IP: ip}, AuditSignInFailed, "user", "", "failed sign-in for "+NormalizeEmail(email), nil)
}

// SignInSucceeded forgets the account's attempts after a success and
// gives the address back the attempt it used, so people signing in from
// one office address do not use up its allowance.
func SignInSucceeded(ctx context.Context, db *gorm.DB, email, ip string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("key = ?", accountKey(email)).Delete(&SignInFailure{}).Error; err != nil {
			return err
		}
		return tx.Model(&SignInFailure{}).Where("key = ? AND failures > 0", ipKey(ip)).
			Update("failures", gorm.Expr("failures - 1")).Error
	})
}

// CountPasswordCheck counts a check of a signed-in user's current password
// (changing the password asks for it) like a sign-in attempt: someone who
// took over a session cannot guess the password at leisure.
func CountPasswordCheck(ctx context.Context, db *gorm.DB, userID int64, now time.Time) error {
	err := countAttempt(ctx, db, "password-check:"+strconv.FormatInt(userID, 10), MaxFailuresPerAccount, now)
	var th *ErrThrottled
	if err != nil && !errors.As(err, &th) {
		return fmt.Errorf("models: count password check: %w", TranslateError(err))
	}
	return err
}

// PasswordCheckSucceeded forgets the user's counted password checks.
func PasswordCheckSucceeded(ctx context.Context, db *gorm.DB, userID int64) error {
	return db.WithContext(ctx).Where("key = ?", "password-check:"+strconv.FormatInt(userID, 10)).Delete(&SignInFailure{}).Error
}
