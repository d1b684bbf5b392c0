package importing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
)

func (m *Mapping) check() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	m.Format = strings.ToLower(strings.TrimSpace(m.Format))
	if m.Format != "" && m.Format != "csv" && m.Format != "json" {
		bad("format is csv or json, not %q", m.Format)
	}
	m.Source = strings.TrimSpace(m.Source)
	if m.Source == "" || len(m.Source) > 64 {
		bad("source is required (up to 64 characters): it names where the rows come from, like “pagerduty-export” or “spreadsheet-2019”")
	}
	if m.CSV.Delimiter == "" {
		m.CSV.Delimiter = ","
	}
	if m.CSV.Delimiter == `\t` {
		m.CSV.Delimiter = "\t"
	}
	if len([]rune(m.CSV.Delimiter)) != 1 {
		bad("csv.delimiter is one character")
	}
	if len([]rune(m.CSV.Comment)) > 1 {
		bad("csv.comment is one character or empty")
	}
	if m.Zone == "" {
		m.Zone = "UTC"
	}
	loc, err := time.LoadLocation(m.Zone)
	if err != nil || strings.EqualFold(m.Zone, "local") {
		bad("time_zone %q is not an IANA zone name such as UTC or Europe/Berlin", m.Zone)
		loc = time.UTC
	}
	m.loc = loc
	if len(m.Times) == 0 {
		m.Times = []string{"rfc3339", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"}
	}
	if m.layouts, err = layoutsOf(m.Times); err != nil {
		bad("time_formats: %v", err)
	}
	if m.Sep == "" {
		m.Sep = ";"
	}
	switch m.Dups {
	case "":
		m.Dups = "reject"
	case "reject", "number":
	default:
		bad("duplicates is reject or number, not %q", m.Dups)
	}
	f := &m.Fields
	if f.ExternalID == nil {
		bad("fields.external_id is required: imports update the incidents they created before by this ID")
	}
	if f.Title == nil {
		bad("fields.title is required")
	}
	if f.StartedAt == nil {
		bad("fields.started_at is required")
	}
	for name, spec := range f.all() {
		if spec == nil {
			continue
		}
		n := 0
		if spec.Column != "" {
			n++
		}
		if spec.Value != nil {
			n++
		}
		if spec.Template != "" {
			n++
		}
		if n != 1 {
			bad("fields.%s needs exactly one of column, value or template", name)
		}
		if len(spec.Formats) > 0 {
			if spec.layouts, err = layoutsOf(spec.Formats); err != nil {
				bad("fields.%s.formats: %v", name, err)
			}
		}
	}
	if d := m.Dur; d != nil {
		if d.Column == "" {
			bad("duration.column is required")
		}
		if d.Unit == "" {
			d.Unit = "minutes"
		}
		if !slices.Contains([]string{"seconds", "minutes", "hours"}, d.Unit) {
			bad("duration.unit is seconds, minutes or hours")
		}
		if d.Sets == "" {
			d.Sets = "resolved_at"
		}
		if !slices.Contains([]string{"detected_at", "acknowledged_at", "mitigated_at", "resolved_at"}, d.Sets) {
			bad("duration.sets is detected_at, acknowledged_at, mitigated_at or resolved_at")
		}
	}
	for _, l := range []struct {
		name string
		spec *ListSpec
	}{{"components", m.Comps}, {"tags", m.Tags}} {
		if l.spec == nil {
			continue
		}
		if len(l.spec.Columns) == 0 && len(l.spec.Values) == 0 {
			bad("%s needs columns or values", l.name)
		}
		if l.spec.Separator == "" {
			l.spec.Separator = m.Sep
		}
		if l.name == "tags" && l.spec.CreateMissing {
			bad("tags.create_missing has no meaning: tags need no catalog")
		}
	}
	for i, l := range m.Links {
		if l.Column == "" {
			bad("links[%d].column is required", i)
		}
		if l.Kind == "" {
			m.Links[i].Kind = "other"
		} else if kinds := models.IncidentLinkKinds(); !slices.Contains(kinds, l.Kind) {
			bad("links[%d].kind is one of %s", i, strings.Join(kinds, ", "))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}
