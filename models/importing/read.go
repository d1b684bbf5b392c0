package importing

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// record is one row of an import file: column → values (one value
// for CSV cells and JSON scalars, several for JSON arrays).
type record struct {
	Line int // CSV line, or 1-based record number for JSON
	Cols map[string][]string
	// Err is a problem reading this row (a wrong number of cells).
	Err string
}

func (r record) get(col string) string { return strings.Join(r.Cols[col], ", ") }

// has reports whether the row has the column at all (a JSON record may
// lack a key; an empty CSV cell or a JSON null is there, and empty).
func (r record) has(col string) bool {
	_, ok := r.Cols[col]
	return ok
}

// MaxRows bounds the rows of one import.
const MaxRows = 200_000

// DetectFormat picks csv or json from the mapping or the file name.
func DetectFormat(m *Mapping, filename string) string {
	if m.Format != "" {
		return m.Format
	}
	if strings.EqualFold(path.Ext(filename), ".json") {
		return "json"
	}
	return "csv"
}

// readRecords parses the file. A problem with the file as a whole (not
// CSV, not JSON, a missing column) is an error; a problem with one row is
// kept on the row.
func readRecords(m *Mapping, format string, data []byte) ([]record, []string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, errors.New("the file is not UTF-8 text; save it as UTF-8 and try again")
	}
	if format == "json" {
		recs, err := readJSON(m, data)
		return recs, nil, err
	}
	return readCSV(m, data)
}

// readCSV reads the rows; columns the mapping reads but the header lacks
// are an error for the required fields and a warning for the others
// (their fields are left as they are).
func readCSV(m *Mapping, data []byte) ([]record, []string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = []rune(m.CSV.Delimiter)[0]
	if m.CSV.Comment != "" {
		r.Comment = []rune(m.CSV.Comment)[0]
	}
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("the header row cannot be read: %v", err)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strings.TrimSpace(h)
	}
	var missing, required []string
	needed := m.requiredColumns()
	for _, c := range m.Columns() {
		found := false
		for _, h := range cols {
			found = found || h == c
		}
		if !found {
			missing = append(missing, c)
			for _, r := range needed {
				if r == c {
					required = append(required, c)
				}
			}
		}
	}
	if len(required) > 0 {
		return nil, nil, fmt.Errorf("the mapping reads columns the file does not have: %s (the file has: %s)",
			strings.Join(required, ", "), strings.Join(cols, ", "))
	}
	var warnings []string
	if len(missing) > 0 {
		warnings = append(warnings, "The file has no column "+strings.Join(missing, ", ")+"; the fields mapped to them are left as they are.")
	}
	var out []record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !(errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount)) {
			if pe != nil {
				return nil, nil, fmt.Errorf("line %d: %v", pe.StartLine, pe.Err)
			}
			return nil, nil, err
		}
		line, _ := r.FieldPos(0)
		if len(out) >= MaxRows {
			return nil, nil, fmt.Errorf("more than %d rows; split the file", MaxRows)
		}
		ir := record{Line: line, Cols: map[string][]string{}}
		if err != nil {
			ir.Err = fmt.Sprintf("has %d cells where the header has %d", len(rec), len(cols))
		}
		for i, v := range rec {
			if i < len(cols) {
				ir.Cols[cols[i]] = []string{v}
			}
		}
		out = append(out, ir)
	}
	return out, warnings, nil
}

func readJSON(m *Mapping, data []byte) ([]record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, err)
		}
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one document")
	}
	if m.JSON.Records != "" {
		for _, key := range strings.Split(m.JSON.Records, ".") {
			obj, ok := doc.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("json.records %q: %q is not inside an object", m.JSON.Records, key)
			}
			if doc, ok = obj[key]; !ok {
				return nil, fmt.Errorf("json.records %q: no key %q", m.JSON.Records, key)
			}
		}
	}
	list, ok := doc.([]any)
	if !ok {
		return nil, errors.New("the JSON is not an array of records (set json.records to the path of the array)")
	}
	if len(list) > MaxRows {
		return nil, fmt.Errorf("more than %d records; split the file", MaxRows)
	}
	out := make([]record, 0, len(list))
	for i, item := range list {
		rec := record{Line: i + 1, Cols: map[string][]string{}}
		obj, ok := item.(map[string]any)
		if !ok {
			rec.Err = "is not a JSON object"
		} else {
			flatten("", obj, rec.Cols)
		}
		out = append(out, rec)
	}
	return out, nil
}

// flatten turns nested objects into dotted column names; arrays of
// scalars become lists, arrays of objects contribute each object's fields
// as lists ("assignees.email").
func flatten(prefix string, v any, out map[string][]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			flatten(name, val, out)
		}
	case []any:
		if len(x) == 0 {
			if _, ok := out[prefix]; !ok {
				out[prefix] = nil
			}
		}
		for _, item := range x {
			flatten(prefix, item, out)
		}
	case nil:
		if _, ok := out[prefix]; !ok {
			out[prefix] = nil
		}
	case string:
		out[prefix] = append(out[prefix], x)
	case json.Number:
		out[prefix] = append(out[prefix], x.String())
	case bool:
		if x {
			out[prefix] = append(out[prefix], "true")
		} else {
			out[prefix] = append(out[prefix], "false")
		}
	}
}
