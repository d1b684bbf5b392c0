package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SignOff is the decision that completes a review.
type SignOff struct {
	Decision string
	Notes    string
}

// TransitionReview moves a review through its lifecycle. Illegal moves
// return a StateError; moves the user may not make return ErrForbidden.
// Submitting needs every question answered; completing needs a decision
// (and notes unless the decision is "ready"), and stores the snapshot.
// today is the date the cadence counts from.
func TransitionReview(ctx context.Context, db *gorm.DB, actor Actor, id int64, action string, so SignOff) (*Review, error) {
	t, ok := reviewTransitions[action]
	if !ok {
		return nil, fmt.Errorf("models: review %d: %w", id, StateErrorf("Unknown action %q.", action))
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := GetReview(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := GetUser(ctx, tx, actor.UserID)
		if err != nil {
			return ErrForbidden
		}
		if action == ActionComplete {
			if !CanSignOff(u, r) {
				return fmt.Errorf("%w: only the review's facilitator or an admin signs off", ErrForbidden)
			}
		} else if !CanManageReview(u, r) {
			return fmt.Errorf("%w: only the facilitator, the creator, facilitators and admins run a review", ErrForbidden)
		}
		if !oneOf(r.Status, t.from...) {
			return StateErrorf("A review that is %s cannot %s.", strings.ReplaceAll(r.Status, "_", " "), action)
		}
		now := Now(tx)
		set := map[string]any{"status": t.to, "version": gorm.Expr("version + 1"), "updated_at": now}
		changes := map[string]Change{"status": {From: r.Status, To: t.to}}
		switch action {
		case ActionStart:
			set["started_at"] = now
		case ActionSubmit:
			var open int64
			if err := tx.Model(&ReviewAnswer{}).Where("review_id = ? AND state = ''", id).Count(&open).Error; err != nil {
				return err
			}
			if open > 0 {
				unanswered := fmt.Sprintf("%d questions are", open)
				if open == 1 {
					unanswered = "1 question is"
				}
				return StateErrorf("%s still unanswered; answer every question (not applicable with a reason is an answer) before asking for sign-off.", unanswered)
			}
			set["submitted_at"] = now
		case ActionComplete:
			so.Notes = strings.TrimSpace(CleanText(so.Notes))
			v := &ValidationError{}
			if !oneOf(so.Decision, decisions...) {
				v.Add("decision", "Choose ready, ready with conditions or not ready.")
			} else if so.Decision != DecisionReady && so.Notes == "" {
				v.Add("decision_notes", "Write down the conditions or why it is not ready; the readout shows them.")
			}
			if err := v.Err(); err != nil {
				return err
			}
			set["completed_at"], set["decision"], set["decision_notes"], set["signed_off_by_id"] = now, so.Decision, so.Notes, actor.UserID
			changes["decision"] = Change{To: so.Decision}
		case ActionArchive:
			set["archived_at"] = now
		}
		res := tx.Model(&Review{}).Where("id = ? AND status = ?", id, r.Status).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StateErrorf("The review changed meanwhile; reload it.")
		}
		if action == ActionComplete {
			if err := markComponentReviewed(tx, r.ComponentID, now); err != nil {
				return err
			}
			if err := takeSnapshot(ctx, tx, id); err != nil {
				return err
			}
		}
		return Audit(ctx, tx, actor, AuditStateChange, "review", id, fmt.Sprintf("%s review %s", action, quote(r.Title)), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: review %d %s: %w", id, action, TranslateError(err))
	}
	return GetReview(ctx, db, id)
}

// markComponentReviewed moves the component's cadence forward from a
// completed review (never backwards).
func markComponentReviewed(tx *gorm.DB, componentID int64, at time.Time) error {
	var c Component
	if err := tx.Where("id = ?", componentID).Take(&c).Error; err != nil {
		return err
	}
	if c.LastReviewedAt != nil && c.LastReviewedAt.After(at) {
		return nil
	}
	return tx.Model(&Component{}).Where("id = ?", componentID).Updates(map[string]any{
		"last_reviewed_at": at, "next_review_due": nextDue(&at, c.ReviewIntervalDays),
	}).Error
}
