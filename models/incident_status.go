package models

import "slices"

// IncidentStatus is where an incident stands.
type IncidentStatus string

// The statuses, in the order an incident usually passes through them.
const (
	StatusInvestigating IncidentStatus = "investigating"
	StatusIdentified    IncidentStatus = "identified"
	StatusMonitoring    IncidentStatus = "monitoring"
	StatusResolved      IncidentStatus = "resolved"
	StatusClosed        IncidentStatus = "closed"
)

// IncidentStatuses lists every status in order.
// Each call returns a fresh copy.
func IncidentStatuses() []IncidentStatus { return slices.Clone(incidentStatuses) }

var incidentStatuses = []IncidentStatus{StatusInvestigating, StatusIdentified, StatusMonitoring, StatusResolved, StatusClosed}

// Valid reports whether s is a known status.
func (s IncidentStatus) Valid() bool { return slices.Contains(incidentStatuses, s) }

// Open reports whether the incident is still being worked on.
func (s IncidentStatus) Open() bool { return s != StatusResolved && s != StatusClosed }
