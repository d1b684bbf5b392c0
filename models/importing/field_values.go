package importing

import (
	"slices"
	"strings"

	"github.com/debrief-sre/debrief/models"
)

// value reads a field spec from a record ("" when empty).
func (m *Mapping) value(spec *FieldSpec, rec record) string {
	var v string
	switch {
	case spec.Value != nil:
		v = *spec.Value
	case spec.Template != "":
		v = templateRE.ReplaceAllStringFunc(spec.Template, func(s string) string { return rec.get(s[1 : len(s)-1]) })
		v = strings.TrimSpace(v)
	default:
		v = strings.TrimSpace(rec.get(spec.Column))
	}
	v = models.UnCSVSafe(v)
	if spec.Map != nil {
		if mapped, ok := lookupMap(spec.Map, v); ok {
			v = mapped
		}
	}
	if v == "" {
		v = spec.Default
	}
	return v
}

// lookupMap finds v in a mapping's map, exactly or else ignoring case.
func lookupMap(m map[string]string, v string) (string, bool) {
	if x, ok := m[v]; ok {
		return x, true
	}
	for k, x := range m {
		if strings.EqualFold(k, v) {
			return x, true
		}
	}
	return "", false
}

// list reads a list spec from a record.
func (m *Mapping) list(spec *ListSpec, rec record) []string {
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(models.UnCSVSafe(v))
		if spec.Map != nil {
			if mapped, ok := lookupMap(spec.Map, v); ok {
				v = strings.TrimSpace(mapped)
			}
		}
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, col := range spec.Columns {
		for _, cell := range rec.Cols[col] {
			for _, part := range strings.Split(cell, strings.TrimSpace(spec.Separator)) {
				add(part)
			}
		}
	}
	for _, v := range spec.Values {
		add(v)
	}
	return out
}

// present reports whether a row has any of the list's columns (or the
// list adds constant values).
func (l *ListSpec) present(rec record) bool {
	if len(l.Values) > 0 {
		return true
	}
	for _, c := range l.Columns {
		if rec.has(c) {
			return true
		}
	}
	return false
}
