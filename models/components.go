package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Component is a platform component: what operational reviews review and
// incidents affect. The catalog's rules and pages build on this type.
type Component struct {
	ID                 int64
	Name               string
	Slug               string
	TeamID             *int64
	Team               *Team `gorm:"foreignKey:TeamID"`
	Tier               int   // 1 = most critical … 3
	Description        string
	Links              []Link `gorm:"serializer:json"`
	ReviewIntervalDays int
	// LastReviewedAt is when the last review was completed; NextReviewDue
	// is that date plus the interval (nil: never reviewed, due now).
	LastReviewedAt *time.Time
	NextReviewDue  *Date
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Tags           []ComponentTag `gorm:"foreignKey:ComponentID"`
}

// Link is a titled URL (dashboard, runbook, repository, on-call, …).
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Kind  string `json:"kind,omitempty"`
}

// ComponentTag is one tag of a component.
type ComponentTag struct {
	ComponentID int64  `gorm:"primaryKey;autoIncrement:false"`
	Tag         string `gorm:"primaryKey"`
}

// DefaultReviewInterval is the review cadence by tier, in days.
func DefaultReviewInterval(tier int) int {
	switch tier {
	case 1:
		return 90
	case 2:
		return 180
	}
	return 365
}

// TagNames returns the component's tags as strings.
func (c *Component) TagNames() []string {
	out := make([]string, 0, len(c.Tags))
	for _, t := range c.Tags {
		out = append(out, t.Tag)
	}
	return out
}

// GetComponentBySlug loads a component with its team and tags.
func GetComponentBySlug(ctx context.Context, db *gorm.DB, slug string) (*Component, error) {
	var c Component
	err := db.WithContext(ctx).Preload("Team").Preload("Tags").Where("slug = ?", slug).Take(&c).Error
	if err != nil {
		return nil, fmt.Errorf("models: get component %q: %w", slug, TranslateError(err))
	}
	return &c, nil
}

// linksJSON encodes links as stored in a links column (never null).
func linksJSON(l []Link) string {
	if l == nil {
		l = []Link{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}
