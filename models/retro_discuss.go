package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

func sessionTheme(ctx context.Context, tx *gorm.DB, sessionID, themeID int64) (*int64, error) {
	if themeID == 0 {
		return nil, nil
	}
	var th RetroTheme
	if err := tx.WithContext(ctx).Where("id = ? AND session_id = ?", themeID, sessionID).Take(&th).Error; err != nil {
		if errors.Is(TranslateError(err), ErrNotFound) {
			return nil, FieldError("theme", "Choose one of the themes.")
		}
		return nil, err
	}
	return &th.ID, nil
}

// AddRetroFactor records a finding or contributing factor of a theme
// while discussing. With a postmortem it belongs to the postmortem too.
func AddRetroFactor(ctx context.Context, lt LiveTx, actor Actor, sessionID, themeID int64, in FactorInput) (*ContributingFactor, error) {
	var f *ContributingFactor
	err := retroWrite(ctx, lt, sessionID, RetroEventFactor, func() int64 { return f.ID }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "findings are recorded", PhaseDiscuss)
		if err != nil {
			return err
		}
		theme, err := sessionTheme(ctx, tx, sessionID, themeID)
		if err != nil {
			return err
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		if f, err = insertFactor(ctx, tx, actor, s.PostmortemID, in); err != nil {
			return err
		}
		f.RetroSessionID, f.RetroThemeID = &sessionID, theme
		return tx.Model(&ContributingFactor{}).Where("id = ?", f.ID).
			Updates(map[string]any{"retro_session_id": sessionID, "retro_theme_id": theme}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("models: add retro factor: %w", TranslateError(err))
	}
	return f, nil
}

// ListRetroFactors returns the factors written in a session.
func ListRetroFactors(ctx context.Context, db *gorm.DB, sessionID int64) ([]ContributingFactor, error) {
	var out []ContributingFactor
	if err := db.WithContext(ctx).Preload("CreatedBy").Where("retro_session_id = ?", sessionID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: retro factors: %w", TranslateError(err))
	}
	return out, nil
}

// AddRetroActionItem creates an action item in a retro (source retro),
// while discussing or in the action items phase; with a postmortem it
// belongs to the postmortem too. A retro's item needs an owner and a due
// date (checked first, before the phase).
func AddRetroActionItem(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, in NewActionItem) (*ActionItem, error) {
	v := &ValidationError{}
	if strings.TrimSpace(in.Owner) == "" {
		v.Add("owner", "Every action item needs an owner.")
	}
	if strings.TrimSpace(in.DueDate) == "" {
		v.Add("due_date", "Every action item needs a due date.")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("models: retro action item: %w", err)
	}
	var a *ActionItem
	err := retroWrite(ctx, lt, sessionID, RetroEventAction, func() int64 { return a.ID }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "action items are added", PhaseDiscuss, PhaseActions)
		if err != nil {
			return err
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		in.SourceKind = SourceRetro
		if s.PostmortemID != nil {
			pm, err := getPostmortemRow(ctx, tx, *s.PostmortemID)
			if err != nil {
				return err
			}
			in.IncidentID = &pm.IncidentID
		}
		created, err := CreateActionItem(ctx, tx, actor, in)
		if err != nil {
			return err
		}
		if err := tx.Model(&ActionItem{}).Where("id = ?", created.ID).
			Updates(map[string]any{"retro_session_id": sessionID, "postmortem_id": s.PostmortemID}).Error; err != nil {
			return err
		}
		a, err = GetActionItem(ctx, tx, created.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: retro action item: %w", TranslateError(err))
	}
	return a, nil
}

// ListRetroActionItems returns the action items written in a session.
func ListRetroActionItems(ctx context.Context, db *gorm.DB, sessionID int64) ([]ActionItem, error) {
	var out []ActionItem
	err := db.WithContext(ctx).Preload("Owner").Preload("Team").Preload("Component").
		Where("retro_session_id = ?", sessionID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: retro action items: %w", TranslateError(err))
	}
	return out, nil
}
