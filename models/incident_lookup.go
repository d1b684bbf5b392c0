package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// incidentPreloads loads what pages and the API show with an incident.
func incidentPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Severity").Preload("Team").Preload("Commander").Preload("Scribe").Preload("CommsLead").
		Preload("Components", func(db *gorm.DB) *gorm.DB { return db.Order("components.name") }).
		Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("tag") })
}

// GetIncident loads an incident by ID with everything it shows.
func GetIncident(ctx context.Context, db *gorm.DB, id int64) (*Incident, error) {
	var inc Incident
	if err := incidentPreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&inc).Error; err != nil {
		return nil, fmt.Errorf("models: get incident %d: %w", id, TranslateError(err))
	}
	return &inc, nil
}

// GetIncidentByKey loads an incident by its key (INC-42).
func GetIncidentByKey(ctx context.Context, db *gorm.DB, key string) (*Incident, error) {
	n, ok := ParseIncidentKey(key)
	if !ok {
		return nil, fmt.Errorf("models: get incident %q: %w", key, ErrNotFound)
	}
	var inc Incident
	if err := incidentPreloads(db.WithContext(ctx)).Where("number = ?", n).Take(&inc).Error; err != nil {
		return nil, fmt.Errorf("models: get incident %s: %w", IncidentKey(n), TranslateError(err))
	}
	return &inc, nil
}

// GetIncidentByExternal loads the incident imported or ingested from
// source with the external id.
func GetIncidentByExternal(ctx context.Context, db *gorm.DB, source, externalID string) (*Incident, error) {
	var inc Incident
	err := incidentPreloads(db.WithContext(ctx)).Where("external_source = ? AND external_id = ?", source, externalID).Take(&inc).Error
	if err != nil {
		return nil, fmt.Errorf("models: get incident %s/%s: %w", source, externalID, TranslateError(err))
	}
	return &inc, nil
}
