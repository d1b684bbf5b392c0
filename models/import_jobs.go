package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Import job states.
const (
	ImportPreviewed = "previewed"
	ImportRunning   = "running"
	ImportDone      = "done"
	ImportFailed    = "failed"
)

// IncidentImport is an uploaded file between preview and confirmation,
// and then the record of what the import did.
type IncidentImport struct {
	ID            int64
	CreatedByID   *int64
	Filename      string
	Mapping       string
	Content       []byte
	Status        string
	TotalRows     int
	ProcessedRows int
	Report        string // JSON ImportReport
	Error         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	FinishedAt    *time.Time
}

// ParsedReport decodes the stored report (nil when there is none).
func (j *IncidentImport) ParsedReport() *ImportReport {
	if j.Report == "" {
		return nil
	}
	var r ImportReport
	if err := json.Unmarshal([]byte(j.Report), &r); err != nil {
		return nil
	}
	return &r
}

// importKeep is how long uploads and their reports are kept.
const importKeep = 7 * 24 * time.Hour

// SaveImportPreview stores an uploaded file with its dry-run report and
// drops uploads older than a week.
func SaveImportPreview(ctx context.Context, db *gorm.DB, actor Actor, filename, mapping string, content []byte, rep *ImportReport) (*IncidentImport, error) {
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	now := Now(db)
	j := &IncidentImport{Filename: filename, Mapping: mapping, Content: content, Status: ImportPreviewed,
		TotalRows: rep.Total, Report: string(b), CreatedAt: now, UpdatedAt: now}
	if actor.UserID != 0 {
		id := actor.UserID
		j.CreatedByID = &id
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("created_at < ?", now.Add(-importKeep)).Delete(&IncidentImport{}).Error; err != nil {
			return err
		}
		return tx.Create(j).Error
	})
	if err != nil {
		return nil, fmt.Errorf("models: save import: %w", TranslateError(err))
	}
	return j, nil
}

// GetImport loads an import job.
func GetImport(ctx context.Context, db *gorm.DB, id int64) (*IncidentImport, error) {
	var j IncidentImport
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&j).Error; err != nil {
		return nil, fmt.Errorf("models: get import %d: %w", id, TranslateError(err))
	}
	return &j, nil
}

// ErrImportStarted says the import was confirmed already.
var ErrImportStarted error = StateErrorf("This import has already been started.")

// StartImport moves a previewed import to running, once: a second
// confirmation (another tab, a double click) gets ErrImportStarted.
func StartImport(ctx context.Context, db *gorm.DB, id int64) error {
	res := db.WithContext(ctx).Model(&IncidentImport{}).Where("id = ? AND status = ?", id, ImportPreviewed).
		Updates(map[string]any{"status": ImportRunning, "updated_at": Now(db)})
	if res.Error != nil {
		return fmt.Errorf("models: start import %d: %w", id, TranslateError(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrImportStarted
	}
	return nil
}

// SetImportProgress records how many rows are written.
func SetImportProgress(ctx context.Context, db *gorm.DB, id int64, done int) error {
	return db.WithContext(ctx).Model(&IncidentImport{}).Where("id = ? AND status = ?", id, ImportRunning).
		Updates(map[string]any{"processed_rows": done, "updated_at": Now(db)}).Error
}

// FinishImport stores the outcome and drops the file's content.
func FinishImport(ctx context.Context, db *gorm.DB, id int64, rep *ImportReport, runErr error) error {
	status, msg := ImportDone, ""
	if runErr != nil || rep == nil || !rep.OK() {
		status = ImportFailed
	}
	if runErr != nil {
		msg = runErr.Error()
	}
	report := ""
	if rep != nil {
		b, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		report = string(b)
	}
	now := Now(db)
	up := map[string]any{"status": status, "error": msg, "content": []byte{}, "updated_at": now, "finished_at": now}
	if report != "" {
		up["report"] = report
		up["processed_rows"] = rep.Created + rep.Updated
	}
	err := db.WithContext(ctx).Model(&IncidentImport{}).Where("id = ?", id).Updates(up).Error
	if err != nil {
		return fmt.Errorf("models: finish import %d: %w", id, TranslateError(err))
	}
	return nil
}

// IsImportStarted reports whether err is ErrImportStarted.
func IsImportStarted(err error) bool { return errors.Is(err, ErrImportStarted) }
