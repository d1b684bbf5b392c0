package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// BulkChange changes several action items at once. Nil fields stay as
// they are; an empty Owner or DueDate clears it.
type BulkChange struct {
	IDs []int64
	// Status moves every item to it; Note is the completion note (done),
	// the reason (won't do: required) or what it waits for (blocked).
	Status string
	Note   string
	// Owner is an email; DueDate is YYYY-MM-DD.
	Owner   *string
	DueDate *string
}

// MaxBulkItems caps one bulk change.
const MaxBulkItems = 500

// BulkResult says how many items changed; items already as asked are
// left alone.
type BulkResult struct {
	Changed   int
	Unchanged int
}

// BulkChangeActionItems applies c to every item in one transaction: all
// items change or none. Each item gets its own history entry and audit
// record, as if changed one by one.
func BulkChangeActionItems(ctx context.Context, db *gorm.DB, actor Actor, c BulkChange) (BulkResult, error) {
	var res BulkResult
	v := &ValidationError{}
	ids := uniqueIDs(c.IDs)
	switch {
	case len(ids) == 0:
		v.AddGlobal("Select at least one action item.")
	case len(ids) > MaxBulkItems:
		v.AddGlobal(fmt.Sprintf("Change at most %d items at once.", MaxBulkItems))
	}
	c.Note = strings.TrimSpace(c.Note)
	if c.Status == "" && c.Owner == nil && c.DueDate == nil {
		v.AddGlobal("Choose a new status, owner or due date.")
	}
	if c.Status != "" && !oneOf(c.Status, ActionStatuses...) {
		v.Add("status", "Choose open, in progress, blocked, done or won't do.")
	}
	if c.Status == ActionWontDo && c.Note == "" {
		v.Add("note", "Say why these won't be done; the reason stays with each item.")
	}
	var due *Date
	if c.DueDate != nil {
		d, err := DatePtr(*c.DueDate)
		if err != nil {
			v.Add("due_date", "Enter the due date as YYYY-MM-DD, or leave it empty to clear it.")
		}
		due = d
	}
	var ownerID *int64
	if c.Owner != nil {
		if e := NormalizeEmail(*c.Owner); e != "" {
			u, err := GetUserByEmail(ctx, db, e)
			switch {
			case errors.Is(err, ErrNotFound) || (err == nil && u.Disabled):
				v.Add("owner", "No active user has the email "+e+".")
			case err != nil:
				return res, fmt.Errorf("models: bulk change: %w", err)
			default:
				ownerID = &u.ID
			}
		}
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res = BulkResult{}
		for _, id := range ids {
			before, err := GetActionItem(ctx, tx, id)
			if err != nil {
				return err
			}
			changed := false
			set := map[string]any{}
			if c.Owner != nil && !sameID(before.OwnerID, ownerID) {
				set["owner_id"] = ownerID
			}
			if c.DueDate != nil && !sameDate(before.DueDate, due) {
				set["due_date"] = due
			}
			if len(set) > 0 {
				set["version"], set["updated_at"] = gorm.Expr("version + 1"), Now()
				if err := tx.Model(&ActionItem{}).Where("id = ?", id).Updates(set).Error; err != nil {
					return err
				}
				after, err := GetActionItem(ctx, tx, id)
				if err != nil {
					return err
				}
				if err := Audit(ctx, tx, actor, AuditUpdate, "action_item", id, "updated action item "+quote(after.Title)+" (bulk change)",
					Diff(before, after, "OwnerID", "DueDate")); err != nil {
					return err
				}
				changed = true
			}
			if c.Status != "" && c.Status != before.Status {
				if _, err := ChangeActionStatus(ctx, tx, actor, id, 0, c.Status, c.Note); err != nil {
					return err
				}
				changed = true
			}
			if changed {
				res.Changed++
			} else {
				res.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return BulkResult{}, fmt.Errorf("models: bulk change: %w", TranslateError(err))
	}
	return res, nil
}

func uniqueIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameDate(a, b *Date) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
