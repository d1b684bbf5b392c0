package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

func postmortemPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Owner").Preload("Facilitator").
		Preload("Incident", incidentPreloads).
		Preload("Sections", func(db *gorm.DB) *gorm.DB { return db.Order("position, id").Preload("UpdatedBy") })
}

// GetPostmortem loads a postmortem with its incident, people and sections.
func GetPostmortem(ctx context.Context, db *gorm.DB, id int64) (*Postmortem, error) {
	var p Postmortem
	if err := postmortemPreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, fmt.Errorf("models: get postmortem %d: %w", id, TranslateError(err))
	}
	return &p, nil
}

// GetPostmortemOfIncident loads the postmortem of an incident
// (ErrNotFound when it has none yet).
func GetPostmortemOfIncident(ctx context.Context, db *gorm.DB, incidentID int64) (*Postmortem, error) {
	var p Postmortem
	if err := postmortemPreloads(db.WithContext(ctx)).Where("incident_id = ?", incidentID).Take(&p).Error; err != nil {
		return nil, fmt.Errorf("models: postmortem of incident %d: %w", incidentID, TranslateError(err))
	}
	return &p, nil
}

// GetPostmortemOfIncidentKey loads the postmortem of the incident with
// key (INC-42), its Incident loaded as GetIncidentByKey loads it
// (ErrNotFound when there is no such incident or it has no postmortem).
func GetPostmortemOfIncidentKey(ctx context.Context, db *gorm.DB, key string) (*Postmortem, error) {
	n, ok := ParseIncidentKey(key)
	if !ok {
		return nil, fmt.Errorf("models: postmortem of incident %q: %w", key, ErrNotFound)
	}
	var p Postmortem
	err := postmortemPreloads(db.WithContext(ctx)).Where("incident_id = (SELECT id FROM incidents WHERE number = ?)", n).Take(&p).Error
	if err != nil {
		return nil, fmt.Errorf("models: postmortem of incident %s: %w", IncidentKey(n), TranslateError(err))
	}
	return &p, nil
}

// GetIncidentPostmortem finds the incident with key and its postmortem.
// The postmortem comes with its incident, so the incident is read once;
// without a postmortem the incident is still returned with ErrNotFound.
func GetIncidentPostmortem(ctx context.Context, db *gorm.DB, key string) (*Incident, *Postmortem, error) {
	pm, err := GetPostmortemOfIncidentKey(ctx, db, key)
	if err == nil && pm.Incident != nil {
		return pm.Incident, pm, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	inc, err := GetIncidentByKey(ctx, db, key)
	if err != nil {
		return nil, nil, err
	}
	pm, err = GetPostmortemOfIncident(ctx, db, inc.ID)
	return inc, pm, err
}

// PostmortemFilter narrows ListPostmortems. Zero fields do not filter.
type PostmortemFilter struct {
	Status  string
	OwnerID int64
	// Overdue keeps unpublished postmortems due before Today.
	Overdue bool
	Today   Date
	Limit   int
}

// ListPostmortems returns postmortems, the most recently started
// incidents first, with their incident and people.
func ListPostmortems(ctx context.Context, db *gorm.DB, f PostmortemFilter) ([]Postmortem, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q := db.WithContext(ctx).Model(&Postmortem{}).Joins("JOIN incidents ON incidents.id = postmortems.incident_id")
	if f.Status != "" {
		q = q.Where("postmortems.status = ?", f.Status)
	}
	if f.OwnerID != 0 {
		q = q.Where("postmortems.owner_id = ?", f.OwnerID)
	}
	if f.Overdue {
		q = q.Where("postmortems.status <> ? AND postmortems.due_date < ?", PostmortemPublished, f.Today)
	}
	var out []Postmortem
	err := q.Preload("Owner").Preload("Facilitator").Preload("Incident", func(db *gorm.DB) *gorm.DB { return db.Preload("Severity") }).
		Order("incidents.started_at DESC, postmortems.id DESC").Limit(f.Limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list postmortems: %w", TranslateError(err))
	}
	return out, nil
}

// CountPostmortemsByStatus counts postmortems per status.
func CountPostmortemsByStatus(ctx context.Context, db *gorm.DB) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	if err := db.WithContext(ctx).Model(&Postmortem{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: count postmortems: %w", TranslateError(err))
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
