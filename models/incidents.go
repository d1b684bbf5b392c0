package models

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Incident is one incident record. Its timestamps are UTC; each of them
// may be missing except StartedAt.
type Incident struct {
	ID             int64
	Number         int64
	Title          string
	SeverityID     *int64
	Severity       *Severity `gorm:"foreignKey:SeverityID"`
	Status         IncidentStatus
	StartedAt      time.Time
	DetectedAt     *time.Time
	AcknowledgedAt *time.Time
	MitigatedAt    *time.Time
	ResolvedAt     *time.Time
	TeamID         *int64
	Team           *Team `gorm:"foreignKey:TeamID"`
	CommanderID    *int64
	Commander      *User `gorm:"foreignKey:CommanderID"`
	ScribeID       *int64
	Scribe         *User `gorm:"foreignKey:ScribeID"`
	CommsLeadID    *int64
	CommsLead      *User `gorm:"foreignKey:CommsLeadID"`
	Impact         string
	Summary        string
	Links          []Link `gorm:"serializer:json"`
	ExternalSource string
	ExternalID     string
	CreatedByID    *int64
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Components     []Component   `gorm:"many2many:incident_components;joinForeignKey:IncidentID;joinReferences:ComponentID"`
	Tags           []IncidentTag `gorm:"foreignKey:IncidentID"`
}

// IncidentComponent links an incident to an affected component.
type IncidentComponent struct {
	IncidentID  int64 `gorm:"primaryKey;autoIncrement:false"`
	ComponentID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// IncidentTag is one tag of an incident.
type IncidentTag struct {
	IncidentID int64  `gorm:"primaryKey;autoIncrement:false"`
	Tag        string `gorm:"primaryKey"`
}

// incidentSequence hands out incident numbers.
type incidentSequence struct {
	ID         int64
	LastNumber int64
}

func (incidentSequence) TableName() string { return "incident_sequence" }

// KeyPrefix starts every incident key.
const KeyPrefix = "INC-"

// Key is the incident's human key, like INC-42.
func (i *Incident) Key() string { return IncidentKey(i.Number) }

// IncidentKey formats an incident number as a key.
func IncidentKey(n int64) string { return KeyPrefix + strconv.FormatInt(n, 10) }

// ParseIncidentKey reads "INC-42", "inc-42" or "42".
func ParseIncidentKey(key string) (int64, bool) {
	k := strings.TrimSpace(key)
	if len(k) >= len(KeyPrefix) && strings.EqualFold(k[:len(KeyPrefix)], KeyPrefix) {
		k = k[len(KeyPrefix):]
	}
	n, err := strconv.ParseInt(k, 10, 64)
	return n, err == nil && n > 0
}

// TagNames returns the incident's tags as strings, sorted.
func (i *Incident) TagNames() []string {
	out := make([]string, 0, len(i.Tags))
	for _, t := range i.Tags {
		out = append(out, t.Tag)
	}
	slices.Sort(out)
	return out
}

// ComponentSlugs returns the slugs of the affected components, sorted.
func (i *Incident) ComponentSlugs() []string {
	out := make([]string, 0, len(i.Components))
	for _, c := range i.Components {
		out = append(out, c.Slug)
	}
	slices.Sort(out)
	return out
}
