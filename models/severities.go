package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Severity is an incident severity level, configurable by admins. Rank 1
// is the most severe; lists sort by rank.
type Severity struct {
	ID          int64  `json:"-"`
	Name        string `json:"name"`
	Rank        int    `json:"rank"`
	Description string `json:"description"`
	// Color is a palette name (SeverityColors()); the stylesheet maps it to
	// colours with enough contrast in light and dark mode.
	Color     string    `json:"color"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// SeverityColors are the colours a severity may have.
// Each call returns a fresh copy.
func SeverityColors() []string { return slices.Clone(severityColors) }

var severityColors = []string{"red", "orange", "amber", "green", "teal", "blue", "purple", "slate"}

// SeverityInput is what admins edit.
type SeverityInput struct {
	Name        string
	Rank        int
	Description string
	Color       string
}

func validateSeverity(in *SeverityInput) error {
	v := &ValidationError{}
	in.Name = CleanLine(in.Name)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	switch {
	case in.Name == "":
		v.Add("name", "Enter a name, like SEV1.")
	case len(in.Name) > 32:
		v.Add("name", "Use at most 32 characters.")
	}
	if in.Rank < 1 || in.Rank > 99 {
		v.Add("rank", "Enter a rank from 1 (most severe) to 99.")
	}
	if len(in.Description) > 1000 {
		v.Add("description", "Use at most 1000 characters.")
	}
	ok := false
	for _, c := range severityColors {
		ok = ok || c == in.Color
	}
	if !ok {
		v.Add("color", "Choose one of the colours.")
	}
	return v.Err()
}

// checkSeverityClash reports a name or rank that another severity has,
// before the write (a failed statement would abort a PostgreSQL
// transaction).
func checkSeverityClash(ctx context.Context, tx *gorm.DB, id int64, in SeverityInput) error {
	v := &ValidationError{}
	var n int64
	if err := tx.WithContext(ctx).Model(&Severity{}).Where("lower(name) = ? AND id <> ?", strings.ToLower(in.Name), id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		v.Add("name", "Another severity already has this name.")
	}
	if err := tx.WithContext(ctx).Model(&Severity{}).Where("rank = ? AND id <> ?", in.Rank, id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		v.Add("rank", "Another severity already has this rank; give each a different one.")
	}
	return v.Err()
}

// ListSeverities returns every severity, most severe first.
func ListSeverities(ctx context.Context, db *gorm.DB) ([]Severity, error) {
	var out []Severity
	if err := db.WithContext(ctx).Order("rank, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list severities: %w", TranslateError(err))
	}
	return out, nil
}

// GetSeverity loads a severity by ID.
func GetSeverity(ctx context.Context, db *gorm.DB, id int64) (*Severity, error) {
	var s Severity
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: get severity %d: %w", id, TranslateError(err))
	}
	return &s, nil
}

// GetSeverityByName loads a severity by name, ignoring case.
func GetSeverityByName(ctx context.Context, db *gorm.DB, name string) (*Severity, error) {
	var s Severity
	if err := db.WithContext(ctx).Where("lower(name) = ?", strings.ToLower(strings.TrimSpace(name))).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: get severity %q: %w", name, TranslateError(err))
	}
	return &s, nil
}

// CreateSeverity adds a severity level.
func CreateSeverity(ctx context.Context, db *gorm.DB, actor Actor, in SeverityInput) (*Severity, error) {
	if err := validateSeverity(&in); err != nil {
		return nil, err
	}
	now := Now(db)
	s := &Severity{Name: in.Name, Rank: in.Rank, Description: in.Description, Color: in.Color, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkSeverityClash(ctx, tx, 0, in); err != nil {
			return err
		}
		if err := tx.Create(s).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "severity", s.ID, "created severity "+s.Name, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: create severity: %w", TranslateError(err))
	}
	return s, nil
}

// UpdateSeverity changes a severity, refusing a stale version.
func UpdateSeverity(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in SeverityInput) (*Severity, error) {
	if err := validateSeverity(&in); err != nil {
		return nil, err
	}
	var out *Severity
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetSeverity(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkSeverityClash(ctx, tx, id, in); err != nil {
			return err
		}
		after := *before
		after.Name, after.Rank, after.Description, after.Color = in.Name, in.Rank, in.Description, in.Color
		after.Version, after.UpdatedAt = before.Version+1, Now(tx)
		res := tx.Model(&Severity{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"name": after.Name, "rank": after.Rank, "description": after.Description, "color": after.Color,
			"version": after.Version, "updated_at": after.UpdatedAt,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "severity", Current: before, Submitted: in}
		}
		out = &after
		return Audit(ctx, tx, actor, AuditUpdate, "severity", id, "updated severity "+after.Name,
			Diff(before, after, "Name", "Rank", "Description", "Color"))
	})
	if err != nil {
		return nil, fmt.Errorf("models: update severity %d: %w", id, TranslateError(err))
	}
	return out, nil
}

// DeleteSeverity removes a severity that no incident uses.
func DeleteSeverity(ctx context.Context, db *gorm.DB, actor Actor, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		s, err := GetSeverity(ctx, tx, id)
		if err != nil {
			return err
		}
		var used int64
		if err := tx.Model(&Incident{}).Where("severity_id = ?", id).Count(&used).Error; err != nil {
			return err
		}
		if used > 0 {
			if used == 1 {
				return StateErrorf("1 incident has severity %s; give it another severity first.", s.Name)
			}
			return StateErrorf("%d incidents have severity %s; give them another severity first.", used, s.Name)
		}
		if err := tx.Where("id = ?", id).Delete(&Severity{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "severity", id, "deleted severity "+s.Name, nil)
	})
	if err != nil {
		return fmt.Errorf("models: delete severity %d: %w", id, TranslateError(err))
	}
	return nil
}
