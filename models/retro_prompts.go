package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// DefaultRetroPrompts are the reflection prompts of a new session.
// Each call returns a fresh copy.
func DefaultRetroPrompts() []string { return slices.Clone(defaultRetroPrompts) }

var defaultRetroPrompts = []string{"What went well?", "What was hard?", "What surprised you?", "Where did we get lucky?"}

func normalizePrompts(in []string, v *ValidationError) []string {
	out := make([]string, 0, len(in))
	for _, p := range in {
		p = CleanLine(p)
		if p == "" {
			continue
		}
		if len([]rune(p)) > 200 {
			v.Add("prompts", "Keep each prompt under 200 characters.")
		}
		out = append(out, p)
	}
	switch {
	case len(out) == 0:
		v.Add("prompts", "Give at least one prompt to reflect on, one per line.")
	case len(out) > 8:
		v.Add("prompts", "Use at most 8 prompts.")
	}
	return out
}

func replacePrompts(ctx context.Context, tx *gorm.DB, sessionID int64, prompts []string) error {
	var existing []RetroPrompt
	if err := tx.WithContext(ctx).Where("session_id = ?", sessionID).Order("position, id").Find(&existing).Error; err != nil {
		return err
	}
	// Keep the rows of prompts that stay (by position), so nothing that
	// points at them moves.
	for i, text := range prompts {
		if i < len(existing) {
			if existing[i].Text != text || existing[i].Position != i+1 {
				if err := tx.Model(&RetroPrompt{}).Where("id = ?", existing[i].ID).Updates(map[string]any{"text": text, "position": i + 1}).Error; err != nil {
					return err
				}
			}
			continue
		}
		if err := tx.Create(&RetroPrompt{SessionID: sessionID, Position: i + 1, Text: text}).Error; err != nil {
			return err
		}
	}
	for _, p := range existing[min(len(prompts), len(existing)):] {
		if err := tx.Where("id = ?", p.ID).Delete(&RetroPrompt{}).Error; err != nil {
			return err
		}
	}
	return nil
}
