package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ActionPatch changes some of an item's fields and its status at once (the
// API's PATCH). Nil fields stay as they are.
type ActionPatch struct {
	// Version is the version the change is based on; nil: the current one.
	Version *int
	// Owner is an email, Team a slug, DueDate YYYY-MM-DD.
	Title, Description, Priority, Owner, Team, DueDate, ExternalURL *string
	Status                                                          *string
	// Note goes with a new status: the reason (won't do, blocked) or the
	// completion note (done).
	Note string
}

func (p ActionPatch) fields() bool {
	return p.Title != nil || p.Description != nil || p.Priority != nil || p.Owner != nil || p.Team != nil || p.DueDate != nil || p.ExternalURL != nil
}

// PatchActionItem applies p in one transaction: the fields sent (a new
// version even when they are unchanged), then the status if it differs,
// each checked against the version. Fields and status change together or
// not at all: a refused status leaves the fields unsaved and the version
// where it was.
func PatchActionItem(ctx context.Context, db *gorm.DB, actor Actor, id int64, p ActionPatch) (*ActionItem, error) {
	var a *ActionItem
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		version := cur.Version
		if p.Version != nil {
			version = *p.Version
		}
		a, err = patchActionItem(ctx, tx, actor, cur, version, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: patch action item %d: %w", id, TranslateError(err))
	}
	return a, nil
}

// patchActionItem writes p over cur inside tx.
func patchActionItem(ctx context.Context, tx *gorm.DB, actor Actor, cur *ActionItem, version int, p ActionPatch) (*ActionItem, error) {
	a := cur
	var err error
	if p.fields() {
		pick := func(v *string, def string) string {
			if v == nil {
				return def
			}
			return *v
		}
		in := ActionItemInput{
			Title: pick(p.Title, cur.Title), Description: pick(p.Description, cur.Description), Priority: pick(p.Priority, cur.Priority),
			Owner: pick(p.Owner, cur.OwnerEmail()), Team: pick(p.Team, cur.TeamSlug()), DueDate: pick(p.DueDate, dateString(cur.DueDate)),
			ExternalURL: pick(p.ExternalURL, cur.ExternalURL),
		}
		if a, err = UpdateActionItem(ctx, tx, actor, cur.ID, version, in); err != nil {
			return nil, err
		}
		version = a.Version
	}
	if p.Status != nil && *p.Status != a.Status {
		return ChangeActionStatus(ctx, tx, actor, cur.ID, version, *p.Status, p.Note)
	}
	return a, nil
}

func dateString(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// InlineEdit is a change from a row of the action item list: priority,
// owner (an email; empty: nobody) and due date (YYYY-MM-DD; empty: none),
// and the status with its note, as the row editor shows them.
type InlineEdit struct {
	Version                  int
	Priority, Owner, DueDate string
	Status, Note             string
}

// UpdateActionItemInline saves an inline edit in one transaction: all or
// nothing. A version other than the stored one is a ConflictError with
// the item as it is; only what differs from the stored item is written
// (the fields in one new version, the status in another).
func UpdateActionItemInline(ctx context.Context, db *gorm.DB, actor Actor, id int64, e InlineEdit) (*ActionItem, error) {
	var a *ActionItem
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Version != cur.Version {
			return &ConflictError{What: "action item", Current: cur}
		}
		var p ActionPatch
		if e.Priority != cur.Priority || NormalizeEmail(e.Owner) != cur.OwnerEmail() || e.DueDate != dateString(cur.DueDate) {
			p.Priority, p.Owner, p.DueDate = &e.Priority, &e.Owner, &e.DueDate
		}
		if e.Status != cur.Status {
			p.Status, p.Note = &e.Status, e.Note
		}
		a, err = patchActionItem(ctx, tx, actor, cur, e.Version, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: inline edit of action item %d: %w", id, TranslateError(err))
	}
	return a, nil
}
