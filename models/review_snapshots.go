package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReviewSnapshot is the immutable record of a completed review. The
// database refuses to change or delete it.
type ReviewSnapshot struct {
	ID                int64
	ReviewID          int64
	TemplateVersionID int64
	TakenAt           time.Time
	Data              string
}

// ReviewState is a review's content at one moment: taken from its
// snapshot once completed, or from the live tables before. Compare,
// readouts and the API read it.
type ReviewState struct {
	ReviewID        int64          `json:"review_id"`
	Title           string         `json:"title"`
	Status          string         `json:"status"`
	ComponentID     int64          `json:"component_id"`
	ComponentSlug   string         `json:"component"`
	ComponentName   string         `json:"component_name"`
	TemplateKey     string         `json:"template"`
	TemplateName    string         `json:"template_name"`
	TemplateNumber  int            `json:"template_version"`
	Facilitator     string         `json:"facilitator"`
	Participants    []string       `json:"participants"`
	ScheduledFor    string         `json:"scheduled_for,omitempty"`
	StartedAt       *time.Time     `json:"started_at,omitempty"`
	CompletedAt     *time.Time     `json:"completed_at,omitempty"`
	Decision        string         `json:"decision,omitempty"`
	DecisionNotes   string         `json:"decision_notes,omitempty"`
	SignedOffBy     string         `json:"signed_off_by,omitempty"`
	Sections        []StateSection `json:"sections"`
	Findings        []StateFinding `json:"findings"`
	Score           Score          `json:"score"`
	FromSnapshot    bool           `json:"-"`
	SnapshotTakenAt *time.Time     `json:"-"`
}

// StateSection is a section with its questions and answers.
type StateSection struct {
	Key       string          `json:"key"`
	Title     string          `json:"title"`
	Questions []StateQuestion `json:"questions"`
}

// StateQuestion is a question and its answer.
type StateQuestion struct {
	Key      string   `json:"key"`
	Prompt   string   `json:"prompt"`
	Risk     string   `json:"risk"`
	State    string   `json:"state"`
	Reason   string   `json:"reason,omitempty"`
	Notes    string   `json:"notes,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// StateFinding is a finding as the review saw it.
type StateFinding struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	Risk          string `json:"risk"`
	Status        string `json:"status"`
	QuestionKey   string `json:"question_key,omitempty"`
	CarriedOver   bool   `json:"carried_over"`
	RaisedIn      int64  `json:"raised_in_review"`
	Approver      string `json:"approver,omitempty"`
	Rationale     string `json:"rationale,omitempty"`
	AcceptedUntil string `json:"accepted_until,omitempty"`
}

// Question returns the answered question with key, if the review has it.
func (s *ReviewState) Question(key string) (StateQuestion, string, bool) {
	for _, sec := range s.Sections {
		for _, q := range sec.Questions {
			if q.Key == key {
				return q, sec.Title, true
			}
		}
	}
	return StateQuestion{}, "", false
}

// liveState builds the state from the live tables.
func liveState(ctx context.Context, db *gorm.DB, r *Review) (*ReviewState, error) {
	answers, err := ListAnswers(ctx, db, r.ID)
	if err != nil {
		return nil, err
	}
	findings, err := ListReviewFindings(ctx, db, r.ID)
	if err != nil {
		return nil, err
	}
	tv := r.TemplateVersion
	st := &ReviewState{
		ReviewID: r.ID, Title: r.Title, Status: r.Status, ComponentID: r.ComponentID,
		TemplateKey: tv.Key(), TemplateName: tv.Name, TemplateNumber: tv.Number,
		StartedAt: r.StartedAt, CompletedAt: r.CompletedAt, Decision: r.Decision, DecisionNotes: r.DecisionNotes,
		Participants: []string{}, Sections: []StateSection{}, Findings: []StateFinding{},
	}
	if r.Component != nil {
		st.ComponentSlug, st.ComponentName = r.Component.Slug, r.Component.Name
	}
	if r.Facilitator != nil {
		st.Facilitator = r.Facilitator.Name
	}
	if r.SignedOffBy != nil {
		st.SignedOffBy = r.SignedOffBy.Name
	}
	if r.ScheduledFor != nil {
		st.ScheduledFor = r.ScheduledFor.String()
	}
	for _, p := range r.Participants {
		st.Participants = append(st.Participants, p.Name)
	}
	for _, sec := range tv.Sections {
		ss := StateSection{Key: sec.Key, Title: sec.Title, Questions: []StateQuestion{}}
		for _, q := range sec.Questions {
			sq := StateQuestion{Key: q.Key, Prompt: q.Prompt, Risk: q.Risk}
			if a := answers[q.Key]; a != nil {
				sq.State, sq.Reason, sq.Notes, sq.Evidence = a.State, a.Reason, a.Notes, a.Evidence
			}
			ss.Questions = append(ss.Questions, sq)
		}
		st.Sections = append(st.Sections, ss)
	}
	for _, f := range findings {
		sf := StateFinding{ID: f.ID, Title: f.Title, Risk: f.Risk, Status: f.Status, QuestionKey: f.QuestionKey,
			CarriedOver: f.CarriedOver, RaisedIn: f.ReviewID, Rationale: f.AcceptanceRationale}
		if f.Approver != nil {
			sf.Approver = f.Approver.Name
		}
		if f.AcceptedUntil != nil {
			sf.AcceptedUntil = f.AcceptedUntil.String()
		}
		st.Findings = append(st.Findings, sf)
	}
	st.Score = ComputeScore(ScoredQuestions(tv, answers))
	return st, nil
}

// takeSnapshot stores the review's state; called when it completes.
func takeSnapshot(ctx context.Context, tx *gorm.DB, reviewID int64) error {
	r, err := GetReview(ctx, tx, reviewID)
	if err != nil {
		return err
	}
	st, err := liveState(ctx, tx, r)
	if err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return tx.Create(&ReviewSnapshot{ReviewID: reviewID, TemplateVersionID: r.TemplateVersionID, TakenAt: Now(tx), Data: string(b)}).Error
}

// GetSnapshot loads a review's snapshot (ErrNotFound before completion).
func GetSnapshot(ctx context.Context, db *gorm.DB, reviewID int64) (*ReviewSnapshot, error) {
	var s ReviewSnapshot
	if err := db.WithContext(ctx).Where("review_id = ?", reviewID).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: snapshot of review %d: %w", reviewID, TranslateError(err))
	}
	return &s, nil
}

// StateOfReview returns the review's state: its snapshot when it has one,
// the live content otherwise.
func StateOfReview(ctx context.Context, db *gorm.DB, r *Review) (*ReviewState, error) {
	snap, err := GetSnapshot(ctx, db, r.ID)
	switch {
	case err == nil:
		var st ReviewState
		if err := json.Unmarshal([]byte(snap.Data), &st); err != nil {
			return nil, fmt.Errorf("models: snapshot of review %d: %w", r.ID, err)
		}
		st.Status = r.Status // archiving after completion is visible
		st.FromSnapshot, st.SnapshotTakenAt = true, &snap.TakenAt
		return &st, nil
	case errors.Is(err, ErrNotFound):
		return liveState(ctx, db, r)
	}
	return nil, err
}
