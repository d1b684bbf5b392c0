package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// PostmortemPeople is the owner, facilitator and due date of a postmortem.
type PostmortemPeople struct {
	OwnerID       *int64
	FacilitatorID *int64
	DueDate       string
}

// UpdatePostmortemPeople changes owner, facilitator and due date, refusing
// a stale version and a published postmortem.
func UpdatePostmortemPeople(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in PostmortemPeople) (*Postmortem, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetPostmortem(ctx, tx, id)
		if err != nil {
			return err
		}
		if !before.Editable() {
			return StateErrorf("A published postmortem is read-only.")
		}
		if before.Version != version {
			return &ConflictError{What: "postmortem", Current: before, Submitted: in}
		}
		v := &ValidationError{}
		if err := checkPeople(ctx, tx, v, map[string]*int64{"owner": in.OwnerID, "facilitator": in.FacilitatorID}); err != nil {
			return err
		}
		due, derr := DatePtr(in.DueDate)
		if derr != nil {
			v.Add("due_date", "Enter the due date as YYYY-MM-DD.")
		}
		if err := v.Err(); err != nil {
			return err
		}
		after := *before
		after.OwnerID, after.FacilitatorID, after.DueDate = in.OwnerID, in.FacilitatorID, due
		changes := Diff(before, &after, "OwnerID", "FacilitatorID", "DueDate")
		if len(changes) == 0 {
			return nil
		}
		res := tx.Model(&Postmortem{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"owner_id": in.OwnerID, "facilitator_id": in.FacilitatorID, "due_date": due,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "postmortem", Current: before, Submitted: in}
		}
		return Audit(ctx, tx, actor, AuditUpdate, "postmortem", id, "changed the people or due date of the postmortem of "+before.Incident.Key(), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update postmortem %d: %w", id, TranslateError(err))
	}
	return GetPostmortem(ctx, db, id)
}
