package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// narrative writes impact and summary text in blameless language.
func (s *seeder) narrative(sev string, def componentDef, title string, in models.IncidentInput) (impact, summary string) {
	share := []string{"about 2 %", "about 5 %", "roughly 12 %", "a third"}[s.r.IntN(4)]
	switch sev {
	case "SEV1":
		impact = fmt.Sprintf("Customers could not complete orders: %s of checkout attempts failed while %s was degraded.", share, def.name)
	case "SEV2":
		impact = fmt.Sprintf("%s of requests to %s failed or were slow; customers saw errors and retried.", capitalise(share), def.name)
	case "SEV3":
		impact = "Limited impact: internal users and a few background jobs were delayed; customers were not affected as far as we know."
	default:
		impact = "No customer impact; caught by monitoring before anyone noticed."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s. %s\n\n", title, def.description)
	b.WriteString([]string{
		"A change that looked safe in staging behaved differently under production traffic. The alert fired on symptoms, which made the cause harder to see at first.",
		"Load grew faster than the capacity plan expected; the saturation warning existed but pointed at a dashboard nobody had open at night.",
		"A dependency slowed down and our retries multiplied its load. Timeouts were longer than the callers' own deadlines.",
		"Scheduled maintenance overlapped with a traffic peak that the calendar did not show.",
	}[s.r.IntN(4)])
	b.WriteString("\n\n**What helped:** the runbook's first three steps, and a quick rollback.")
	return impact, b.String()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// timeline adds the events of a major incident.
func (s *seeder) timeline(inc *models.Incident, def componentDef) error {
	var events []models.TimelineInput
	add := func(t *time.Time, kind, text string) {
		if t != nil && !t.After(s.now) {
			at := *t
			events = append(events, models.TimelineInput{OccurredAt: &at, Kind: kind, Text: text})
		}
	}
	start := inc.StartedAt
	add(&start, "observation", "Error rate on "+def.name+" starts to climb (seen later on the dashboard).")
	add(inc.DetectedAt, "detection", "Alert fired: symptom alert on "+def.name+" error budget burn.")
	if inc.AcknowledgedAt != nil {
		ack := *inc.AcknowledgedAt
		add(&ack, "action", "On-call acknowledged the page and opened the incident channel.")
		decl := ack.Add(2 * time.Minute)
		add(&decl, "decision", "Declared the incident; incident commander, scribe and comms lead named.")
		status := ack.Add(9 * time.Minute)
		add(&status, "communication", "Status page updated: investigating elevated errors.")
	}
	if inc.MitigatedAt != nil {
		before := inc.MitigatedAt.Add(-6 * time.Minute)
		if before.After(start) {
			add(&before, "action", "Rolled back the last change and shifted traffic away from the unhealthy pool.")
		}
		add(inc.MitigatedAt, "observation", "Error rate back to normal; watching for recurrence.")
	}
	if inc.ResolvedAt != nil {
		add(inc.ResolvedAt, "communication", "Status page: resolved. Postmortem to follow.")
	}
	if len(events) == 0 {
		return nil
	}
	_, err := models.AddTimelineEvents(s.ctx, s.db, s.actor("priya"), inc.ID, events)
	s.res.TimelineEvents += len(events)
	return err
}
