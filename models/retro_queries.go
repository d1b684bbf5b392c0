package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

func retroPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Facilitator").
		Preload("Prompts", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Components", func(db *gorm.DB) *gorm.DB { return db.Order("components.name") }).
		Preload("Postmortem").Preload("Postmortem.Incident", incidentPreloads)
}

// GetRetro loads a session with its facilitator, prompts, components and
// postmortem (with the incident).
func GetRetro(ctx context.Context, db *gorm.DB, id int64) (*RetroSession, error) {
	var s RetroSession
	if err := retroPreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: get retro %d: %w", id, TranslateError(err))
	}
	return &s, nil
}

// getRetroRow loads the session row alone, for rule checks inside writes.
func getRetroRow(ctx context.Context, tx *gorm.DB, id int64) (*RetroSession, error) {
	var s RetroSession
	if err := tx.WithContext(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: get retro %d: %w", id, TranslateError(err))
	}
	return &s, nil
}

// RetroFilter narrows ListRetros.
type RetroFilter struct {
	// Open keeps sessions not closed; Closed keeps closed ones.
	Open, Closed bool
	PostmortemID int64
	Limit        int
}

// RetroListItem is a session in a list, with how many joined.
type RetroListItem struct {
	RetroSession
	Participants int
}

// ListRetros returns sessions, newest first.
func ListRetros(ctx context.Context, db *gorm.DB, f RetroFilter) ([]RetroListItem, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q := db.WithContext(ctx).Model(&RetroSession{})
	if f.Open {
		q = q.Where("phase <> ?", PhaseClosed)
	}
	if f.Closed {
		q = q.Where("phase = ?", PhaseClosed)
	}
	if f.PostmortemID != 0 {
		q = q.Where("postmortem_id = ?", f.PostmortemID)
	}
	var sessions []RetroSession
	err := q.Preload("Facilitator").Preload("Postmortem").Preload("Postmortem.Incident").
		Order("created_at DESC, id DESC").Limit(f.Limit).Find(&sessions).Error
	if err != nil {
		return nil, fmt.Errorf("models: list retros: %w", TranslateError(err))
	}
	ids := make([]int64, 0, len(sessions))
	for _, s := range sessions {
		ids = append(ids, s.ID)
	}
	counts := map[int64]int{}
	if len(ids) > 0 {
		var rows []struct {
			SessionID int64
			N         int
		}
		if err := db.WithContext(ctx).Model(&RetroParticipant{}).Select("session_id, COUNT(*) AS n").
			Where("session_id IN ?", ids).Group("session_id").Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("models: list retros: %w", TranslateError(err))
		}
		for _, r := range rows {
			counts[r.SessionID] = r.N
		}
	}
	out := make([]RetroListItem, 0, len(sessions))
	for _, s := range sessions {
		out = append(out, RetroListItem{RetroSession: s, Participants: counts[s.ID]})
	}
	return out, nil
}
