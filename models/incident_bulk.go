package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// What writers of many incidents at once (models/importing) build on:
// the preloads to compare with, the changes an input would make, and
// creates and updates inside the caller's transaction.

// IncidentLinkKinds are the kinds a link of an incident may have.
// Each call returns a fresh copy.
func IncidentLinkKinds() []string { return slices.Clone(incidentLinkKinds) }

// IncidentPreloads adds to q what pages and the API show with an
// incident (severity, team, people, components, tags).
func IncidentPreloads(q *gorm.DB) *gorm.DB { return incidentPreloads(q) }

// IncidentChanges lists the fields in would change on inc (loaded with
// IncidentPreloads), keyed by their snake_case names; empty when storing
// in changes nothing.
func IncidentChanges(inc *Incident, in IncidentInput) map[string]Change {
	return incidentChanges(inc, in)
}

// UpdateIncidentTx is UpdateIncident inside the caller's transaction tx.
func UpdateIncidentTx(ctx context.Context, tx *gorm.DB, actor Actor, id int64, version int, in IncidentInput) (*Incident, error) {
	return updateIncidentTx(ctx, tx, actor, id, version, in)
}

// CreateIncidentsTx stores validated inputs as new incidents inside the
// caller's transaction tx: consecutive numbers reserved at once, then
// batches of 500 with their components, tags and one audit entry each
// (summary gives its text). done is called with the size of each batch
// written. Unlike CreateIncident it checks nothing: callers validate
// every input (and its references) first.
func CreateIncidentsTx(ctx context.Context, tx *gorm.DB, actor Actor, ins []IncidentInput, summary func(*Incident) string, done func(n int)) error {
	if len(ins) == 0 {
		return nil
	}
	first, err := nextIncidentNumbers(ctx, tx, int64(len(ins)))
	if err != nil {
		return err
	}
	now := Now(tx)
	var creator *int64
	if actor.UserID != 0 {
		id := actor.UserID
		creator = &id
	}
	for start := 0; start < len(ins); start += 500 {
		end := min(start+500, len(ins))
		incs := make([]*Incident, 0, end-start)
		comps := make([][]int64, 0, end-start)
		for i, in := range ins[start:end] {
			inc := &Incident{Number: first + int64(start+i), Version: 1, CreatedAt: now, UpdatedAt: now, CreatedByID: creator}
			applyInput(inc, in)
			incs = append(incs, inc)
			comps = append(comps, in.ComponentIDs)
		}
		if err := insertIncidents(ctx, tx, incs, comps); err != nil {
			return err
		}
		entries := make([]AuditEntry, 0, len(incs))
		for _, inc := range incs {
			e, err := auditEntry(Now(tx), actor, AuditCreate, "incident", inc.ID, summary(inc), nil)
			if err != nil {
				return err
			}
			entries = append(entries, e)
		}
		if err := tx.CreateInBatches(entries, 500).Error; err != nil {
			return err
		}
		if done != nil {
			done(len(incs))
		}
	}
	return nil
}
