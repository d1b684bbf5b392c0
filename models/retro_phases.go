package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The phases of a retro, in order. Only the facilitator moves a session,
// one phase at a time, by compare-and-set on the phase it is in.
const (
	PhaseStage    = "stage"    // set the stage: goal, ground rules, set-up
	PhaseReview   = "review"   // open action items of earlier retros and reviews
	PhaseTimeline = "timeline" // walk the incident's timeline, propose what is missing
	PhaseReflect  = "reflect"  // private notes per prompt
	PhaseGroup    = "group"    // group the revealed notes into themes
	PhaseVote     = "vote"     // a budget of votes per person
	PhaseDiscuss  = "discuss"  // findings and contributing factors per theme
	PhaseActions  = "actions"  // action items with owners and due dates
	PhaseClose    = "close"    // the closing summary
	PhaseClosed   = "closed"   // over: the summary is part of the postmortem
)

// allPhases lists every phase in order.
var allPhases = []string{PhaseStage, PhaseReview, PhaseTimeline, PhaseReflect, PhaseGroup, PhaseVote, PhaseDiscuss, PhaseActions, PhaseClose, PhaseClosed}

// PhaseLabel names a phase for people.
func PhaseLabel(p string) string {
	switch p {
	case PhaseStage:
		return "Set the stage"
	case PhaseReview:
		return "Review past actions"
	case PhaseTimeline:
		return "Walk the timeline"
	case PhaseReflect:
		return "Reflect"
	case PhaseGroup:
		return "Group"
	case PhaseVote:
		return "Vote"
	case PhaseDiscuss:
		return "Discuss"
	case PhaseActions:
		return "Action items"
	case PhaseClose:
		return "Close"
	case PhaseClosed:
		return "Closed"
	}
	return p
}

func phaseIndex(p string) int { return slices.Index(allPhases, p) }

// Phases are the phases this session passes through: a session without an
// incident has no timeline to walk.
func (s *RetroSession) Phases() []string {
	if s.PostmortemID != nil {
		return allPhases
	}
	out := make([]string, 0, len(allPhases)-1)
	for _, p := range allPhases {
		if p != PhaseTimeline {
			out = append(out, p)
		}
	}
	return out
}

// NextPhase is the phase after the current one ("" when closed).
func (s *RetroSession) NextPhase() string {
	ps := s.Phases()
	if i := slices.Index(ps, s.Phase); i >= 0 && i+1 < len(ps) {
		return ps[i+1]
	}
	return ""
}

// PrevPhase is the phase before the current one ("" in the first phase
// and once closed: a closed retro does not reopen).
func (s *RetroSession) PrevPhase() string {
	ps := s.Phases()
	if i := slices.Index(ps, s.Phase); i > 0 && s.Phase != PhaseClosed {
		return ps[i-1]
	}
	return ""
}

// PhaseAtLeast reports whether the session is in phase p or later.
func (s *RetroSession) PhaseAtLeast(p string) bool { return phaseIndex(s.Phase) >= phaseIndex(p) }

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

// requirePhase returns the session if it is in one of the phases, an
// StateError saying when the action is possible otherwise.
func requirePhase(ctx context.Context, tx *gorm.DB, sessionID int64, what string, phases ...string) (*RetroSession, error) {
	s, err := getRetroRow(ctx, tx, sessionID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(phases, s.Phase) {
		labels := make([]string, 0, len(phases))
		for _, p := range phases {
			labels = append(labels, PhaseLabel(p))
		}
		return nil, StateErrorf("%s only in the phase %s (the retro is in %s).", what,
			strings.Join(labels, " or "), PhaseLabel(s.Phase))
	}
	return s, nil
}

// phaseMovedOn tells someone whose page was a phase behind what happened.
func phaseMovedOn(s *RetroSession) string {
	return "The retro is in “" + PhaseLabel(s.Phase) + "” already; your page has caught up."
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
