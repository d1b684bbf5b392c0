package models

import "time"

// RetroSession is a live retrospective: a facilitator runs it through its
// phases while participants write, group, vote and decide, each in their
// own browser. A session usually belongs to a postmortem; a standalone
// one (a project, a quarter) names the components it is about.
type RetroSession struct {
	ID              int64
	Title           string
	PostmortemID    *int64
	Postmortem      *Postmortem `gorm:"foreignKey:PostmortemID"`
	FacilitatorID   int64
	Facilitator     *User `gorm:"foreignKey:FacilitatorID"`
	Phase           string
	PhaseStartedAt  time.Time
	TimerEndsAt     *time.Time
	TimerSeconds    int
	Anonymous       bool
	VoteBudget      int
	NotesRevealedAt *time.Time
	Agenda          string
	Summary         string
	ClosedAt        *time.Time
	CreatedByID     *int64
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Prompts         []RetroPrompt `gorm:"foreignKey:SessionID"`
	Components      []Component   `gorm:"many2many:retro_session_components;joinForeignKey:SessionID;joinReferences:ComponentID"`
}

// RetroSessionComponent links a standalone session to a component.
type RetroSessionComponent struct {
	SessionID   int64 `gorm:"primaryKey;autoIncrement:false"`
	ComponentID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// RetroPrompt is a question participants reflect on.
type RetroPrompt struct {
	ID        int64
	SessionID int64
	Position  int
	Text      string
}

// RetroParticipant is someone who joined a session.
type RetroParticipant struct {
	SessionID  int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID     int64 `gorm:"primaryKey;autoIncrement:false"`
	User       *User `gorm:"foreignKey:UserID"`
	JoinedAt   time.Time
	ReadyPhase string
	VotesUsed  int
}

// Ready reports whether the participant signalled ready in the phase.
func (p RetroParticipant) Ready(phase string) bool {
	return p.ReadyPhase != "" && p.ReadyPhase == phase
}

// IsFacilitator reports whether the actor runs the session.
func (s *RetroSession) IsFacilitator(a Actor) bool {
	return a.UserID != 0 && a.UserID == s.FacilitatorID
}

// Closed reports whether the session has ended.
func (s *RetroSession) Closed() bool { return s.Phase == PhaseClosed }

// Revealed reports whether the reflection notes are visible to everyone.
func (s *RetroSession) Revealed() bool { return s.NotesRevealedAt != nil }
