package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// FindingStatusInput moves a finding. Accepting a risk needs an approver
// (email of a facilitator or admin), a rationale and an expiry date after
// today.
type FindingStatusInput struct {
	Status        string
	Approver      string
	Rationale     string
	AcceptedUntil string
	Today         Date
}

// ChangeFindingStatus moves a finding to another status; it works on
// completed reviews too. version 0 skips the stale-version check.
func ChangeFindingStatus(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in FindingStatusInput) (*Finding, error) {
	v := &ValidationError{}
	if !oneOf(in.Status, findingStatuses...) {
		v.Add("status", "Choose open, accepted, mitigated or resolved.")
	}
	var approver *User
	var until *Date
	if in.Status == FindingAccepted {
		in.Rationale = strings.TrimSpace(CleanText(in.Rationale))
		if strings.TrimSpace(in.Approver) == "" {
			v.Add("approver", "Name who accepts the risk.")
		} else if u, err := activeUserByEmail(ctx, db, in.Approver); errors.Is(err, ErrNotFound) {
			v.Add("approver", "No active user has the email "+in.Approver+".")
		} else if err != nil {
			return nil, err
		} else if !u.Role.Allows(RoleFacilitator) {
			v.Add("approver", u.Name+" cannot accept risks; choose a facilitator or admin.")
		} else {
			approver = u
		}
		if in.Rationale == "" {
			v.Add("rationale", "Say why the risk is acceptable for now.")
		}
		d, err := DatePtr(in.AcceptedUntil)
		switch {
		case err != nil:
			v.Add("accepted_until", "Enter the expiry as YYYY-MM-DD.")
		case d == nil:
			v.Add("accepted_until", "An accepted risk needs an expiry date, when it is looked at again.")
		case !d.After(in.Today):
			v.Add("accepted_until", "The expiry must be after today.")
		default:
			until = d
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetFinding(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return &ConflictError{What: "finding", Current: before, Submitted: in}
		}
		if before.Status == in.Status && in.Status != FindingAccepted {
			return StateErrorf("The finding is already %s.", in.Status)
		}
		now := Now(tx)
		set := map[string]any{"status": in.Status, "version": gorm.Expr("version + 1"), "updated_at": now,
			"approver_id": nil, "acceptance_rationale": "", "accepted_until": nil, "accepted_at": nil, "closed_at": nil}
		switch in.Status {
		case FindingAccepted:
			set["approver_id"], set["acceptance_rationale"], set["accepted_until"], set["accepted_at"] = approver.ID, in.Rationale, *until, now
		case FindingMitigated, FindingResolved:
			set["closed_at"] = now
		}
		res := tx.Model(&Finding{}).Where("id = ? AND version = ?", id, before.Version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "finding", Current: before, Submitted: in}
		}
		changes := map[string]Change{"status": {From: before.Status, To: in.Status}}
		if in.Status == FindingAccepted {
			changes["approver"] = Change{To: approver.Email}
			changes["accepted_until"] = Change{To: until.String()}
		}
		return Audit(ctx, tx, actor, AuditStateChange, "finding", id, fmt.Sprintf("finding %s is now %s", quote(before.Title), in.Status), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: finding %d status: %w", id, TranslateError(err))
	}
	return GetFinding(ctx, db, id)
}
