package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// nextIncidentNumbers reserves n consecutive numbers and returns the first.
func nextIncidentNumbers(ctx context.Context, tx *gorm.DB, n int64) (int64, error) {
	// The UPDATE locks the row until the transaction ends, so the SELECT
	// after it reads our own reservation.
	err := tx.WithContext(ctx).Model(&incidentSequence{}).Where("id = 1").
		Update("last_number", gorm.Expr("last_number + ?", n)).Error
	if err != nil {
		return 0, fmt.Errorf("models: next incident number: %w", TranslateError(err))
	}
	var seq incidentSequence
	if err := tx.WithContext(ctx).Where("id = 1").Take(&seq).Error; err != nil {
		return 0, fmt.Errorf("models: next incident number: %w", TranslateError(err))
	}
	return seq.LastNumber - n + 1, nil
}

// CreateIncident validates and stores a new incident.
func CreateIncident(ctx context.Context, db *gorm.DB, actor Actor, in IncidentInput) (*Incident, error) {
	var out *Incident
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inc, err := createIncidentTx(ctx, tx, actor, in)
		out = inc
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: create incident: %w", TranslateError(err))
	}
	return out, nil
}

func createIncidentTx(ctx context.Context, tx *gorm.DB, actor Actor, in IncidentInput) (*Incident, error) {
	v := in.Validate()
	if err := in.checkReferences(ctx, tx, v); err != nil {
		return nil, err
	}
	if in.ExternalID != "" {
		var n int64
		if err := tx.Model(&Incident{}).Where("external_source = ? AND external_id = ?", in.ExternalSource, in.ExternalID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			v.Add("external_id", "An incident with this external source and ID exists already.")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	num, err := nextIncidentNumbers(ctx, tx, 1)
	if err != nil {
		return nil, err
	}
	inc := &Incident{Number: num}
	applyInput(inc, in)
	inc.Version = 1
	now := Now(tx)
	inc.CreatedAt, inc.UpdatedAt = now, now
	if actor.UserID != 0 {
		id := actor.UserID
		inc.CreatedByID = &id
	}
	if err := insertIncidents(ctx, tx, []*Incident{inc}, [][]int64{in.ComponentIDs}); err != nil {
		return nil, err
	}
	if err := Audit(ctx, tx, actor, AuditCreate, "incident", inc.ID, "declared "+inc.Key()+": "+inc.Title, nil); err != nil {
		return nil, err
	}
	return inc, nil
}

// insertIncidents stores new incidents with their components and tags in
// batches (imports create hundreds at once).
func insertIncidents(ctx context.Context, tx *gorm.DB, incs []*Incident, components [][]int64) error {
	if len(incs) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).Omit(clause.Associations).CreateInBatches(incs, 200).Error; err != nil {
		return err
	}
	var links []IncidentComponent
	var tags []IncidentTag
	for i, inc := range incs {
		for _, cid := range components[i] {
			links = append(links, IncidentComponent{IncidentID: inc.ID, ComponentID: cid})
		}
		for j := range inc.Tags {
			inc.Tags[j].IncidentID = inc.ID
			tags = append(tags, inc.Tags[j])
		}
	}
	if len(links) > 0 {
		if err := tx.WithContext(ctx).CreateInBatches(links, 500).Error; err != nil {
			return err
		}
	}
	if len(tags) > 0 {
		if err := tx.WithContext(ctx).CreateInBatches(tags, 500).Error; err != nil {
			return err
		}
	}
	return nil
}
