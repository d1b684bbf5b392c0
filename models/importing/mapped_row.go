package importing

import (
	"github.com/debrief-sre/debrief/models"
)

// mappedRow is one record mapped to incident values.
type mappedRow struct {
	line       int
	externalID string
	set        map[string]bool
	in         models.IncidentInput
	compRefs   []string
	severity   string
	errs       []RowError
	existing   *models.Incident
	action     string
}

func (r *mappedRow) fail(field, msg string) {
	r.errs = append(r.errs, RowError{Line: r.line, ExternalID: clip(r.externalID), Field: field, Message: clip(msg)})
}

// merge lays the mapped values over an existing incident's input, so
// fields the mapping does not set keep what is stored.
func (r *mappedRow) merge(base models.IncidentInput) models.IncidentInput {
	in := base
	m := r.in
	pick := func(name string, apply func()) {
		if r.set[name] {
			apply()
		}
	}
	pick("title", func() { in.Title = m.Title })
	pick("impact", func() { in.Impact = m.Impact })
	pick("summary", func() { in.Summary = m.Summary })
	pick("status", func() { in.Status = m.Status })
	pick("severity", func() { in.SeverityID = m.SeverityID })
	pick("team", func() { in.TeamID = m.TeamID })
	pick("commander", func() { in.CommanderID = m.CommanderID })
	pick("scribe", func() { in.ScribeID = m.ScribeID })
	pick("comms_lead", func() { in.CommsLeadID = m.CommsLeadID })
	pick("started_at", func() { in.StartedAt = m.StartedAt })
	pick("detected_at", func() { in.DetectedAt = m.DetectedAt })
	pick("acknowledged_at", func() { in.AcknowledgedAt = m.AcknowledgedAt })
	pick("mitigated_at", func() { in.MitigatedAt = m.MitigatedAt })
	pick("resolved_at", func() { in.ResolvedAt = m.ResolvedAt })
	pick("components", func() { in.ComponentIDs = m.ComponentIDs })
	pick("tags", func() { in.Tags = m.Tags })
	pick("links", func() { in.Links = m.Links })
	in.ExternalSource, in.ExternalID = m.ExternalSource, m.ExternalID
	return in
}
