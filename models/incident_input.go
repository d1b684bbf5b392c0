package models

import (
	"slices"
	"strings"
	"time"
)

// Link kinds of an incident.
var incidentLinkKinds = []string{"pager", "chat", "ticket", "dashboard", "document", "other"}

// IncidentInput is everything a person (or an import, or a webhook) sets on
// an incident. Updates replace every field, so callers start from
// InputOf(current) and change what they mean to change.
type IncidentInput struct {
	Title          string
	SeverityID     *int64
	Status         IncidentStatus
	StartedAt      *time.Time
	DetectedAt     *time.Time
	AcknowledgedAt *time.Time
	MitigatedAt    *time.Time
	ResolvedAt     *time.Time
	TeamID         *int64
	CommanderID    *int64
	ScribeID       *int64
	CommsLeadID    *int64
	Impact         string
	Summary        string
	Links          []Link
	ComponentIDs   []int64
	Tags           []string
	ExternalSource string
	ExternalID     string
}

// InputOf returns the input that would store i as it is.
func InputOf(i *Incident) IncidentInput {
	in := IncidentInput{
		Title: i.Title, SeverityID: i.SeverityID, Status: i.Status, StartedAt: &i.StartedAt,
		DetectedAt: i.DetectedAt, AcknowledgedAt: i.AcknowledgedAt, MitigatedAt: i.MitigatedAt, ResolvedAt: i.ResolvedAt,
		TeamID: i.TeamID, CommanderID: i.CommanderID, ScribeID: i.ScribeID, CommsLeadID: i.CommsLeadID,
		Impact: i.Impact, Summary: i.Summary, Links: slices.Clone(i.Links), Tags: i.TagNames(),
		ExternalSource: i.ExternalSource, ExternalID: i.ExternalID,
	}
	for _, c := range i.Components {
		in.ComponentIDs = append(in.ComponentIDs, c.ID)
	}
	return in
}

// Limits of incident fields.
const (
	MaxTitleLength    = 200
	MaxMarkdownLength = 100_000
	MaxTags           = 30
	MaxTagLength      = 64
	MaxLinks          = 20
)

// timestampFields names the incident timestamps after started, in order,
// with their form/JSON field names.
var timestampFields = []struct{ Field, Label string }{
	{"detected_at", "Detected"},
	{"acknowledged_at", "Acknowledged"},
	{"mitigated_at", "Mitigated"},
	{"resolved_at", "Resolved"},
}

// NormalizeTag trims a tag, folds it to lower case and collapses inner
// white space.
func NormalizeTag(s string) string {
	return strings.ToLower(CleanLine(s))
}

// applyInput copies validated input onto the record (components aside).
func applyInput(inc *Incident, in IncidentInput) {
	inc.Title, inc.SeverityID, inc.Status = in.Title, in.SeverityID, in.Status
	inc.StartedAt = *in.StartedAt
	inc.DetectedAt, inc.AcknowledgedAt, inc.MitigatedAt, inc.ResolvedAt = in.DetectedAt, in.AcknowledgedAt, in.MitigatedAt, in.ResolvedAt
	inc.TeamID, inc.CommanderID, inc.ScribeID, inc.CommsLeadID = in.TeamID, in.CommanderID, in.ScribeID, in.CommsLeadID
	inc.Impact, inc.Summary, inc.Links = in.Impact, in.Summary, in.Links
	if inc.Links == nil {
		inc.Links = []Link{}
	}
	inc.ExternalSource, inc.ExternalID = in.ExternalSource, in.ExternalID
	inc.Tags = make([]IncidentTag, 0, len(in.Tags))
	for _, t := range in.Tags {
		inc.Tags = append(inc.Tags, IncidentTag{IncidentID: inc.ID, Tag: t})
	}
}
