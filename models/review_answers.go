package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Answer states. The empty state is "not answered yet".
const (
	AnswerUnanswered    = ""
	AnswerMet           = "met"
	AnswerPartial       = "partial"
	AnswerNotMet        = "not_met"
	AnswerNotApplicable = "not_applicable"
)

// answerStates lists the answer states a person can choose.
var answerStates = []string{AnswerMet, AnswerPartial, AnswerNotMet, AnswerNotApplicable}

// AnswerStateLabel names a state.
func AnswerStateLabel(s string) string {
	switch s {
	case AnswerMet:
		return "Met"
	case AnswerPartial:
		return "Partly met"
	case AnswerNotMet:
		return "Not met"
	case AnswerNotApplicable:
		return "Not applicable"
	}
	return "Not answered"
}

// ReviewAnswer is the answer to one question of a review. Each row has its
// own version: people answering different questions never collide.
type ReviewAnswer struct {
	ID          int64
	ReviewID    int64
	QuestionKey string
	State       string
	Reason      string
	Notes       string
	Evidence    []string `gorm:"serializer:json"`
	Version     int
	UpdatedByID *int64
	UpdatedBy   *User `gorm:"foreignKey:UpdatedByID"`
	AnsweredAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AnswerInput is what a person saves for a question.
type AnswerInput struct {
	State    string
	Reason   string
	Notes    string
	Evidence []string
}

// ParseEvidence splits evidence text into links, one per line.
func ParseEvidence(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (in *AnswerInput) validate() error {
	v := &ValidationError{}
	in.Reason = strings.TrimSpace(CleanText(in.Reason))
	in.Notes = strings.TrimSpace(CleanText(in.Notes))
	if in.State != AnswerUnanswered && !oneOf(in.State, answerStates...) {
		v.Add("state", "Choose met, partly met, not met or not applicable.")
	}
	if in.State == AnswerNotApplicable && in.Reason == "" {
		v.Add("reason", "Say why this question does not apply; “not applicable” needs a reason.")
	}
	if len(in.Notes) > 20000 {
		v.Add("notes", "Keep notes under 20,000 characters.")
	}
	var ev []string
	for _, e := range in.Evidence {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if !validHTTPURL(e) {
			v.Add("evidence", fmt.Sprintf("%q is not a link; put one full http(s) link per line.", e))
		}
		ev = append(ev, e)
	}
	if len(ev) > 50 {
		v.Add("evidence", "Link at most 50 pieces of evidence.")
	}
	if ev == nil {
		ev = []string{}
	}
	in.Evidence = ev
	return v.Err()
}

// GetAnswer loads one answer of a review.
func GetAnswer(ctx context.Context, db *gorm.DB, reviewID int64, key string) (*ReviewAnswer, error) {
	var a ReviewAnswer
	err := db.WithContext(ctx).Preload("UpdatedBy").Where("review_id = ? AND question_key = ?", reviewID, key).Take(&a).Error
	if err != nil {
		return nil, fmt.Errorf("models: answer %s of review %d: %w", key, reviewID, TranslateError(err))
	}
	return &a, nil
}

// ListAnswers returns every answer of a review keyed by question key.
func ListAnswers(ctx context.Context, db *gorm.DB, reviewID int64) (map[string]*ReviewAnswer, error) {
	var rows []ReviewAnswer
	if err := db.WithContext(ctx).Preload("UpdatedBy").Where("review_id = ?", reviewID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: answers of review %d: %w", reviewID, TranslateError(err))
	}
	out := make(map[string]*ReviewAnswer, len(rows))
	for i := range rows {
		out[rows[i].QuestionKey] = &rows[i]
	}
	return out, nil
}

// SaveAnswer stores an answer when version is the stored one. A stale
// version returns a ConflictError whose Current is the answer as stored,
// so both values can be shown; nothing is overwritten. Answering a draft
// review starts it.
func SaveAnswer(ctx context.Context, db *gorm.DB, actor Actor, reviewID int64, key string, version int, in AnswerInput) (*ReviewAnswer, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Review
		if err := tx.Where("id = ?", reviewID).Take(&r).Error; err != nil {
			return err
		}
		if !r.Editable() {
			return StateErrorf("The review is %s; answers can no longer change.", strings.ReplaceAll(r.Status, "_", " "))
		}
		before, err := GetAnswer(ctx, tx, reviewID, key)
		if err != nil {
			return err
		}
		now := Now(tx)
		set := map[string]any{
			"state": in.State, "reason": in.Reason, "notes": in.Notes, "evidence": mustJSON(in.Evidence),
			"version": gorm.Expr("version + 1"), "updated_at": now, "updated_by_id": nil,
		}
		if actor.UserID != 0 {
			set["updated_by_id"] = actor.UserID
		}
		if in.State != before.State {
			set["answered_at"] = now
		}
		res := tx.Model(&ReviewAnswer{}).Where("id = ? AND version = ?", before.ID, version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "answer", Current: before, Submitted: in}
		}
		if r.Status == ReviewDraft {
			if err := tx.Model(&Review{}).Where("id = ? AND status = ?", reviewID, ReviewDraft).
				Updates(map[string]any{"status": ReviewInProgress, "started_at": now, "updated_at": now}).Error; err != nil {
				return err
			}
			if err := Audit(ctx, tx, actor, AuditStateChange, "review", reviewID, "started review with the first answer",
				map[string]Change{"status": {From: ReviewDraft, To: ReviewInProgress}}); err != nil {
				return err
			}
		}
		after := *before
		after.State, after.Reason, after.Notes, after.Evidence = in.State, in.Reason, in.Notes, in.Evidence
		return Audit(ctx, tx, actor, AuditUpdate, "review_answer", fmt.Sprintf("%d/%s", reviewID, key),
			"answered "+key+": "+AnswerStateLabel(in.State), Diff(before, &after, "State", "Reason", "Notes", "Evidence"))
	})
	if err != nil {
		var ce *ConflictError
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, fmt.Errorf("models: save answer %s of review %d: %w", key, reviewID, TranslateError(err))
	}
	return GetAnswer(ctx, db, reviewID, key)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
