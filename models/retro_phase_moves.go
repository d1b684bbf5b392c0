package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// MoveRetroPhase moves a session from phase from to phase to. Only the
// facilitator may, and only one step: forward to the next phase, or back
// to the previous one, which is an explicit, audited step of its own. The
// move is a compare-and-set on from: a stale page (a second tab, a double
// click, a request that arrives late) gets a ConflictError and the phase
// stays where it is, so nothing ever silently skips back. Entering the
// group phase reveals the notes; closing needs a summary (see CloseRetro).
func MoveRetroPhase(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, from, to string) (*RetroSession, error) {
	var moved *RetroSession
	err := retroWrite(ctx, lt, sessionID, RetroEventPhase, nil, func(tx *gorm.DB) error {
		s, err := getRetroRow(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator moves the retro to another phase", ErrForbidden)
		}
		if s.Phase != from {
			return &ConflictError{What: "retro phase", Current: s, Submitted: to, Message: phaseMovedOn(s)}
		}
		back := to == s.PrevPhase() && to != ""
		if !back && (to != s.NextPhase() || to == "") {
			return StateErrorf("The retro moves one phase at a time, from %s to %s or back to %s.",
				PhaseLabel(from), orNone(PhaseLabel(s.NextPhase())), orNone(PhaseLabel(s.PrevPhase())))
		}
		if to == PhaseClosed {
			return StateErrorf("Close the retro with its summary.")
		}
		if err := movePhase(ctx, tx, actor, s, to, back, nil); err != nil {
			return err
		}
		moved, err = GetRetro(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: retro %d phase: %w", sessionID, TranslateError(err))
	}
	return moved, nil
}

func orNone(s string) string {
	if s == "" {
		return "nowhere"
	}
	return s
}

// movePhase writes the compare-and-set.
func movePhase(ctx context.Context, tx *gorm.DB, actor Actor, s *RetroSession, to string, back bool, extra map[string]any) error {
	now := Now(tx)
	set := map[string]any{"phase": to, "phase_started_at": now, "timer_ends_at": nil, "timer_seconds": 0,
		"version": gorm.Expr("version + 1"), "updated_at": now}
	if to == PhaseGroup && s.NotesRevealedAt == nil {
		set["notes_revealed_at"] = now
		if err := joinNoteAuthors(ctx, tx, s.ID); err != nil {
			return err
		}
	}
	for k, v := range extra {
		set[k] = v
	}
	res := tx.WithContext(ctx).Model(&RetroSession{}).Where("id = ? AND phase = ?", s.ID, s.Phase).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return &ConflictError{What: "retro phase", Current: s, Submitted: to, Message: phaseMovedOn(s)}
	}
	verb := "moved the retro on to " + PhaseLabel(to)
	if back {
		verb = "went back to " + PhaseLabel(to)
	}
	return Audit(ctx, tx, actor, AuditStateChange, "retro", s.ID, verb, map[string]Change{"phase": {From: s.Phase, To: to}})
}

// CloseRetro ends a session in its closing phase with its summary
// (Markdown), which the postmortem then shows.
func CloseRetro(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, summary string) (*RetroSession, error) {
	summary = strings.TrimSpace(CleanText(summary))
	var closed *RetroSession
	err := retroWrite(ctx, lt, sessionID, RetroEventPhase, nil, func(tx *gorm.DB) error {
		s, err := getRetroRow(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator closes the retro", ErrForbidden)
		}
		if s.Phase != PhaseClose {
			return &ConflictError{What: "retro phase", Current: s, Submitted: summary, Message: phaseMovedOn(s)}
		}
		switch {
		case summary == "":
			return FieldError("summary", "Write the summary: it becomes part of the postmortem.")
		case len(summary) > MaxMarkdownLength:
			return FieldError("summary", "The summary is too long.")
		}
		if err := movePhase(ctx, tx, actor, s, PhaseClosed, false, map[string]any{"summary": summary, "closed_at": Now(tx)}); err != nil {
			return err
		}
		closed, err = GetRetro(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: close retro %d: %w", sessionID, TranslateError(err))
	}
	return closed, nil
}
