package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RetroVote is one vote of a person for a theme.
type RetroVote struct {
	ID        int64
	SessionID int64
	ThemeID   int64
	UserID    int64
	CreatedAt time.Time
}

// ErrNoVotesLeft says a person used their whole vote budget.
var ErrNoVotesLeft error = StateErrorf("You have no votes left. Take one back to move it.")

// CastRetroVote gives one of actor's votes to a theme. The budget is
// checked and spent in one statement (UPDATE … WHERE votes_used < budget)
// in the same transaction as the vote, so no number of simultaneous
// clicks, tabs or instances gets a person past their budget.
func CastRetroVote(ctx context.Context, lt LiveTx, actor Actor, sessionID, themeID int64) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventVote, func() int64 { return themeID }, func(tx *gorm.DB) error {
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		res := tx.Exec(`UPDATE retro_participants SET votes_used = votes_used + 1
			WHERE session_id = ? AND user_id = ?
			  AND votes_used < (SELECT vote_budget FROM retro_sessions WHERE id = ? AND phase = ?)`,
			sessionID, actor.UserID, sessionID, PhaseVote)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if _, err := requirePhase(ctx, tx, sessionID, "votes are cast", PhaseVote); err != nil {
				return err
			}
			return ErrNoVotesLeft
		}
		res = tx.Exec(`INSERT INTO retro_votes (session_id, theme_id, user_id, created_at)
			SELECT session_id, id, ?, ? FROM retro_themes WHERE id = ? AND session_id = ?`, actor.UserID, Now(tx), themeID, sessionID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("theme %d: %w", themeID, ErrNotFound)
		}
		return Audit(ctx, tx, actor, AuditCreate, "retro", sessionID, "voted", map[string]Change{"theme_id": {To: themeID}})
	})
	if err != nil {
		return fmt.Errorf("models: retro %d vote: %w", sessionID, TranslateError(err))
	}
	return nil
}

// WithdrawRetroVote takes back one of actor's votes for a theme.
func WithdrawRetroVote(ctx context.Context, lt LiveTx, actor Actor, sessionID, themeID int64) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventVote, func() int64 { return themeID }, func(tx *gorm.DB) error {
		if _, err := requirePhase(ctx, tx, sessionID, "votes are withdrawn", PhaseVote); err != nil {
			return err
		}
		var votes []RetroVote
		if err := tx.Where("session_id = ? AND theme_id = ? AND user_id = ?", sessionID, themeID, actor.UserID).Order("id DESC").Limit(1).Find(&votes).Error; err != nil {
			return err
		}
		if len(votes) == 0 {
			return StateErrorf("You have no vote on this theme.")
		}
		if err := tx.Where("id = ?", votes[0].ID).Delete(&RetroVote{}).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE retro_participants SET votes_used = votes_used - 1 WHERE session_id = ? AND user_id = ? AND votes_used > 0`,
			sessionID, actor.UserID).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "retro", sessionID, "withdrew a vote", map[string]Change{"theme_id": {From: themeID}})
	})
	if err != nil {
		return fmt.Errorf("models: retro %d withdraw vote: %w", sessionID, TranslateError(err))
	}
	return nil
}
