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
	// Versions holds, for the items it names, the version the person saw:
	// when one of them changed since, the whole change fails with a
	// ConflictError holding that item as it is now.
	Versions map[int64]int
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
	c.Note = strings.TrimSpace(CleanText(c.Note))
	if c.Status == "" && c.Owner == nil && c.DueDate == nil {
		v.AddGlobal("Choose a new status, owner or due date.")
	}
	if c.Status != "" && !oneOf(c.Status, actionStatuses...) {
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
		var err error
		res, err = bulkChange(ctx, tx, actor, c, ids, ownerID, due)
		return err
	})
	if err != nil {
		return BulkResult{}, fmt.Errorf("models: bulk change: %w", TranslateError(err))
	}
	return res, nil
}

// bulkWrite is what a bulk change does to an item: whether it sets the
// owner, the due date and the status. Items with the same bulkWrite get the
// same UPDATE.
type bulkWrite struct{ owner, due, status bool }

// bulkWrites lists every bulkWrite that changes something, in the order
// their UPDATEs run.
var bulkWrites = []bulkWrite{
	{true, false, false}, {false, true, false}, {true, true, false},
	{false, false, true}, {true, false, true}, {false, true, true}, {true, true, true},
}

// bulkChange applies c inside tx with a fixed number of statements: one
// load of the items, one UPDATE per distinct bulkWrite (at most seven), and
// batched inserts of the history entries and audit records. What it
// stores is what changing each item with an owner and due date update
// and then ChangeActionStatus stores: an update audit record for owner
// and due date (one version), then a history entry and a state change
// audit record for the status (another version).
func bulkChange(ctx context.Context, tx *gorm.DB, actor Actor, c BulkChange, ids []int64, ownerID *int64, due *Date) (BulkResult, error) {
	var res BulkResult
	var rows []ActionItem
	err := tx.WithContext(ctx).Model(&ActionItem{}).Select("id", "title", "status", "owner_id", "due_date", "version").
		Where("id IN ?", ids).Find(&rows).Error
	if err != nil {
		return res, err
	}
	byID := make(map[int64]*ActionItem, len(rows))
	for i := range rows {
		byID[rows[i].ID] = &rows[i]
	}
	// Each item is in one group, as its (id, version) pair: the UPDATE
	// changes it only if nobody else did since the load.
	groups := map[bulkWrite][][]any{}
	var events []ActionItemEvent
	var audits []AuditEntry
	for _, id := range ids {
		before, ok := byID[id]
		if !ok {
			return res, fmt.Errorf("models: get action item %d: %w", id, TranslateError(gorm.ErrRecordNotFound)) // as GetActionItem says it
		}
		if v, ok := c.Versions[id]; ok && v != before.Version {
			return res, bulkConflict(ctx, tx, [][]any{{id, v}})
		}
		var w bulkWrite
		after := *before
		if c.Owner != nil && !sameID(before.OwnerID, ownerID) {
			w.owner, after.OwnerID = true, ownerID
		}
		if c.DueDate != nil && !sameDate(before.DueDate, due) {
			w.due, after.DueDate = true, due
		}
		if w.owner || w.due {
			e, err := auditEntry(Now(tx), actor, AuditUpdate, "action_item", id, "updated action item "+quote(before.Title)+" (bulk change)",
				Diff(before, &after, "OwnerID", "DueDate"))
			if err != nil {
				return res, err
			}
			audits = append(audits, e)
		}
		if c.Status != "" && c.Status != before.Status {
			w.status = true
			events = append(events, actionEvent(Now(tx), actor, id, before.Status, c.Status, c.Note))
			e, err := auditEntry(Now(tx), actor, AuditStateChange, "action_item", id,
				fmt.Sprintf("moved action item %s to %s", quote(before.Title), ActionStatusLabel(c.Status)),
				map[string]Change{"status": {From: before.Status, To: c.Status}})
			if err != nil {
				return res, err
			}
			audits = append(audits, e)
		}
		if w == (bulkWrite{}) {
			res.Unchanged++
			continue
		}
		res.Changed++
		groups[w] = append(groups[w], []any{id, before.Version})
	}
	for _, w := range bulkWrites {
		items := groups[w]
		if len(items) == 0 {
			continue
		}
		set := map[string]any{"version": gorm.Expr("version + 1"), "updated_at": Now(tx)}
		if w.owner {
			set["owner_id"] = ownerID
		}
		if w.due {
			set["due_date"] = due
		}
		if w.status {
			statusSet(ctx, tx, set, c.Status, c.Note)
			if w.owner || w.due {
				set["version"] = gorm.Expr("version + 2")
			}
		}
		groupIDs := make([]int64, len(items))
		for i, it := range items {
			groupIDs[i] = it[0].(int64)
		}
		r := tx.WithContext(ctx).Model(&ActionItem{}).Where("id IN ? AND (id, version) IN ?", groupIDs, items).Updates(set)
		if r.Error != nil {
			return res, r.Error
		}
		if r.RowsAffected != int64(len(items)) {
			return res, bulkConflict(ctx, tx, items)
		}
	}
	if len(events) > 0 {
		if err := tx.WithContext(ctx).CreateInBatches(events, insertBatch).Error; err != nil {
			return res, err
		}
	}
	return res, auditAll(ctx, tx, audits)
}

// bulkConflict is the error when an item of items ((id, version) pairs)
// changed after the bulk change loaded it: a ConflictError with the first
// such item as it is now.
func bulkConflict(ctx context.Context, tx *gorm.DB, items [][]any) error {
	for _, it := range items {
		fresh, err := GetActionItem(ctx, tx, it[0].(int64))
		if err != nil {
			return err
		}
		if fresh.Version != it[1].(int) {
			return &ConflictError{What: "action item", Current: fresh}
		}
	}
	return &ConflictError{What: "action item"}
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
