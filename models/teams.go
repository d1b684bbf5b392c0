package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Team is a group of users that owns components and action items.
type Team struct {
	ID        int64
	Name      string
	Slug      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Notification targets (notifications.go); nil when not set.
	SlackWebhookURL *string `json:"-"`
	WebhookURL      *string `json:"-"`
	WebhookSecret   *string `json:"-"`
}

// Team member roles.
const (
	TeamRoleMember  = "member"
	TeamRoleManager = "manager"
)

// TeamMember links a user to a team.
type TeamMember struct {
	TeamID    int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Role      string
	CreatedAt time.Time
	User      *User `gorm:"foreignKey:UserID"`
}

// GetTeam loads a team by ID.
func GetTeam(ctx context.Context, db *gorm.DB, id int64) (*Team, error) {
	var t Team
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: get team %d: %w", id, TranslateError(err))
	}
	return &t, nil
}

// GetTeamBySlug loads a team by slug.
func GetTeamBySlug(ctx context.Context, db *gorm.DB, slug string) (*Team, error) {
	var t Team
	if err := db.WithContext(ctx).Where("slug = ?", slug).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: get team %q: %w", slug, TranslateError(err))
	}
	return &t, nil
}

// ListTeams returns every team ordered by name.
func ListTeams(ctx context.Context, db *gorm.DB) ([]Team, error) {
	var out []Team
	if err := db.WithContext(ctx).Order("lower(name), id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list teams: %w", TranslateError(err))
	}
	return out, nil
}
