package importing

import (
	"bytes"
	"errors"
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
