package api

import (
	"time"

	"github.com/debrief-sre/debrief/models"
)

type reviewJSON struct {
	ID              int64         `json:"id"`
	Title           string        `json:"title"`
	Status          string        `json:"status"`
	Component       string        `json:"component"`
	Template        string        `json:"template"`
	TemplateVersion int           `json:"template_version"`
	Facilitator     string        `json:"facilitator"`
	Participants    []string      `json:"participants"`
	ScheduledFor    *models.Date  `json:"scheduled_for"`
	StartedAt       *time.Time    `json:"started_at"`
	SubmittedAt     *time.Time    `json:"submitted_at"`
	CompletedAt     *time.Time    `json:"completed_at"`
	Decision        string        `json:"decision"`
	DecisionNotes   string        `json:"decision_notes"`
	PreviousReview  *int64        `json:"previous_review_id"`
	Version         int           `json:"version"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	Answers         []answerJSON  `json:"answers,omitempty"`
	Findings        []findingJSON `json:"findings,omitempty"`
	Score           *scoreJSON    `json:"score,omitempty"`
}

type answerJSON struct {
	QuestionKey string     `json:"question_key"`
	Section     string     `json:"section,omitempty"`
	Risk        string     `json:"risk,omitempty"`
	State       string     `json:"state"`
	Reason      string     `json:"reason"`
	Notes       string     `json:"notes"`
	Evidence    []string   `json:"evidence"`
	Version     int        `json:"version"`
	UpdatedBy   string     `json:"updated_by"`
	UpdatedAt   time.Time  `json:"updated_at"`
	AnsweredAt  *time.Time `json:"answered_at"`
}

type scoreJSON struct {
	Readiness     float64           `json:"readiness"`
	Formula       string            `json:"formula"`
	Answered      int               `json:"answered"`
	Total         int               `json:"total"`
	Met           int               `json:"met"`
	Partial       int               `json:"partial"`
	NotMet        int               `json:"not_met"`
	NotApplicable int               `json:"not_applicable"`
	Risks         models.RiskCounts `json:"risks"`
}

type findingJSON struct {
	ID                  int64        `json:"id"`
	ReviewID            int64        `json:"review_id"`
	Component           string       `json:"component"`
	QuestionKey         string       `json:"question_key"`
	Title               string       `json:"title"`
	Description         string       `json:"description"`
	Risk                string       `json:"risk"`
	Status              string       `json:"status"`
	Approver            string       `json:"approver"`
	AcceptanceRationale string       `json:"acceptance_rationale"`
	AcceptedUntil       *models.Date `json:"accepted_until"`
	CarriedOver         bool         `json:"carried_over"`
	Version             int          `json:"version"`
	CreatedAt           time.Time    `json:"created_at"`
	UpdatedAt           time.Time    `json:"updated_at"`
}

func toAnswerJSON(a *models.ReviewAnswer) answerJSON {
	j := answerJSON{QuestionKey: a.QuestionKey, State: a.State, Reason: a.Reason, Notes: a.Notes, Evidence: a.Evidence, Version: a.Version,
		UpdatedAt: a.UpdatedAt, AnsweredAt: a.AnsweredAt}
	if j.Evidence == nil {
		j.Evidence = []string{}
	}
	if a.UpdatedBy != nil {
		j.UpdatedBy = a.UpdatedBy.Email
	}
	return j
}

func toFindingJSON(f *models.Finding, component string, carried bool) findingJSON {
	j := findingJSON{ID: f.ID, ReviewID: f.ReviewID, Component: component, QuestionKey: f.QuestionKey, Title: f.Title, Description: f.Description,
		Risk: f.Risk, Status: f.Status, AcceptanceRationale: f.AcceptanceRationale, AcceptedUntil: f.AcceptedUntil, CarriedOver: carried,
		Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
	if f.Approver != nil {
		j.Approver = f.Approver.Email
	}
	return j
}

func toReviewJSON(r *models.Review) reviewJSON {
	j := reviewJSON{ID: r.ID, Title: r.Title, Status: r.Status, ScheduledFor: r.ScheduledFor, StartedAt: r.StartedAt, SubmittedAt: r.SubmittedAt,
		CompletedAt: r.CompletedAt, Decision: r.Decision, DecisionNotes: r.DecisionNotes, PreviousReview: r.PreviousReviewID, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Participants: []string{}}
	if r.Component != nil {
		j.Component = r.Component.Slug
	}
	if r.TemplateVersion != nil {
		j.Template, j.TemplateVersion = r.TemplateVersion.Key(), r.TemplateVersion.Number
	}
	if r.Facilitator != nil {
		j.Facilitator = r.Facilitator.Email
	}
	for _, p := range r.Participants {
		j.Participants = append(j.Participants, p.Email)
	}
	return j
}
