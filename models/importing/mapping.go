package importing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/debrief-sre/debrief/models"
)

// Mapping says how the columns of a CSV or JSON file become
// incidents. docs/importing.md documents every key.
type Mapping struct {
	// Format is csv or json; empty picks it from the file name.
	Format string `json:"format"`
	// Source names where the rows come from; it is the external source of
	// every imported incident and, with the external ID, makes a second
	// import update instead of duplicate.
	Source string         `json:"source"`
	CSV    CSVOptions     `json:"csv"`
	JSON   JSONOptions    `json:"json"`
	Zone   string         `json:"time_zone"`
	Times  []string       `json:"time_formats"`
	Sep    string         `json:"list_separator"`
	Dups   string         `json:"duplicates"`
	Fields FieldMappings  `json:"fields"`
	Dur    *DurationSpec  `json:"duration"`
	Comps  *ListSpec      `json:"components"`
	Tags   *ListSpec      `json:"tags"`
	Links  []LinkSpec     `json:"links"`
	loc    *time.Location `json:"-"`
	// layouts are Times as Go layouts (or the keywords rfc3339, unix,
	// unix_ms), parsed by ParseMapping.
	layouts []string `json:"-"`
}

// CSVOptions tune CSV reading.
type CSVOptions struct {
	Delimiter string `json:"delimiter"`
	Comment   string `json:"comment"`
}

// JSONOptions tune JSON reading.
type JSONOptions struct {
	// Records is the dotted path to the array of records ("" when the
	// document is the array).
	Records string `json:"records"`
}

// FieldMappings maps incident fields to columns, constants or templates.
type FieldMappings struct {
	ExternalID     *FieldSpec `json:"external_id"`
	Title          *FieldSpec `json:"title"`
	Severity       *FieldSpec `json:"severity"`
	Status         *FieldSpec `json:"status"`
	StartedAt      *FieldSpec `json:"started_at"`
	DetectedAt     *FieldSpec `json:"detected_at"`
	AcknowledgedAt *FieldSpec `json:"acknowledged_at"`
	MitigatedAt    *FieldSpec `json:"mitigated_at"`
	ResolvedAt     *FieldSpec `json:"resolved_at"`
	Team           *FieldSpec `json:"team"`
	Commander      *FieldSpec `json:"commander"`
	Scribe         *FieldSpec `json:"scribe"`
	CommsLead      *FieldSpec `json:"comms_lead"`
	Impact         *FieldSpec `json:"impact"`
	Summary        *FieldSpec `json:"summary"`
}

// FieldSpec is where one field's value comes from: a column (written as a
// plain string), a constant value, or a template with {column}
// placeholders; map translates values and default fills empty ones.
type FieldSpec struct {
	Column   string            `json:"column"`
	Value    *string           `json:"value"`
	Template string            `json:"template"`
	Map      map[string]string `json:"map"`
	Default  string            `json:"default"`
	// Format overrides the mapping's time formats for this field.
	Formats []string `json:"formats"`
	layouts []string
}

// UnmarshalJSON accepts "column" or {column|value|template, map, default}.
func (f *FieldSpec) UnmarshalJSON(b []byte) error {
	var col string
	if err := json.Unmarshal(b, &col); err == nil {
		*f = FieldSpec{Column: col}
		return nil
	}
	type plain FieldSpec
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("a field is a column name or {column, value, template, map, default, formats}: %w", err)
	}
	*f = FieldSpec(p)
	return nil
}

// DurationSpec turns start + duration into an end time.
type DurationSpec struct {
	Column string `json:"column"`
	// Unit is seconds, minutes (default) or hours.
	Unit string `json:"unit"`
	// Sets is the timestamp it fills: resolved_at (default), mitigated_at,
	// acknowledged_at or detected_at. A timestamp mapped directly wins.
	Sets string `json:"sets"`
}

// ListSpec reads a list (components, tags) from one or more columns.
type ListSpec struct {
	Columns   []string          `json:"columns"`
	Separator string            `json:"separator"`
	Map       map[string]string `json:"map"`
	// Values are added to every row (for example a tag "imported").
	Values []string `json:"values"`
	// CreateMissing creates components the catalog does not have yet
	// (components only); otherwise an unknown component rejects the row.
	CreateMissing bool `json:"create_missing"`
}

// LinkSpec makes a link from a column of URLs.
type LinkSpec struct {
	Column string `json:"column"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
}

var templateRE = regexp.MustCompile(`\{([^{}]+)\}`)

// ParseMapping reads and checks a YAML mapping. Errors name the key.
func ParseMapping(src []byte) (*Mapping, error) {
	var m Mapping
	if err := yaml.UnmarshalStrict(src, &m); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return &m, nil
}

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

// strftime directives and their Go layout equivalents.
var strftime = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03", 'M': "04", 'S': "05",
	'p': "PM", 'b': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'z': "-0700", 'Z': "MST",
	'f': "000000", 'j': "002", '%': "%",
}

// layoutsOf turns strftime-style formats (%Y-%m-%d %H:%M) into Go layouts.
// The keywords rfc3339, unix and unix_ms pass through.
func layoutsOf(formats []string) ([]string, error) {
	out := make([]string, 0, len(formats))
	for _, f := range formats {
		switch f {
		case "rfc3339", "unix", "unix_ms":
			out = append(out, f)
			continue
		}
		var b strings.Builder
		for i := 0; i < len(f); i++ {
			if f[i] != '%' {
				b.WriteByte(f[i])
				continue
			}
			if i+1 >= len(f) {
				return nil, fmt.Errorf("%q ends with a lone %%", f)
			}
			i++
			g, ok := strftime[f[i]]
			if !ok {
				return nil, fmt.Errorf("%q: %%%c is not a known directive (use %%Y %%m %%d %%H %%M %%S %%p %%b %%z …)", f, f[i])
			}
			b.WriteString(g)
		}
		out = append(out, b.String())
	}
	return out, nil
}
