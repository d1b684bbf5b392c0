package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RevealRetroNotes makes every reflection note visible to everyone. Only
// the facilitator reveals, during reflection (entering the group phase
// reveals too).
func RevealRetroNotes(ctx context.Context, lt LiveTx, actor Actor, sessionID int64) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventReveal, nil, func(tx *gorm.DB) error {
		s, err := getRetroRow(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator reveals the notes", ErrForbidden)
		}
		if s.Phase != PhaseReflect {
			return StateErrorf("Notes are revealed during reflection.")
		}
		if s.NotesRevealedAt != nil {
			return nil
		}
		if err := joinNoteAuthors(ctx, tx, sessionID); err != nil {
			return err
		}
		now := Now(tx)
		if err := tx.Model(&RetroSession{}).Where("id = ? AND notes_revealed_at IS NULL", sessionID).
			Updates(map[string]any{"notes_revealed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditStateChange, "retro", sessionID, "revealed the reflection notes", nil)
	})
	if err != nil {
		return fmt.Errorf("models: retro %d reveal: %w", sessionID, TranslateError(err))
	}
	return nil
}

// joinNoteAuthors makes everyone who wrote a note a participant, at the
// reveal: in an anonymous session writing alone does not join, so the
// list cannot tell who wrote while the notes are hidden.
func joinNoteAuthors(ctx context.Context, tx *gorm.DB, sessionID int64) error {
	var authors []int64
	if err := tx.WithContext(ctx).Model(&RetroNote{}).Where("session_id = ?", sessionID).
		Distinct().Order("author_id").Pluck("author_id", &authors).Error; err != nil {
		return err
	}
	for _, id := range authors {
		if _, err := JoinRetro(ctx, tx, id, sessionID); err != nil {
			return err
		}
	}
	return nil
}
