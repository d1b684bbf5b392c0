package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PostmortemSeverityDefault says, per severity, when a postmortem is due
// and who facilitates it unless someone else is chosen.
type PostmortemSeverityDefault struct {
	SeverityID    int64 `gorm:"primaryKey;autoIncrement:false"`
	DueDays       int
	FacilitatorID *int64
	Facilitator   *User `gorm:"foreignKey:FacilitatorID"`
	UpdatedAt     time.Time
}

// DefaultDueDays is the due time of a severity without a stored default,
// by rank: the more severe, the sooner.
func DefaultDueDays(rank int) int {
	switch rank {
	case 1:
		return 7
	case 2:
		return 10
	case 3:
		return 14
	}
	return 30
}

// SeverityDefaultRow is one severity with its postmortem defaults.
type SeverityDefaultRow struct {
	Severity    Severity
	DueDays     int
	Facilitator *User
	// Stored is false when the defaults come from DefaultDueDays.
	Stored bool
}

// ListPostmortemDefaults returns every severity with its defaults, by rank.
func ListPostmortemDefaults(ctx context.Context, db *gorm.DB) ([]SeverityDefaultRow, error) {
	sevs, err := ListSeverities(ctx, db)
	if err != nil {
		return nil, err
	}
	var defs []PostmortemSeverityDefault
	if err := db.WithContext(ctx).Preload("Facilitator").Find(&defs).Error; err != nil {
		return nil, fmt.Errorf("models: postmortem defaults: %w", TranslateError(err))
	}
	by := map[int64]PostmortemSeverityDefault{}
	for _, d := range defs {
		by[d.SeverityID] = d
	}
	out := make([]SeverityDefaultRow, 0, len(sevs))
	for _, s := range sevs {
		row := SeverityDefaultRow{Severity: s, DueDays: DefaultDueDays(s.Rank)}
		if d, ok := by[s.ID]; ok {
			row.DueDays, row.Facilitator, row.Stored = d.DueDays, d.Facilitator, true
		}
		out = append(out, row)
	}
	return out, nil
}

// PostmortemDefaultInput sets the defaults of one severity.
type PostmortemDefaultInput struct {
	SeverityID int64
	DueDays    int
	// Facilitator is an email; empty means none.
	Facilitator string
}

// SavePostmortemDefaults stores the defaults of several severities at once
// (all or none). Errors are keyed "defaults.<severity id>.due_days" and
// ".facilitator".
func SavePostmortemDefaults(ctx context.Context, db *gorm.DB, actor Actor, ins []PostmortemDefaultInput) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v := &ValidationError{}
		rows := make([]PostmortemSeverityDefault, 0, len(ins))
		for _, in := range ins {
			field := fmt.Sprintf("defaults.%d.", in.SeverityID)
			if in.DueDays < 1 || in.DueDays > 365 {
				v.Add(field+"due_days", "Enter a number of days from 1 to 365.")
			}
			row := PostmortemSeverityDefault{SeverityID: in.SeverityID, DueDays: in.DueDays, UpdatedAt: Now(tx)}
			if e := NormalizeEmail(in.Facilitator); e != "" {
				u, err := GetUserByEmail(ctx, tx, e)
				switch {
				case err == nil && !u.Disabled:
					row.FacilitatorID = &u.ID
				case err == nil || errors.Is(err, ErrNotFound):
					v.Add(field+"facilitator", "No active user has the email "+e+".")
				default:
					return err
				}
			}
			rows = append(rows, row)
		}
		if err := v.Err(); err != nil {
			return err
		}
		changes := map[string]Change{}
		for _, r := range rows {
			var before []PostmortemSeverityDefault
			if err := tx.Where("severity_id = ?", r.SeverityID).Find(&before).Error; err != nil {
				return err
			}
			if len(before) == 1 && before[0].DueDays == r.DueDays && eqID(before[0].FacilitatorID, r.FacilitatorID) {
				continue
			}
			if err := tx.Where("severity_id = ?", r.SeverityID).Delete(&PostmortemSeverityDefault{}).Error; err != nil {
				return err
			}
			if err := tx.Omit("Facilitator").Create(&r).Error; err != nil {
				return err
			}
			c := Change{To: map[string]any{"due_days": r.DueDays, "facilitator_id": r.FacilitatorID}}
			if len(before) == 1 {
				c.From = map[string]any{"due_days": before[0].DueDays, "facilitator_id": before[0].FacilitatorID}
			}
			changes[fmt.Sprintf("severity_%d", r.SeverityID)] = c
		}
		if len(changes) == 0 {
			return nil
		}
		return Audit(ctx, tx, actor, AuditUpdate, "postmortem_defaults", 0, "changed postmortem defaults by severity", changes)
	})
	if err != nil {
		return fmt.Errorf("models: save postmortem defaults: %w", TranslateError(err))
	}
	return nil
}

func eqID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
