package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MaxTimer is the longest countdown.
const MaxTimer = 2 * time.Hour

// SetRetroTimer starts the shared countdown of the current phase: it ends
// d from now (an absolute time every browser counts down to). d = 0 stops
// it. Only the facilitator sets it.
func SetRetroTimer(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, d time.Duration) (*RetroSession, error) {
	if d < 0 || d > MaxTimer {
		return nil, FieldError("minutes", "Choose a countdown of up to two hours.")
	}
	return retroTimer(ctx, lt, actor, sessionID, func(*RetroSession, time.Time) time.Duration { return d })
}

// ExtendRetroTimer adds d to a running countdown (or starts one of d).
func ExtendRetroTimer(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, d time.Duration) (*RetroSession, error) {
	return retroTimer(ctx, lt, actor, sessionID, func(s *RetroSession, now time.Time) time.Duration {
		left := time.Duration(0)
		if s.TimerEndsAt != nil && s.TimerEndsAt.After(now) {
			left = s.TimerEndsAt.Sub(now)
		}
		return min(left+d, MaxTimer)
	})
}

// retroTimer sets the countdown to what length says for the session as
// stored, in one transaction.
func retroTimer(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, length func(s *RetroSession, now time.Time) time.Duration) (*RetroSession, error) {
	var out *RetroSession
	err := retroWrite(ctx, lt, sessionID, RetroEventTimer, nil, func(tx *gorm.DB) error {
		s, err := getRetroRow(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator sets the timer", ErrForbidden)
		}
		if s.Closed() {
			return StateErrorf("The retro is closed.")
		}
		now := Now(tx)
		d := length(s, now)
		set := map[string]any{"timer_ends_at": nil, "timer_seconds": 0, "updated_at": now}
		summary := "stopped the timer"
		if d > 0 {
			set["timer_ends_at"], set["timer_seconds"] = now.Add(d), int(d/time.Second)
			summary = "started a " + d.String() + " timer"
		}
		if err := tx.Model(&RetroSession{}).Where("id = ?", sessionID).Updates(set).Error; err != nil {
			return err
		}
		if err := Audit(ctx, tx, actor, AuditUpdate, "retro", sessionID, summary, map[string]Change{"timer_seconds": {From: s.TimerSeconds, To: set["timer_seconds"]}}); err != nil {
			return err
		}
		out, err = getRetroRow(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: retro %d timer: %w", sessionID, TranslateError(err))
	}
	return out, nil
}
