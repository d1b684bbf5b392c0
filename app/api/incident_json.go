package api

import (
	"time"

	"github.com/debrief-sre/debrief/models"
)

// apiIncident is an incident in the API. Durations are whole seconds,
// null when a timestamp they need is missing.
type apiIncident struct {
	Key                      string        `json:"key"`
	Title                    string        `json:"title"`
	Severity                 *string       `json:"severity"`
	Status                   string        `json:"status"`
	StartedAt                time.Time     `json:"started_at"`
	DetectedAt               *time.Time    `json:"detected_at"`
	AcknowledgedAt           *time.Time    `json:"acknowledged_at"`
	MitigatedAt              *time.Time    `json:"mitigated_at"`
	ResolvedAt               *time.Time    `json:"resolved_at"`
	Components               []string      `json:"components"`
	Tags                     []string      `json:"tags"`
	Team                     *string       `json:"team"`
	Commander                *string       `json:"commander"`
	Scribe                   *string       `json:"scribe"`
	CommsLead                *string       `json:"comms_lead"`
	Summary                  string        `json:"summary"`
	Impact                   string        `json:"impact"`
	Links                    []models.Link `json:"links"`
	ExternalSource           string        `json:"external_source"`
	ExternalID               string        `json:"external_id"`
	TimeToDetectSeconds      *int64        `json:"time_to_detect_seconds"`
	TimeToAcknowledgeSeconds *int64        `json:"time_to_acknowledge_seconds"`
	TimeToMitigateSeconds    *int64        `json:"time_to_mitigate_seconds"`
	TimeToResolveSeconds     *int64        `json:"time_to_resolve_seconds"`
	Version                  int           `json:"version"`
	CreatedAt                time.Time     `json:"created_at"`
	UpdatedAt                time.Time     `json:"updated_at"`
}

func emailOf(u *models.User) *string {
	if u == nil {
		return nil
	}
	return &u.Email
}

func toAPIIncident(i *models.Incident) apiIncident {
	d := i.Durations()
	out := apiIncident{
		Key: i.Key(), Title: i.Title, Status: string(i.Status), StartedAt: i.StartedAt.UTC(),
		DetectedAt: utcPtr(i.DetectedAt), AcknowledgedAt: utcPtr(i.AcknowledgedAt), MitigatedAt: utcPtr(i.MitigatedAt), ResolvedAt: utcPtr(i.ResolvedAt),
		Components: i.ComponentSlugs(), Tags: i.TagNames(), Summary: i.Summary, Impact: i.Impact, Links: i.Links,
		ExternalSource: i.ExternalSource, ExternalID: i.ExternalID,
		Commander: emailOf(i.Commander), Scribe: emailOf(i.Scribe), CommsLead: emailOf(i.CommsLead),
		TimeToDetectSeconds: models.Seconds(d.Detect), TimeToAcknowledgeSeconds: models.Seconds(d.Acknowledge),
		TimeToMitigateSeconds: models.Seconds(d.Mitigate), TimeToResolveSeconds: models.Seconds(d.Resolve),
		Version: i.Version, CreatedAt: i.CreatedAt.UTC(), UpdatedAt: i.UpdatedAt.UTC(),
	}
	if i.Severity != nil {
		out.Severity = &i.Severity.Name
	}
	if i.Team != nil {
		out.Team = &i.Team.Slug
	}
	if out.Links == nil {
		out.Links = []models.Link{}
	}
	return out
}
