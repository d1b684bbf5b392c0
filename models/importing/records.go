package importing

import (
	"bufio"
	"bytes"
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
	// Err is a problem reading this row (a wrong number of cells, a cell
	// over MaxCellBytes); ErrCol names the column when there is one.
	Err    string
	ErrCol string
}

func (r record) get(col string) string { return strings.Join(r.Cols[col], ", ") }

// has reports whether the row has the column at all (a JSON record may
// lack a key; an empty CSV cell or a JSON null is there, and empty).
func (r record) has(col string) bool {
	_, ok := r.Cols[col]
	return ok
}

// capCells empties the values over MaxCellBytes and marks the row bad,
// naming the first such column.
func (r *record) capCells() {
	for col, vals := range r.Cols {
		for i, v := range vals {
			if len(v) <= MaxCellBytes {
				continue
			}
			if r.Err == "" || r.ErrCol == "" || col < r.ErrCol {
				r.Err = fmt.Sprintf("has %d bytes in column %q; a cell may hold at most %d KiB", len(v), col, MaxCellBytes>>10)
				r.ErrCol = col
			}
			vals[i] = ""
		}
	}
}

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

// records streams the rows of a file: next returns io.EOF after the last
// one. Only the row being read is in memory.
type records struct {
	next     func() (record, error)
	warnings []string
}

var errNotUTF8 = errors.New("the file is not UTF-8 text; save it as UTF-8 and try again")

// readRecords opens the file as a stream of rows. A problem with the file
// as a whole (not CSV, not JSON, a missing column, too many rows) is an
// error, from here or from next; a problem with one row is kept on the row.
func readRecords(m *Mapping, format string, data io.Reader) (*records, error) {
	br := bufio.NewReaderSize(data, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	in := &utf8Reader{r: br}
	if format == "json" {
		return readJSON(m, in)
	}
	return readCSV(m, in)
}

// utf8Reader passes bytes through and fails with errNotUTF8 at the first
// byte that is not UTF-8.
type utf8Reader struct {
	r    io.Reader
	tail []byte // the start of a rune split across reads
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	if len(p) <= len(u.tail) {
		return 0, io.ErrShortBuffer
	}
	n, err := u.r.Read(p[len(u.tail):])
	copy(p, u.tail)
	n += len(u.tail)
	u.tail = u.tail[:0]
	buf := p[:n]
	keep := 0
	if err == nil {
		// hold back an incomplete rune at the end for the next read
		for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
			if utf8.RuneStart(buf[i]) {
				if !utf8.FullRune(buf[i:]) {
					keep = len(buf) - i
				}
				break
			}
		}
	}
	if !utf8.Valid(buf[:len(buf)-keep]) || (err != nil && !utf8.Valid(buf)) {
		return 0, errNotUTF8
	}
	u.tail = append(u.tail, buf[len(buf)-keep:]...)
	return len(buf) - keep, err
}
