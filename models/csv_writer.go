package models

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// CSVWriter writes every CSV file Debrief hands out (incident export,
// action items, every insight table), so that no cell can run as a
// spreadsheet formula: each cell goes through CSVSafe. It is the only
// encoding/csv writer outside tests (app/layout_test.go checks).
type CSVWriter struct{ w *csv.Writer }

// NewCSVWriter writes CSV to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one record, each cell made safe; the slice is not changed.
func (c *CSVWriter) Write(cells []string) error {
	safe := make([]string, len(cells))
	for i, s := range cells {
		safe[i] = CSVSafe(s)
	}
	return c.w.Write(safe)
}

// Flush writes out what is buffered and reports any error so far.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (or, for tab and CR, hide one behind a blank).
const formulaStarts = "=+-@\t\r"

// CSVSafe makes text safe for a CSV cell: control characters go (line
// breaks stay, as "\n"; the CSV writer quotes them), and spreadsheet
// formulas are defused: a cell starting with = + - @ tab or CR gets a
// leading apostrophe, which UnCSVSafe removes on import. A plain number
// ("-3", "+1.5e3") is left as it is: a spreadsheet reads it as the
// number it is, never as a formula.
func CSVSafe(s string) string {
	s = CleanText(s)
	if s == "" || !strings.ContainsRune(formulaStarts, rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// UnCSVSafe undoes CSVSafe.
func UnCSVSafe(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}
