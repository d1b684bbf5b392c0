package models

import "time"

// Postmortem is the blameless document of one incident.
type Postmortem struct {
	ID                int64
	IncidentID        int64
	Incident          *Incident `gorm:"foreignKey:IncidentID"`
	TemplateID        *int64
	Status            string
	OwnerID           *int64
	Owner             *User `gorm:"foreignKey:OwnerID"`
	FacilitatorID     *int64
	Facilitator       *User `gorm:"foreignKey:FacilitatorID"`
	DueDate           *Date
	CreatedByID       *int64
	ReviewRequestedAt *time.Time
	PublishedAt       *time.Time
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Sections          []PostmortemSection `gorm:"foreignKey:PostmortemID"`
}

// Editable reports whether the document (sections, people, factors) may
// still change.
func (p *Postmortem) Editable() bool { return p.Status != PostmortemPublished }

// Overdue reports whether the postmortem is unpublished past its due date.
func (p *Postmortem) Overdue(today Date) bool {
	return p.Status != PostmortemPublished && p.DueDate != nil && p.DueDate.Before(today)
}

// Section returns the section with the key, or nil.
func (p *Postmortem) Section(key string) *PostmortemSection {
	for i := range p.Sections {
		if p.Sections[i].Key == key {
			return &p.Sections[i]
		}
	}
	return nil
}
