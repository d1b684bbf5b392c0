package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ActionItem is one piece of follow-up work with an owner and a due date.
// Reviews, findings, postmortems and retros create them; the
// follow-through pages list them all.
type ActionItem struct {
	ID             int64
	Title          string
	Description    string // Markdown
	Status         string
	StatusReason   string // why it won't be done (required for wont_do)
	CompletionNote string
	Priority       string
	OwnerID        *int64
	Owner          *User `gorm:"foreignKey:OwnerID"`
	TeamID         *int64
	Team           *Team `gorm:"foreignKey:TeamID"`
	CreatorID      *int64
	Creator        *User `gorm:"foreignKey:CreatorID"`
	ComponentID    *int64
	Component      *Component `gorm:"foreignKey:ComponentID"`
	DueDate        *Date
	SourceKind     string
	ReviewID       *int64
	FindingID      *int64
	ExternalURL    string
	ClosedAt       *time.Time
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Postmortems and retros: the postmortem and the retro the
	// item came from.
	PostmortemID   *int64
	RetroSessionID *int64
	// Follow-through (follow_through.go): the day ClosedAt falls on in the
	// instance's zone, and the incident whose postmortem or retro produced
	// the item.
	ClosedOn   *Date
	IncidentID *int64
	Incident   *Incident `gorm:"foreignKey:IncidentID"`
}

// IsClosed reports whether the item is done or won't be done.
func (a *ActionItem) IsClosed() bool { return ActionClosed(a.Status) }

// Overdue reports whether the item is open past its due date.
func (a *ActionItem) Overdue(today Date) bool {
	return !a.IsClosed() && a.DueDate != nil && a.DueDate.Before(today)
}

// OwnerEmail is the owner's email, or "".
func (a *ActionItem) OwnerEmail() string {
	if a.Owner == nil {
		return ""
	}
	return a.Owner.Email
}

// TeamSlug is the team's slug, or "".
func (a *ActionItem) TeamSlug() string {
	if a.Team == nil {
		return ""
	}
	return a.Team.Slug
}

// ActionItemEvent is one entry of an item's append-only status history.
type ActionItemEvent struct {
	ID           int64
	ActionItemID int64
	At           time.Time
	ActorID      *int64
	ActorName    string
	FromStatus   string
	ToStatus     string
	Note         string
}

// GetActionItem loads an item with its owner, team, creator and component.
func GetActionItem(ctx context.Context, db *gorm.DB, id int64) (*ActionItem, error) {
	var a ActionItem
	err := db.WithContext(ctx).Preload("Owner").Preload("Team").Preload("Creator").Preload("Component").Preload("Incident").Preload("Incident.Severity").
		Where("id = ?", id).Take(&a).Error
	if err != nil {
		return nil, fmt.Errorf("models: get action item %d: %w", id, TranslateError(err))
	}
	return &a, nil
}

// ActionSourceTitles are the titles of where an item came from, for
// links on its page (empty where it has no such source).
type ActionSourceTitles struct {
	Review, Finding, Retro string
}

// SourceTitlesOf reads the titles of an item's review, finding and retro,
// each by primary key and nothing else.
func SourceTitlesOf(ctx context.Context, db *gorm.DB, a *ActionItem) (ActionSourceTitles, error) {
	var out ActionSourceTitles
	for _, src := range []struct {
		table string
		id    *int64
		dst   *string
	}{{"reviews", a.ReviewID, &out.Review}, {"findings", a.FindingID, &out.Finding}, {"retro_sessions", a.RetroSessionID, &out.Retro}} {
		if src.id == nil {
			continue
		}
		if err := db.WithContext(ctx).Table(src.table).Select("title").Where("id = ?", *src.id).Take(src.dst).Error; err != nil {
			return out, fmt.Errorf("models: title of %s %d: %w", src.table, *src.id, TranslateError(err))
		}
	}
	return out, nil
}
