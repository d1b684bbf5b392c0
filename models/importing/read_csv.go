package importing

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readCSV reads the header and streams the rows; columns the mapping
// reads but the header lacks are an error for the required fields and a
// warning for the others (their fields are left as they are).
func readCSV(m *Mapping, in io.Reader) (*records, error) {
	r := csv.NewReader(in)
	r.Comma = []rune(m.CSV.Delimiter)[0]
	if m.CSV.Comment != "" {
		r.Comment = []rune(m.CSV.Comment)[0]
	}
	r.FieldsPerRecord = 0
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty")
	}
	if errors.Is(err, errNotUTF8) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("the header row cannot be read: %v", err)
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
		return nil, fmt.Errorf("the mapping reads columns the file does not have: %s (the file has: %s)",
			strings.Join(required, ", "), strings.Join(cols, ", "))
	}
	out := &records{}
	if len(missing) > 0 {
		out.warnings = append(out.warnings, "The file has no column "+strings.Join(missing, ", ")+"; the fields mapped to them are left as they are.")
	}
	n := 0
	out.next = func() (record, error) {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return record{}, io.EOF
		}
		var pe *csv.ParseError
		if err != nil && !(errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount)) {
			if errors.Is(err, errNotUTF8) {
				return record{}, errNotUTF8
			}
			if pe != nil {
				return record{}, fmt.Errorf("line %d: %v", pe.StartLine, pe.Err)
			}
			return record{}, err
		}
		line, _ := r.FieldPos(0)
		if n >= MaxRows {
			return record{}, fmt.Errorf("more than %d rows; split the file", MaxRows)
		}
		n++
		ir := record{Line: line, Cols: make(map[string][]string, len(cols))}
		if err != nil {
			ir.Err = fmt.Sprintf("has %d cells where the header has %d", len(rec), len(cols))
		}
		for i, v := range rec {
			if i < len(cols) {
				ir.Cols[cols[i]] = []string{v}
			}
		}
		ir.capCells()
		return ir, nil
	}
	return out, nil
}
