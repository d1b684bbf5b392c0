package importing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// mapRecord turns a record into incident values, collecting problems.
func (m *Mapping) mapRecord(rec record, l *catalog) *mappedRow {
	row := &mappedRow{line: rec.Line, set: map[string]bool{}}
	f := &m.Fields
	row.externalID = m.value(f.ExternalID, rec)
	if rec.Err != "" {
		row.fail(rec.ErrCol, "the row "+rec.Err+".")
		return row
	}
	if row.externalID == "" {
		row.fail("external_id", "The external ID is empty; every row needs one so that a second import updates it.")
	}
	in := &row.in
	in.ExternalSource, in.ExternalID = m.Source, row.externalID
	// present: the row has what the spec reads (a constant or template
	// always; a column only when the row has it).
	present := func(spec *FieldSpec) bool {
		return spec != nil && (spec.Column == "" || rec.has(spec.Column))
	}
	text := func(name string, spec *FieldSpec, dst *string) {
		if present(spec) {
			*dst = m.value(spec, rec)
			row.set[name] = true
		}
	}
	text("title", f.Title, &in.Title)
	text("impact", f.Impact, &in.Impact)
	text("summary", f.Summary, &in.Summary)
	if present(f.Status) {
		v := strings.ToLower(m.value(f.Status, rec))
		in.Status = models.IncidentStatus(v)
		row.set["status"] = true
		if v != "" && !in.Status.Valid() {
			row.fail("status", fmt.Sprintf("Status %q is not one of investigating, identified, monitoring, resolved, closed (use fields.status.map).", v))
		}
	}
	if present(f.Severity) {
		row.set["severity"] = true
		if v := m.value(f.Severity, rec); v != "" {
			row.severity = v
			if s, ok := l.severities[strings.ToLower(v)]; ok {
				in.SeverityID = &s.ID
				row.severity = s.Name
			} else {
				row.fail("severity", fmt.Sprintf("Severity %q does not exist (use fields.severity.map, or add it under Admin → Severities).", v))
			}
		}
	}
	if present(f.Team) {
		row.set["team"] = true
		if v := m.value(f.Team, rec); v != "" {
			if id, ok := l.teams[v]; ok {
				in.TeamID = &id
			} else if id, ok := l.teams[models.Slugify(v)]; ok {
				in.TeamID = &id
			} else {
				row.fail("team", fmt.Sprintf("No team has the slug %q.", v))
			}
		}
	}
	for _, p := range []struct {
		name string
		spec *FieldSpec
		dst  **int64
	}{{"commander", f.Commander, &in.CommanderID}, {"scribe", f.Scribe, &in.ScribeID}, {"comms_lead", f.CommsLead, &in.CommsLeadID}} {
		if !present(p.spec) {
			continue
		}
		row.set[p.name] = true
		if v := m.value(p.spec, rec); v != "" {
			if id, ok := l.users[strings.ToLower(v)]; ok {
				*p.dst = &id
			} else {
				row.fail(p.name, fmt.Sprintf("No user has the email address %q.", v))
			}
		}
	}
	for _, t := range []struct {
		name string
		spec *FieldSpec
		dst  **time.Time
	}{
		{"started_at", f.StartedAt, &in.StartedAt}, {"detected_at", f.DetectedAt, &in.DetectedAt},
		{"acknowledged_at", f.AcknowledgedAt, &in.AcknowledgedAt}, {"mitigated_at", f.MitigatedAt, &in.MitigatedAt},
		{"resolved_at", f.ResolvedAt, &in.ResolvedAt},
	} {
		if !present(t.spec) {
			continue
		}
		row.set[t.name] = true
		v := m.value(t.spec, rec)
		if v == "" {
			continue
		}
		tm, ok := m.parseTime(t.spec, v)
		if !ok {
			row.fail(t.name, fmt.Sprintf("%q does not match the time formats %v.", v, m.formatsOf(t.spec)))
			continue
		}
		*t.dst = &tm
	}
	if d := m.Dur; d != nil {
		if v := strings.TrimSpace(rec.get(d.Column)); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			switch {
			case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
				row.fail(d.Column, fmt.Sprintf("Duration %q is not a number.", v))
			case n < 0:
				row.fail(d.Column, fmt.Sprintf("Duration %q is negative.", v))
			case n > 10*365*24*3600:
				row.fail(d.Column, fmt.Sprintf("Duration %q is longer than ten years.", v))
			case in.StartedAt != nil:
				unit := map[string]time.Duration{"seconds": time.Second, "minutes": time.Minute, "hours": time.Hour}[d.Unit]
				end := in.StartedAt.Add(time.Duration(n * float64(unit)))
				dst := map[string]**time.Time{"detected_at": &in.DetectedAt, "acknowledged_at": &in.AcknowledgedAt,
					"mitigated_at": &in.MitigatedAt, "resolved_at": &in.ResolvedAt}[d.Sets]
				if *dst == nil {
					*dst = &end
				}
				row.set[d.Sets] = true
			}
		}
	}
	if m.Comps != nil && m.Comps.present(rec) {
		row.set["components"] = true
		for _, ref := range m.list(m.Comps, rec) {
			id, ok := l.component(ref, m.Comps.CreateMissing)
			if !ok {
				row.fail("components", fmt.Sprintf("No component is called %q (map it with components.map, or set components.create_missing).", ref))
				continue
			}
			in.ComponentIDs = append(in.ComponentIDs, id)
		}
	}
	if m.Tags != nil && m.Tags.present(rec) {
		row.set["tags"] = true
		in.Tags = m.list(m.Tags, rec)
	}
	for _, ls := range m.Links {
		if rec.has(ls.Column) {
			row.set["links"] = true
		}
	}
	if row.set["links"] {
		for _, ls := range m.Links {
			if u := strings.TrimSpace(rec.get(ls.Column)); u != "" {
				in.Links = append(in.Links, models.Link{URL: u, Kind: ls.Kind, Title: ls.Title})
			}
		}
	}
	return row
}
