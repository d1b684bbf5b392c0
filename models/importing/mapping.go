package importing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"sigs.k8s.io/yaml"
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
