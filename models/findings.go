package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Finding statuses: open → accepted (a risk accepted by an approver until
// an expiry date) / mitigated / resolved.
const (
	FindingOpen      = "open"
	FindingAccepted  = "accepted"
	FindingMitigated = "mitigated"
	FindingResolved  = "resolved"
)

// findingStatuses lists the statuses.
var findingStatuses = []string{FindingOpen, FindingAccepted, FindingMitigated, FindingResolved}

// Finding risks, highest first.
var findingRisks = []string{"critical", RiskHigh, RiskMedium, RiskLow}

// Finding is a risk a review found in a component. It belongs to the
// component and stays with it: unresolved findings carry over to the
// component's next review.
type Finding struct {
	ID                  int64
	ComponentID         int64
	Component           *Component `gorm:"foreignKey:ComponentID"`
	ReviewID            int64
	Review              *Review `gorm:"foreignKey:ReviewID"`
	QuestionKey         string
	Title               string
	Description         string
	Risk                string
	Status              string
	ApproverID          *int64
	Approver            *User `gorm:"foreignKey:ApproverID"`
	AcceptanceRationale string
	AcceptedUntil       *Date
	AcceptedAt          *time.Time
	ClosedAt            *time.Time
	CreatorID           *int64
	Creator             *User `gorm:"foreignKey:CreatorID"`
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// ReviewFinding links a finding to a review that tracks it.
type ReviewFinding struct {
	ReviewID    int64 `gorm:"primaryKey;autoIncrement:false"`
	FindingID   int64 `gorm:"primaryKey;autoIncrement:false"`
	CarriedOver bool
}

// Unresolved reports whether the finding is open or accepted.
func (f *Finding) Unresolved() bool { return f.Status == FindingOpen || f.Status == FindingAccepted }

// Expired reports whether an accepted risk's acceptance has run out.
func (f *Finding) Expired(today Date) bool {
	return f.Status == FindingAccepted && f.AcceptedUntil != nil && f.AcceptedUntil.Before(today)
}

// GetFinding loads a finding with its component, review, approver and
// creator.
func GetFinding(ctx context.Context, db *gorm.DB, id int64) (*Finding, error) {
	var f Finding
	err := db.WithContext(ctx).Preload("Component").Preload("Review").Preload("Approver").Preload("Creator").Where("id = ?", id).Take(&f).Error
	if err != nil {
		return nil, fmt.Errorf("models: get finding %d: %w", id, TranslateError(err))
	}
	return &f, nil
}

// GetFindings loads the findings with ids, with their approvers, by id
// (ErrNotFound when one of them does not exist).
func GetFindings(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]*Finding, error) {
	out := make(map[int64]*Finding, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var fs []Finding
	if err := db.WithContext(ctx).Preload("Approver").Where("id IN ?", ids).Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("models: get findings: %w", TranslateError(err))
	}
	for i := range fs {
		out[fs[i].ID] = &fs[i]
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fmt.Errorf("models: get finding %d: %w", id, ErrNotFound)
		}
	}
	return out, nil
}
