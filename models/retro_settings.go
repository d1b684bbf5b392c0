package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// RetroSettings are what the facilitator sets up in the first phase.
type RetroSettings struct {
	Title      string
	Agenda     string
	Anonymous  bool
	VoteBudget int
	Prompts    []string
}

// UpdateRetroSettings changes the set-up of a session. Only the
// facilitator may. Prompts change only before reflection starts, the vote
// budget only before voting starts, and anonymity cannot be switched off
// once a note exists (it would reveal their authors).
func UpdateRetroSettings(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, version int, in RetroSettings) (*RetroSession, error) {
	var out *RetroSession
	err := retroWrite(ctx, lt, sessionID, RetroEventSettings, nil, func(tx *gorm.DB) error {
		s, err := GetRetro(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator changes the retro's set-up", ErrForbidden)
		}
		if s.Closed() {
			return StateErrorf("The retro is closed.")
		}
		if s.Version != version {
			return &ConflictError{What: "retro settings", Current: s, Submitted: in, Message: "Someone else changed this a moment ago."}
		}
		v := &ValidationError{}
		in.Title = CleanLine(in.Title)
		in.Agenda = strings.TrimSpace(CleanText(in.Agenda))
		if in.Title == "" || len([]rune(in.Title)) > 200 {
			v.Add("title", "Name the retro (at most 200 characters).")
		}
		validateBudget(in.VoteBudget, v)
		prompts := normalizePrompts(in.Prompts, v)
		var current []string
		for _, p := range s.Prompts {
			current = append(current, p.Text)
		}
		if strings.Join(prompts, "\n") != strings.Join(current, "\n") && phaseIndex(s.Phase) >= phaseIndex(PhaseReflect) {
			v.Add("prompts", "Prompts can change only before reflection starts.")
		}
		if in.VoteBudget != s.VoteBudget && phaseIndex(s.Phase) >= phaseIndex(PhaseVote) {
			v.Add("vote_budget", "The vote budget can change only before voting starts.")
		}
		if s.Anonymous && !in.Anonymous {
			var n int64
			if err := tx.Model(&RetroNote{}).Where("session_id = ?", sessionID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				v.Add("anonymous", "Notes were written anonymously; switching anonymity off now would reveal their authors.")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		res := tx.Model(&RetroSession{}).Where("id = ? AND version = ?", sessionID, version).Updates(map[string]any{
			"title": in.Title, "agenda": in.Agenda, "anonymous": in.Anonymous, "vote_budget": in.VoteBudget,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "retro settings", Current: s, Submitted: in, Message: "Someone else changed this a moment ago."}
		}
		if err := replacePrompts(ctx, tx, sessionID, prompts); err != nil {
			return err
		}
		after := *s
		after.Title, after.Agenda, after.Anonymous, after.VoteBudget = in.Title, in.Agenda, in.Anonymous, in.VoteBudget
		changes := Diff(s, &after, "Title", "Agenda", "Anonymous", "VoteBudget")
		if strings.Join(prompts, "\n") != strings.Join(current, "\n") {
			changes["prompts"] = Change{From: current, To: prompts}
		}
		if err := Audit(ctx, tx, actor, AuditUpdate, "retro", sessionID, "changed the set-up of the retro "+quote(in.Title), changes); err != nil {
			return err
		}
		out, err = GetRetro(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: retro %d settings: %w", sessionID, TranslateError(err))
	}
	return out, nil
}
