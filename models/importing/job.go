package importing

import (
	"encoding/json"
	"time"
)

// Import job states.
const (
	Previewed = "previewed"
	Running   = "running"
	Done      = "done"
	Failed    = "failed"
)

// Job is an uploaded file between preview and confirmation, and then
// the record of what the import did (a row of incident_imports).
type Job struct {
	ID            int64
	CreatedByID   *int64
	Filename      string
	Mapping       string
	Content       []byte
	Status        string
	TotalRows     int
	ProcessedRows int
	Report        string // JSON Report
	Error         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	FinishedAt    *time.Time
}

// TableName keeps the table the migrations create.
func (Job) TableName() string { return "incident_imports" }

// Models lists the persisted models of this package, for the schema check
// beside models.All.
func Models() []any { return []any{&Job{}} }

// ParsedReport decodes the stored report (nil when there is none).
func (j *Job) ParsedReport() *Report {
	if j.Report == "" {
		return nil
	}
	var r Report
	if err := json.Unmarshal([]byte(j.Report), &r); err != nil {
		return nil
	}
	return &r
}

// importKeep is how long finished imports and their reports are kept
// (unconfirmed previews: PreviewTTL).
const importKeep = 7 * 24 * time.Hour
