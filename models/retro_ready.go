package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SetRetroReady records that a participant is ready (or not) in the
// current phase. A ready signal lapses when the phase changes.
func SetRetroReady(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, ready bool) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventReady, func() int64 { return actor.UserID }, func(tx *gorm.DB) error {
		s, err := getRetroRow(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if s.Closed() {
			return StateErrorf("The retro is closed.")
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		phase, summary := "", "is not ready"
		if ready {
			phase, summary = s.Phase, "is ready in "+PhaseLabel(s.Phase)
		}
		if err := tx.Model(&RetroParticipant{}).Where("session_id = ? AND user_id = ?", sessionID, actor.UserID).Update("ready_phase", phase).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "retro", sessionID, summary, nil)
	})
	if err != nil {
		return fmt.Errorf("models: retro %d ready: %w", sessionID, TranslateError(err))
	}
	return nil
}
