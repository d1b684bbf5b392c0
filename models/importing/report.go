package importing

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Options tune Run.
type Options struct {
	Filename string
	// DryRun checks and previews without writing anything.
	DryRun bool
	// PreviewRows is how many rows the report previews (default 20).
	PreviewRows int
	// Progress is called as rows are written (done of total).
	Progress func(done, total int)
}

// RowError is a problem with one row.
type RowError struct {
	Line       int    `json:"line"`
	ExternalID string `json:"external_id,omitempty"`
	Field      string `json:"field,omitempty"`
	Message    string `json:"message"`
}

func (e RowError) String() string {
	s := "row at line " + strconv.Itoa(e.Line)
	if e.ExternalID != "" {
		s += " (" + e.ExternalID + ")"
	}
	if e.Field != "" {
		s += ", " + e.Field
	}
	return s + ": " + e.Message
}

// RowPreview is one row as it will be stored.
type RowPreview struct {
	Line       int        `json:"line"`
	Action     string     `json:"action"` // create, update, unchanged, reject
	Key        string     `json:"key,omitempty"`
	ExternalID string     `json:"external_id"`
	Title      string     `json:"title"`
	Severity   string     `json:"severity"`
	Status     string     `json:"status"`
	StartedAt  *time.Time `json:"started_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Components []string   `json:"components"`
	Tags       []string   `json:"tags"`
	Errors     []RowError `json:"errors,omitempty"`
}

// Report says what an import did (or, dry, would do).
type Report struct {
	Format            string       `json:"format"`
	DryRun            bool         `json:"dry_run"`
	Total             int          `json:"total"`
	Created           int          `json:"created"`
	Updated           int          `json:"updated"`
	Unchanged         int          `json:"unchanged"`
	Rejected          int          `json:"rejected"`
	ComponentsCreated []string     `json:"components_created"`
	Errors            []RowError   `json:"errors"`
	Warnings          []string     `json:"warnings"`
	Preview           []RowPreview `json:"preview"`
	// ErrorsOmitted counts the row problems beyond MaxReportErrors (or
	// dropped to keep the stored report under MaxReportBytes).
	ErrorsOmitted int `json:"errors_omitted,omitempty"`
	// PreviewOmitted counts preview rows dropped to keep the stored
	// report under MaxReportBytes.
	PreviewOmitted int `json:"preview_omitted,omitempty"`

	rows int // rows added so far (for the preview)
}

// OK reports whether every row can be imported.
func (r *Report) OK() bool { return r.Rejected == 0 }

// add counts a decided chunk of rows and keeps the first n of them (and
// up to 100 rejected ones after) for the preview, and up to
// MaxReportErrors problems.
func (r *Report) add(rows []*mappedRow, lk *catalog, n int) {
	for _, row := range rows {
		i := r.rows
		r.rows++
		r.Total++
		switch row.action {
		case "create":
			r.Created++
		case "update":
			r.Updated++
		case "unchanged":
			r.Unchanged++
		default:
			r.Rejected++
			for _, e := range row.errs {
				if len(r.Errors) < MaxReportErrors {
					r.Errors = append(r.Errors, e)
				} else {
					r.ErrorsOmitted++
				}
			}
		}
		if (i >= n && row.action != "reject") || len(r.Preview) >= n+100 {
			continue
		}
		r.Preview = append(r.Preview, previewOf(row, lk))
	}
}

func previewOf(r *mappedRow, lk *catalog) RowPreview {
	p := RowPreview{Line: r.line, Action: r.action, ExternalID: clip(r.externalID), Title: clip(r.in.Title),
		Severity: clip(r.severity), Status: clip(string(r.in.Status)), StartedAt: r.in.StartedAt, ResolvedAt: r.in.ResolvedAt,
		Errors: r.errs}
	for _, t := range r.in.Tags {
		p.Tags = append(p.Tags, clip(t))
	}
	if r.existing != nil {
		p.Key = r.existing.Key()
		if r.existing.Severity != nil && !r.set["severity"] {
			p.Severity = r.existing.Severity.Name
		}
	}
	for _, id := range r.in.ComponentIDs {
		p.Components = append(p.Components, lk.compNames[id])
	}
	return p
}

// clip shortens a text kept in a report to maxTextInReport bytes (on a
// rune boundary), marking the cut.
func clip(s string) string {
	if len(s) <= maxTextInReport {
		return s
	}
	cut := maxTextInReport
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Encode is the report as stored: JSON of at most MaxReportBytes, keeping
// fewer preview rows and problems (counted as omitted) when it is longer.
func (r *Report) Encode() (string, error) {
	for {
		b, err := json.Marshal(r)
		if err != nil {
			return "", err
		}
		if len(b) <= MaxReportBytes || (len(r.Preview) == 0 && len(r.Errors) == 0) {
			return string(b), nil
		}
		keepP, keepE := len(r.Preview)/2, len(r.Errors)/2
		r.PreviewOmitted += len(r.Preview) - keepP
		r.ErrorsOmitted += len(r.Errors) - keepE
		r.Preview, r.Errors = r.Preview[:keepP], r.Errors[:keepE]
	}
}
