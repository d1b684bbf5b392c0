package importing

import (
	"slices"
)

func (f *FieldMappings) all() map[string]*FieldSpec {
	return map[string]*FieldSpec{
		"external_id": f.ExternalID, "title": f.Title, "severity": f.Severity, "status": f.Status,
		"started_at": f.StartedAt, "detected_at": f.DetectedAt, "acknowledged_at": f.AcknowledgedAt,
		"mitigated_at": f.MitigatedAt, "resolved_at": f.ResolvedAt, "team": f.Team, "commander": f.Commander,
		"scribe": f.Scribe, "comms_lead": f.CommsLead, "impact": f.Impact, "summary": f.Summary,
	}
}

// Columns lists every column the mapping reads.
func (m *Mapping) Columns() []string {
	var out []string
	add := func(c string) {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, spec := range m.Fields.all() {
		if spec == nil {
			continue
		}
		add(spec.Column)
		for _, mm := range templateRE.FindAllStringSubmatch(spec.Template, -1) {
			add(mm[1])
		}
	}
	if m.Dur != nil {
		add(m.Dur.Column)
	}
	for _, l := range []*ListSpec{m.Comps, m.Tags} {
		if l != nil {
			for _, c := range l.Columns {
				add(c)
			}
		}
	}
	for _, l := range m.Links {
		add(l.Column)
	}
	slices.Sort(out)
	return out
}

// requiredColumns are the columns of the required fields.
func (m *Mapping) requiredColumns() []string {
	var out []string
	for _, spec := range []*FieldSpec{m.Fields.ExternalID, m.Fields.Title, m.Fields.StartedAt} {
		if spec == nil {
			continue
		}
		if spec.Column != "" {
			out = append(out, spec.Column)
		}
		for _, mm := range templateRE.FindAllStringSubmatch(spec.Template, -1) {
			out = append(out, mm[1])
		}
	}
	return out
}
