package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Proposal statuses.
const (
	ProposalProposed  = "proposed"
	ProposalAccepted  = "accepted"
	ProposalDismissed = "dismissed"
)

// RetroProposal is a timeline event a participant thinks is missing. The
// facilitator accepts it into the incident's timeline or dismisses it.
type RetroProposal struct {
	ID              int64
	SessionID       int64
	AuthorID        *int64
	Author          *User `gorm:"foreignKey:AuthorID"`
	OccurredAt      time.Time
	Kind            string
	Text            string
	Status          string
	TimelineEventID *int64
	DecidedByID     *int64
	DecidedAt       *time.Time
	CreatedAt       time.Time
}

// ProposeTimelineEvent records a proposal while walking the timeline.
func ProposeTimelineEvent(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, in TimelineInput) (*RetroProposal, error) {
	var p *RetroProposal
	err := retroWrite(ctx, lt, sessionID, RetroEventProposal, func() int64 { return p.ID }, func(tx *gorm.DB) error {
		if _, err := requirePhase(ctx, tx, sessionID, "missing events are proposed", PhaseTimeline); err != nil {
			return err
		}
		in.Milestone = ""
		if err := in.Validate().Err(); err != nil {
			return err
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		p = &RetroProposal{SessionID: sessionID, OccurredAt: *in.OccurredAt, Kind: in.Kind, Text: in.Text, Status: ProposalProposed, CreatedAt: Now(tx)}
		if actor.UserID != 0 {
			uid := actor.UserID
			p.AuthorID = &uid
		}
		if err := tx.Omit("Author").Create(p).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "retro", sessionID, "proposed a timeline event", map[string]Change{"proposal_id": {To: p.ID}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: propose timeline event: %w", TranslateError(err))
	}
	return p, nil
}

// DecideProposal accepts a proposal into the incident's timeline (in the
// same transaction) or dismisses it. Only the facilitator decides, and
// only once: a second decision finds it decided.
func DecideProposal(ctx context.Context, lt LiveTx, actor Actor, sessionID, id int64, accept bool) (*RetroProposal, error) {
	var p RetroProposal
	err := retroWrite(ctx, lt, sessionID, RetroEventProposal, func() int64 { return id }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "proposals are decided", PhaseTimeline)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator accepts proposals into the timeline", ErrForbidden)
		}
		if s.PostmortemID == nil {
			return StateErrorf("This retro has no incident timeline.")
		}
		if err := tx.Where("id = ? AND session_id = ?", id, sessionID).Take(&p).Error; err != nil {
			return err
		}
		if p.Status != ProposalProposed {
			return &ConflictError{What: "proposal", Current: &p, Message: "Someone else changed this a moment ago."}
		}
		now := Now(tx)
		set := map[string]any{"status": ProposalDismissed, "decided_by_id": actor.UserID, "decided_at": now}
		if accept {
			pm, err := getPostmortemRow(ctx, tx, *s.PostmortemID)
			if err != nil {
				return err
			}
			at := p.OccurredAt
			evs, err := addTimelineEventsTx(ctx, tx, actor, pm.IncidentID, []TimelineInput{{OccurredAt: &at, Kind: p.Kind, Text: p.Text, Source: "retro"}})
			if err != nil {
				return err
			}
			set["status"], set["timeline_event_id"] = ProposalAccepted, evs[0].ID
		}
		res := tx.Model(&RetroProposal{}).Where("id = ? AND status = ?", id, ProposalProposed).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "proposal", Current: &p, Message: "Someone else changed this a moment ago."}
		}
		p.Status = set["status"].(string)
		return Audit(ctx, tx, actor, AuditStateChange, "retro", sessionID, p.Status+" a proposed timeline event", map[string]Change{"proposal_id": {To: id}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: decide proposal %d: %w", id, TranslateError(err))
	}
	return &p, nil
}

// ListRetroProposals returns a session's proposals in time order.
func ListRetroProposals(ctx context.Context, db *gorm.DB, sessionID int64) ([]RetroProposal, error) {
	var out []RetroProposal
	if err := db.WithContext(ctx).Preload("Author").Where("session_id = ?", sessionID).Order("occurred_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: retro proposals: %w", TranslateError(err))
	}
	return out, nil
}
