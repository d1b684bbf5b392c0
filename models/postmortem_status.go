package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// Postmortem statuses: a draft is written, then reviewed, then published.
// A published postmortem is read-only except for its action items.
const (
	PostmortemDraft     = "draft"
	PostmortemInReview  = "in_review"
	PostmortemPublished = "published"
)

// postmortemStatuses lists the statuses in order.
var postmortemStatuses = []string{PostmortemDraft, PostmortemInReview, PostmortemPublished}

// PostmortemStatuses are the statuses of a postmortem in order.
func PostmortemStatuses() []string { return slices.Clone(postmortemStatuses) }

// PostmortemStatusLabel names a status for people.
func PostmortemStatusLabel(s string) string {
	switch s {
	case PostmortemDraft:
		return "Draft"
	case PostmortemInReview:
		return "In review"
	case PostmortemPublished:
		return "Published"
	}
	return s
}

// postmortemMoves are the allowed status changes. Publishing is for
// facilitators and reopening a published postmortem for admins; the route
// table enforces who may call which.
var postmortemMoves = map[string][]string{
	PostmortemDraft:     {PostmortemInReview},
	PostmortemInReview:  {PostmortemDraft, PostmortemPublished},
	PostmortemPublished: {PostmortemDraft},
}

// ChangePostmortemStatus moves a postmortem from one status to another.
// from must be the current status (compare-and-set): a second click or a
// stale page gets a conflict instead of moving it twice.
func ChangePostmortemStatus(ctx context.Context, db *gorm.DB, actor Actor, id int64, from, to string) (*Postmortem, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetPostmortem(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != from {
			return &ConflictError{What: "postmortem status", Current: before, Submitted: to}
		}
		if !slices.Contains(postmortemMoves[from], to) {
			return StateErrorf("A %s postmortem cannot become %s.",
				PostmortemStatusLabel(from), PostmortemStatusLabel(to))
		}
		now := Now(tx)
		set := map[string]any{"status": to, "version": gorm.Expr("version + 1"), "updated_at": now}
		switch to {
		case PostmortemInReview:
			set["review_requested_at"] = now
		case PostmortemPublished:
			set["published_at"] = now
		case PostmortemDraft:
			set["published_at"] = nil
		}
		res := tx.Model(&Postmortem{}).Where("id = ? AND status = ?", id, from).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "postmortem status", Current: before, Submitted: to}
		}
		verb := map[string]string{PostmortemInReview: "sent for review", PostmortemPublished: "published", PostmortemDraft: "moved back to draft"}[to]
		return Audit(ctx, tx, actor, AuditStateChange, "postmortem", id, verb+" the postmortem of "+before.Incident.Key(),
			map[string]Change{"status": {From: from, To: to}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: postmortem %d status: %w", id, TranslateError(err))
	}
	return GetPostmortem(ctx, db, id)
}
