package api

import (
	"context"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// apiIncidentInput is the body of create (POST) and update (PATCH).
type apiIncidentInput struct {
	Title          optional[string]        `json:"title"`
	Severity       optional[string]        `json:"severity"`
	Status         optional[string]        `json:"status"`
	StartedAt      optional[string]        `json:"started_at"`
	DetectedAt     optional[string]        `json:"detected_at"`
	AcknowledgedAt optional[string]        `json:"acknowledged_at"`
	MitigatedAt    optional[string]        `json:"mitigated_at"`
	ResolvedAt     optional[string]        `json:"resolved_at"`
	Components     optional[[]string]      `json:"components"`
	Tags           optional[[]string]      `json:"tags"`
	Team           optional[string]        `json:"team"`
	Commander      optional[string]        `json:"commander"`
	Scribe         optional[string]        `json:"scribe"`
	CommsLead      optional[string]        `json:"comms_lead"`
	Summary        optional[string]        `json:"summary"`
	Impact         optional[string]        `json:"impact"`
	Links          optional[[]models.Link] `json:"links"`
	ExternalSource optional[string]        `json:"external_source"`
	ExternalID     optional[string]        `json:"external_id"`
	Version        optional[int]           `json:"version"`
}

// apply lays the fields present in the body over in, resolving names,
// slugs and emails; problems are field errors.
func (h Incidents) applyAPIInput(ctx context.Context, body apiIncidentInput, in *models.IncidentInput) error {
	v := &models.ValidationError{}
	str := func(o optional[string], dst *string) {
		if o.Set {
			*dst = o.Value
		}
	}
	str(body.Title, &in.Title)
	str(body.Summary, &in.Summary)
	str(body.Impact, &in.Impact)
	str(body.ExternalSource, &in.ExternalSource)
	str(body.ExternalID, &in.ExternalID)
	if body.Status.Set {
		in.Status = models.IncidentStatus(body.Status.Value)
	}
	times := []struct {
		name string
		o    optional[string]
		dst  **time.Time
	}{
		{"started_at", body.StartedAt, &in.StartedAt}, {"detected_at", body.DetectedAt, &in.DetectedAt},
		{"acknowledged_at", body.AcknowledgedAt, &in.AcknowledgedAt}, {"mitigated_at", body.MitigatedAt, &in.MitigatedAt},
		{"resolved_at", body.ResolvedAt, &in.ResolvedAt},
	}
	for _, t := range times {
		switch {
		case !t.o.Set:
		case t.o.Null || t.o.Value == "":
			*t.dst = nil
		default:
			tm, err := time.Parse(time.RFC3339Nano, t.o.Value)
			if err != nil {
				v.Add(t.name, "Use an RFC 3339 time with an offset, like 2026-03-01T14:05:00Z.")
				continue
			}
			*t.dst = &tm
		}
	}
	if body.Severity.Set {
		in.SeverityID = nil
		if !body.Severity.Null && body.Severity.Value != "" {
			sev, err := models.GetSeverityByName(ctx, h.DB, body.Severity.Value)
			if err != nil {
				v.Add("severity", "No severity is called "+body.Severity.Value+" (see GET /api/v1/severities).")
			} else {
				in.SeverityID = &sev.ID
			}
		}
	}
	if body.Team.Set {
		in.TeamID = nil
		if !body.Team.Null && body.Team.Value != "" {
			team, err := models.GetTeamBySlug(ctx, h.DB, body.Team.Value)
			if err != nil {
				v.Add("team", "No team has the slug "+body.Team.Value+".")
			} else {
				in.TeamID = &team.ID
			}
		}
	}
	for _, p := range []struct {
		name string
		o    optional[string]
		dst  **int64
	}{{"commander", body.Commander, &in.CommanderID}, {"scribe", body.Scribe, &in.ScribeID}, {"comms_lead", body.CommsLead, &in.CommsLeadID}} {
		if !p.o.Set {
			continue
		}
		*p.dst = nil
		if !p.o.Null && p.o.Value != "" {
			u, err := models.GetUserByEmail(ctx, h.DB, p.o.Value)
			if err != nil {
				v.Add(p.name, "No user has the email address "+p.o.Value+".")
			} else {
				*p.dst = &u.ID
			}
		}
	}
	if body.Components.Set {
		in.ComponentIDs = nil
		var unknown []string
		for _, slug := range body.Components.Value {
			c, err := models.GetComponentBySlug(ctx, h.DB, slug)
			if err != nil {
				unknown = append(unknown, slug)
				continue
			}
			in.ComponentIDs = append(in.ComponentIDs, c.ID)
		}
		if len(unknown) > 0 {
			v.Add("components", "Unknown component slugs: "+strings.Join(unknown, ", ")+".")
		}
	}
	if body.Tags.Set {
		in.Tags = body.Tags.Value
	}
	if body.Links.Set {
		in.Links = body.Links.Value
	}
	return v.Err()
}
