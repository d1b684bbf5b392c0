package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// UpdateActionItem changes an item's fields when version is still the
// stored one; otherwise it returns a ConflictError holding the fresh item.
func UpdateActionItem(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in ActionItemInput) (*ActionItem, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		r, err := resolveActionInput(ctx, tx, &in)
		if err != nil {
			return err
		}
		res := tx.Model(&ActionItem{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"title": in.Title, "description": in.Description, "priority": in.Priority,
			"owner_id": r.ownerID, "team_id": r.teamID, "due_date": r.due, "external_url": in.ExternalURL,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "action item", Current: before, Submitted: in}
		}
		after, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "action_item", id, "updated action item "+quote(after.Title),
			Diff(before, after, "Title", "Description", "Priority", "OwnerID", "TeamID", "DueDate", "ExternalURL"))
	})
	if err != nil {
		return nil, fmt.Errorf("models: update action item %d: %w", id, TranslateError(err))
	}
	return GetActionItem(ctx, db, id)
}

// ChangeActionStatus moves an item to status, recording who did it and
// why in its history. wont_do needs a reason; done may carry a completion
// note. Closing sets closed_at and reopening clears it. version 0 skips the
// stale-version check (for one-click changes that cannot lose an edit).
func ChangeActionStatus(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, status, note string) (*ActionItem, error) {
	note = strings.TrimSpace(CleanText(note))
	if !oneOf(status, actionStatuses...) {
		return nil, FieldError("status", "Choose open, in progress, blocked, done or won't do.")
	}
	if status == ActionWontDo && note == "" {
		return nil, FieldError("status_reason", "Say why this won't be done; the reason stays with the item.")
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return &ConflictError{What: "action item", Current: before, Submitted: status}
		}
		if before.Status == status {
			return StateErrorf("The item is already %s.", strings.ToLower(ActionStatusLabel(status)))
		}
		set := map[string]any{"version": gorm.Expr("version + 1"), "updated_at": Now(tx)}
		statusSet(ctx, tx, set, status, note)
		res := tx.Model(&ActionItem{}).Where("id = ? AND version = ?", id, before.Version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "action item", Current: before, Submitted: status}
		}
		if err := addActionEvent(tx, actor, id, before.Status, status, note); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditStateChange, "action_item", id,
			fmt.Sprintf("moved action item %s to %s", quote(before.Title), ActionStatusLabel(status)),
			map[string]Change{"status": {From: before.Status, To: status}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: action item %d status: %w", id, TranslateError(err))
	}
	return GetActionItem(ctx, db, id)
}

// statusSet adds to set the columns that moving an item to status
// changes: the status, the reason or completion note, and closed_at and
// closed_on (set on closing, cleared otherwise).
func statusSet(ctx context.Context, db *gorm.DB, set map[string]any, status, note string) {
	set["status"] = status
	switch {
	case status == ActionWontDo:
		set["status_reason"], set["closed_at"], set["closed_on"] = note, Now(db), closedOn(ctx, db)
	case status == ActionDone:
		set["completion_note"], set["status_reason"], set["closed_at"], set["closed_on"] = note, "", Now(db), closedOn(ctx, db)
	default:
		set["closed_at"], set["closed_on"] = nil, nil
		if status == ActionBlocked {
			set["status_reason"] = note
		} else {
			set["status_reason"] = ""
		}
	}
}
