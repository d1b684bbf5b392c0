package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RetroComponentIDs are the components a session is about: its incident's
// for a postmortem's session, its own otherwise.
func RetroComponentIDs(s *RetroSession) []int64 {
	var ids []int64
	if s.Postmortem != nil && s.Postmortem.Incident != nil {
		for _, c := range s.Postmortem.Incident.Components {
			ids = append(ids, c.ID)
		}
		return ids
	}
	for _, c := range s.Components {
		ids = append(ids, c.ID)
	}
	return ids
}

// RetroReviewItems are the open action items to look at before this
// session: those of earlier postmortems of incidents on the same
// components, and those of reviews of (and items filed against) the same
// components. The session's own items, and its postmortem's, are left out.
func RetroReviewItems(ctx context.Context, db *gorm.DB, s *RetroSession) ([]ActionItem, error) {
	comps := RetroComponentIDs(s)
	if len(comps) == 0 {
		return nil, nil
	}
	q := db.WithContext(ctx).Model(&ActionItem{}).
		Where("action_items.status IN ?", openActionStatuses).
		Where(`action_items.component_id IN ? OR action_items.postmortem_id IN (
			SELECT p.id FROM postmortems p JOIN incident_components ic ON ic.incident_id = p.incident_id WHERE ic.component_id IN ?)
			OR action_items.review_id IN (SELECT r.id FROM reviews r WHERE r.component_id IN ?)`, comps, comps, comps).
		Where("action_items.retro_session_id IS NULL OR action_items.retro_session_id <> ?", s.ID)
	if s.PostmortemID != nil {
		q = q.Where("action_items.postmortem_id IS NULL OR action_items.postmortem_id <> ?", *s.PostmortemID)
	}
	var out []ActionItem
	err := q.Preload("Owner").Preload("Team").Preload("Component").
		Order("action_items.due_date IS NULL, action_items.due_date, action_items.id").Limit(200).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: retro review items: %w", TranslateError(err))
	}
	return out, nil
}
