package views

import "time"

// The states of an import job, as the import page tells them apart.
const (
	importPreviewed = "previewed"
	importRunning   = "running"
	importDone      = "done"
	importFailed    = "failed"
)

// ImportModel is an import's preview, progress or report.
type ImportModel struct {
	ID       int64
	Filename string
	Uploaded time.Time
	// Status is previewed, running, done or failed; Error says why a job
	// without a report failed.
	Status string
	Error  string
	Report *ImportReportView // nil when the file could not be read
	// Done of Total rows are written (while running).
	Done  int
	Total int
}

// ImportReportView says what an import did or, previewed, would do.
type ImportReportView struct {
	Format                                       string
	Total, Created, Updated, Unchanged, Rejected int
	// OK: every row can be imported.
	OK                bool
	ComponentsCreated []string
	Errors            []ImportProblem
	Warnings          []string
	Preview           []ImportPreviewRow
}

// ImportProblem is why a row cannot be imported.
type ImportProblem struct {
	Line       int
	ExternalID string
	Field      string
	Message    string
}

// ImportPreviewRow is one row as it will be stored.
type ImportPreviewRow struct {
	Line       int
	Action     string // create, update, unchanged, reject
	Key        string
	ExternalID string
	Title      string
	Severity   string
	Status     string
	StartedAt  *time.Time
	ResolvedAt *time.Time
	Components []string
	Tags       []string
}

func (m ImportModel) percent() int {
	if m.Total <= 0 {
		return 0
	}
	return m.Done * 100 / m.Total
}
