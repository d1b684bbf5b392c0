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

// RetroTheme groups notes that say the same thing.
type RetroTheme struct {
	ID          int64
	SessionID   int64
	Title       string
	CreatedByID *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RetroVote is one vote of a person for a theme.
type RetroVote struct {
	ID        int64
	SessionID int64
	ThemeID   int64
	UserID    int64
	CreatedAt time.Time
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
