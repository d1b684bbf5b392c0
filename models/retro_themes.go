package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RetroTheme groups notes that say the same thing.
type RetroTheme struct {
	ID          int64
	SessionID   int64
	Title       string
	CreatedByID *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CreateRetroTheme adds a theme while grouping.
func CreateRetroTheme(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, title string) (*RetroTheme, error) {
	var th *RetroTheme
	err := retroWrite(ctx, lt, sessionID, RetroEventGroup, func() int64 { return th.ID }, func(tx *gorm.DB) error {
		if _, err := requirePhase(ctx, tx, sessionID, "themes are made", PhaseGroup); err != nil {
			return err
		}
		title = CleanLine(title)
		switch {
		case title == "":
			return FieldError("title", "Name the theme in a few words.")
		case len([]rune(title)) > 200:
			return FieldError("title", "Use at most 200 characters.")
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		now := Now(tx)
		th = &RetroTheme{SessionID: sessionID, Title: title, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			th.CreatedByID = &uid
		}
		if err := tx.Create(th).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "retro", sessionID, "made the theme "+quote(title), map[string]Change{"theme_id": {To: th.ID}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create retro theme: %w", TranslateError(err))
	}
	return th, nil
}

// DeleteRetroTheme removes a theme while grouping (its notes become
// ungrouped). Only the facilitator may.
func DeleteRetroTheme(ctx context.Context, lt LiveTx, actor Actor, sessionID, id int64) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventGroup, func() int64 { return id }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "themes are removed", PhaseGroup)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator removes themes", ErrForbidden)
		}
		var th RetroTheme
		if err := tx.Where("id = ? AND session_id = ?", id, sessionID).Take(&th).Error; err != nil {
			return err
		}
		if err := tx.Model(&RetroNote{}).Where("theme_id = ?", id).Update("theme_id", nil).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&RetroTheme{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "retro", sessionID, "removed the theme "+quote(th.Title), map[string]Change{"theme_id": {From: id}})
	})
	if err != nil {
		return fmt.Errorf("models: delete retro theme %d: %w", id, TranslateError(err))
	}
	return nil
}

// GroupRetroNote puts a revealed note into a theme (themeID 0: none),
// while grouping. Anyone in the retro may group.
func GroupRetroNote(ctx context.Context, lt LiveTx, actor Actor, sessionID, noteID, themeID int64) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventGroup, func() int64 { return noteID }, func(tx *gorm.DB) error {
		if _, err := requirePhase(ctx, tx, sessionID, "notes are grouped", PhaseGroup); err != nil {
			return err
		}
		var n RetroNote
		if err := tx.Where("id = ? AND session_id = ?", noteID, sessionID).Take(&n).Error; err != nil {
			return err
		}
		var theme any
		if themeID != 0 {
			var th RetroTheme
			if err := tx.Where("id = ? AND session_id = ?", themeID, sessionID).Take(&th).Error; err != nil {
				if errors.Is(TranslateError(err), ErrNotFound) {
					return FieldError("theme", "Choose one of the themes.")
				}
				return err
			}
			theme = themeID
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		if err := tx.Model(&RetroNote{}).Where("id = ?", noteID).Updates(map[string]any{"theme_id": theme, "updated_at": Now(tx)}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "retro", sessionID, "grouped a note", map[string]Change{"note_id": {To: noteID}, "theme_id": {From: n.ThemeID, To: theme}})
	})
	if err != nil {
		return fmt.Errorf("models: group retro note %d: %w", noteID, TranslateError(err))
	}
	return nil
}
