package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RetroNote is one reflection note. Until the facilitator reveals the
// notes, only its author ever sees it; in an anonymous session, nobody but
// the author ever sees who wrote it.
type RetroNote struct {
	ID        int64
	SessionID int64
	PromptID  int64
	AuthorID  int64
	Author    *User `gorm:"foreignKey:AuthorID"`
	Text      string
	ThemeID   *int64
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MaxNoteLength bounds a note.
const MaxNoteLength = 2000

func checkNoteText(text string) (string, error) {
	text = strings.TrimSpace(CleanText(text))
	switch {
	case text == "":
		return "", FieldError("text", "Write something first.")
	case len([]rune(text)) > MaxNoteLength:
		return "", FieldError("text", fmt.Sprintf("Keep a note under %d characters; write several.", MaxNoteLength))
	}
	return text, nil
}

// noteActor is who a note's audit entry names: nobody in an anonymous
// session (the deliberate anonymity of retro notes), the author otherwise.
func noteActor(s *RetroSession, a Actor) Actor {
	if s.Anonymous {
		return Actor{Name: "anonymous participant", IP: ""}
	}
	return a
}

// AddRetroNote adds a note to a prompt, during reflection.
func AddRetroNote(ctx context.Context, lt LiveTx, actor Actor, sessionID, promptID int64, text string) (*RetroNote, error) {
	var n *RetroNote
	err := retroWrite(ctx, lt, sessionID, RetroEventNote, func() int64 { return n.ID }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "notes are written", PhaseReflect)
		if err != nil {
			return err
		}
		if text, err = checkNoteText(text); err != nil {
			return err
		}
		var p RetroPrompt
		if err := tx.Where("id = ? AND session_id = ?", promptID, sessionID).Take(&p).Error; err != nil {
			if errors.Is(TranslateError(err), ErrNotFound) {
				return FieldError("prompt", "Choose one of the prompts.")
			}
			return err
		}
		// In an anonymous session, writing does not make a participant
		// (the list would change the moment someone writes); people join
		// by opening the retro, and writers who had not are added when
		// the notes are revealed, all at once.
		if !s.Anonymous {
			if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
				return err
			}
		}
		now := Now(tx)
		n = &RetroNote{SessionID: sessionID, PromptID: promptID, AuthorID: actor.UserID, Text: text, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Author").Create(n).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, noteActor(s, actor), AuditCreate, "retro", sessionID, "added a reflection note",
			map[string]Change{"note_id": {To: n.ID}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: add retro note: %w", TranslateError(err))
	}
	return n, nil
}

// ownNote loads a note of the session that actor wrote.
func ownNote(ctx context.Context, tx *gorm.DB, actor Actor, sessionID, id int64) (*RetroNote, error) {
	var n RetroNote
	if err := tx.WithContext(ctx).Where("id = ? AND session_id = ?", id, sessionID).Take(&n).Error; err != nil {
		return nil, err
	}
	if n.AuthorID != actor.UserID {
		return nil, fmt.Errorf("%w: only its author changes a note", ErrForbidden)
	}
	return &n, nil
}

// UpdateRetroNote changes the text of one's own note during reflection.
func UpdateRetroNote(ctx context.Context, lt LiveTx, actor Actor, sessionID, id int64, text string) (*RetroNote, error) {
	var n *RetroNote
	err := retroWrite(ctx, lt, sessionID, RetroEventNote, func() int64 { return id }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "notes are edited", PhaseReflect)
		if err != nil {
			return err
		}
		if text, err = checkNoteText(text); err != nil {
			return err
		}
		if n, err = ownNote(ctx, tx, actor, sessionID, id); err != nil {
			return err
		}
		if n.Text == text {
			return nil
		}
		n.Text, n.Version, n.UpdatedAt = text, n.Version+1, Now(tx)
		if err := tx.Model(&RetroNote{}).Where("id = ?", id).Updates(map[string]any{"text": text, "version": n.Version, "updated_at": n.UpdatedAt}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, noteActor(s, actor), AuditUpdate, "retro", sessionID, "edited a reflection note", map[string]Change{"note_id": {To: id}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: edit retro note %d: %w", id, TranslateError(err))
	}
	return n, nil
}

// DeleteRetroNote removes one's own note during reflection.
func DeleteRetroNote(ctx context.Context, lt LiveTx, actor Actor, sessionID, id int64) error {
	err := retroWrite(ctx, lt, sessionID, RetroEventNote, func() int64 { return id }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "notes are removed", PhaseReflect)
		if err != nil {
			return err
		}
		if _, err := ownNote(ctx, tx, actor, sessionID, id); err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&RetroNote{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, noteActor(s, actor), AuditDelete, "retro", sessionID, "removed a reflection note", map[string]Change{"note_id": {From: id}})
	})
	if err != nil {
		return fmt.Errorf("models: delete retro note %d: %w", id, TranslateError(err))
	}
	return nil
}
