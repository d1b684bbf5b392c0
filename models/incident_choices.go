package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// IncidentChoices are the options of the incident form and filters:
// severities, teams, active people and catalog components.
type IncidentChoices struct {
	Severities []Severity
	Teams      []Team
	Users      []User
	Components []Component
}

// LoadIncidentChoices loads every option list of the incident form.
func LoadIncidentChoices(ctx context.Context, db *gorm.DB) (*IncidentChoices, error) {
	var c IncidentChoices
	var err error
	if c.Severities, err = ListSeverities(ctx, db); err != nil {
		return nil, err
	}
	if c.Teams, err = ListTeams(ctx, db); err != nil {
		return nil, err
	}
	active := false
	if c.Users, err = ListUsers(ctx, db, UserFilter{Disabled: &active}); err != nil {
		return nil, err
	}
	if err := db.WithContext(ctx).Select("id", "name", "slug", "team_id", "tier").Order("lower(name), id").Find(&c.Components).Error; err != nil {
		return nil, fmt.Errorf("models: list components: %w", TranslateError(err))
	}
	return &c, nil
}
