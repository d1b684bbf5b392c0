package importing

import (
	"strconv"
	"time"
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
}

// OK reports whether every row can be imported.
func (r *Report) OK() bool { return r.Rejected == 0 }

func previewRows(rows []*mappedRow, lk *catalog, n int) []RowPreview {
	var out []RowPreview
	for i, r := range rows {
		if i >= n && r.action != "reject" {
			continue
		}
		if len(out) >= n+100 {
			break
		}
		p := RowPreview{Line: r.line, Action: r.action, ExternalID: r.externalID, Title: r.in.Title,
			Severity: r.severity, Status: string(r.in.Status), StartedAt: r.in.StartedAt, ResolvedAt: r.in.ResolvedAt,
			Tags: r.in.Tags, Errors: r.errs}
		if r.existing != nil {
			p.Key = r.existing.Key()
			if r.existing.Severity != nil && !r.set["severity"] {
				p.Severity = r.existing.Severity.Name
			}
		}
		for _, id := range r.in.ComponentIDs {
			p.Components = append(p.Components, lk.compNames[id])
		}
		out = append(out, p)
	}
	return out
}
