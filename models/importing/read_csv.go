package importing

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

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
