package pages

import (
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// View models of incidents: list rows, the incident page, its timeline and
// the option lists of the form and filters. Every lookup table of models
// that an incident page needs is read here.

// incidentRow is an incident as lists show it.
func incidentRow(inc *models.Incident) views.IncidentRow {
	r := views.IncidentRow{
		Key: inc.Key(), Title: inc.Title, Tags: inc.TagNames(), Severity: severityView(inc.Severity),
		Status: string(inc.Status), StartedAt: inc.StartedAt, Resolve: inc.Durations().Resolve,
	}
	for _, c := range inc.Components {
		r.Components = append(r.Components, c.Name)
	}
	if inc.Commander != nil {
		r.Commander = inc.Commander.Name
	}
	return r
}

func incidentRows(list []models.Incident) []views.IncidentRow {
	out := make([]views.IncidentRow, 0, len(list))
	for i := range list {
		out = append(out, incidentRow(&list[i]))
	}
	return out
}

// incidentView is an incident as its page and timeline show it.
func incidentView(inc *models.Incident) *views.IncidentView {
	name := func(u *models.User) string {
		if u == nil {
			return ""
		}
		return u.Name
	}
	v := &views.IncidentView{
		ID: inc.ID, Key: inc.Key(), Title: inc.Title, Severity: severityView(inc.Severity),
		Status: string(inc.Status), StartedAt: inc.StartedAt,
		Commander: name(inc.Commander), Scribe: name(inc.Scribe), CommsLead: name(inc.CommsLead),
		Impact: inc.Impact, Summary: inc.Summary, Tags: inc.TagNames(),
		ExternalSource: inc.ExternalSource, ExternalID: inc.ExternalID,
		Durations: incidentDurations(inc),
	}
	if inc.Team != nil {
		v.Team = inc.Team.Name
	}
	for _, c := range inc.Components {
		v.Components = append(v.Components, views.ComponentRef{Name: c.Name, Slug: c.Slug})
	}
	for _, l := range inc.Links {
		v.Links = append(v.Links, views.LinkView{Title: l.Title, URL: l.URL, Kind: l.Kind})
	}
	start := inc.StartedAt
	v.Times = []views.IncidentTime{
		{Label: "Started", Field: "started_at", At: &start},
		{Label: "Detected", Field: "detected_at", At: inc.DetectedAt},
		{Label: "Acknowledged", Field: "acknowledged_at", At: inc.AcknowledgedAt},
		{Label: "Mitigated", Field: "mitigated_at", At: inc.MitigatedAt},
		{Label: "Resolved", Field: "resolved_at", At: inc.ResolvedAt},
	}
	return v
}

// incidentDurations are the incident's durations with their definitions,
// in the order of models.DurationDefinitions().
func incidentDurations(inc *models.Incident) []views.IncidentDuration {
	missing := []string{"detected", "acknowledged", "mitigated", "resolved"}
	var out []views.IncidentDuration
	for i, d := range inc.Durations().List() {
		def := models.DurationDefinitions()[i]
		out = append(out, views.IncidentDuration{
			Name: def.Name, Field: def.Field, Definition: def.Definition, Value: d, Missing: missing[i],
		})
	}
	return out
}

// incidentChoices are the option lists of the incident form and filters.
func incidentChoices(c *models.IncidentChoices) views.IncidentChoices {
	out := views.IncidentChoices{Severities: severityViews(c.Severities), Statuses: incidentStatuses()}
	for _, t := range c.Teams {
		out.Teams = append(out.Teams, views.Choice{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	for _, u := range c.Users {
		out.People = append(out.People, views.Choice{ID: u.ID, Name: u.Name})
	}
	for _, x := range c.Components {
		out.Components = append(out.Components, views.Choice{ID: x.ID, Slug: x.Slug, Name: x.Name})
	}
	return out
}

// incidentStatuses are the statuses in order.
func incidentStatuses() []string {
	out := make([]string, 0, len(models.IncidentStatuses()))
	for _, s := range models.IncidentStatuses() {
		out = append(out, string(s))
	}
	return out
}

// incidentSortOptions are the orders of the incident list.
func incidentSortOptions() []views.Option {
	out := make([]views.Option, 0, len(models.IncidentSorts()))
	for _, s := range models.IncidentSorts() {
		out = append(out, views.Option{Value: s.Value, Label: s.Label})
	}
	return out
}

// timelineKinds are the kinds a timeline event may have.
func timelineKinds() []string { return append([]string(nil), models.TimelineKinds()...) }

// timelineMilestones are the incident times a milestone event can set.
func timelineMilestones() []string { return append([]string(nil), models.Milestones()...) }

// timelineEvents are an incident's events as its timeline shows them.
func timelineEvents(list []models.TimelineEvent) []views.TimelineEventView {
	out := make([]views.TimelineEventView, 0, len(list))
	for _, e := range list {
		v := views.TimelineEventView{ID: e.ID, OccurredAt: e.OccurredAt, Kind: e.Kind, Text: e.Text, Milestone: e.Milestone, Source: e.Source}
		if e.Author != nil {
			v.Author = e.Author.Name
		}
		out = append(out, v)
	}
	return out
}

// pasteSkips are the lines of a pasted chat log that made no event.
func pasteSkips(list []models.ChatSkip) []views.PasteSkip {
	var out []views.PasteSkip
	for _, s := range list {
		out = append(out, views.PasteSkip{Line: s.Line, Text: s.Text, Reason: s.Reason})
	}
	return out
}

// incidentFormView is the declare (inc nil) or edit form.
func incidentFormView(f views.Form, choices *models.IncidentChoices, inc *models.Incident, loc *time.Location, now time.Time) views.IncidentFormModel {
	m := views.IncidentFormModel{Form: f, Choices: incidentChoices(choices), Zone: views.ZoneName(loc, now)}
	if inc != nil {
		m.Key = inc.Key()
	}
	return m
}
