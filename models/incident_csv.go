package models

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// IncidentCSVHeader is the header of the CSV export. The built-in
// "debrief" import mapping reads the same columns, so an export imports
// back unchanged.
// Each call returns a fresh copy.
func IncidentCSVHeader() []string { return slices.Clone(incidentCSVHeader) }

var incidentCSVHeader = []string{
	"key", "title", "severity", "status",
	"started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at",
	"time_to_detect_seconds", "time_to_acknowledge_seconds", "time_to_mitigate_seconds", "time_to_resolve_seconds",
	"components", "tags", "team", "commander", "scribe", "comms_lead",
	"impact", "summary", "links", "external_source", "external_id",
}

// CSVListSeparator separates the values of list columns in the export.
const CSVListSeparator = "; "

// IncidentCSVRecord is one incident as a CSV row (times RFC 3339 UTC,
// durations in seconds, empty when undefined).
func IncidentCSVRecord(i *Incident) []string {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	secs := func(d *time.Duration) string {
		if s := Seconds(d); s != nil {
			return strconv.FormatInt(*s, 10)
		}
		return ""
	}
	email := func(u *User) string {
		if u == nil {
			return ""
		}
		return u.Email
	}
	sev := ""
	if i.Severity != nil {
		sev = i.Severity.Name
	}
	team := ""
	if i.Team != nil {
		team = i.Team.Slug
	}
	var links []string
	for _, l := range i.Links {
		links = append(links, l.Kind+"="+l.URL)
	}
	d := i.Durations()
	return []string{
		i.Key(), i.Title, sev, string(i.Status),
		ts(&i.StartedAt), ts(i.DetectedAt), ts(i.AcknowledgedAt), ts(i.MitigatedAt), ts(i.ResolvedAt),
		secs(d.Detect), secs(d.Acknowledge), secs(d.Mitigate), secs(d.Resolve),
		strings.Join(i.ComponentSlugs(), CSVListSeparator), strings.Join(i.TagNames(), CSVListSeparator),
		team, email(i.Commander), email(i.Scribe), email(i.CommsLead),
		i.Impact, i.Summary, strings.Join(links, CSVListSeparator), i.ExternalSource, i.ExternalID,
	}
}
