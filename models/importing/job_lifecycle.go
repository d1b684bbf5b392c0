package importing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// SavePreview stores an uploaded file with its dry-run report and
// drops uploads older than a week.
func SavePreview(ctx context.Context, db *gorm.DB, actor models.Actor, filename, mapping string, content []byte, rep *Report) (*Job, error) {
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	now := models.Now(db)
	j := &Job{Filename: filename, Mapping: mapping, Content: content, Status: Previewed,
		TotalRows: rep.Total, Report: string(b), CreatedAt: now, UpdatedAt: now}
	if actor.UserID != 0 {
		id := actor.UserID
		j.CreatedByID = &id
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("created_at < ?", now.Add(-importKeep)).Delete(&Job{}).Error; err != nil {
			return err
		}
		return tx.Create(j).Error
	})
	if err != nil {
		return nil, fmt.Errorf("models: save import: %w", models.TranslateError(err))
	}
	return j, nil
}

// GetJob loads an import job.
func GetJob(ctx context.Context, db *gorm.DB, id int64) (*Job, error) {
	var j Job
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&j).Error; err != nil {
		return nil, fmt.Errorf("models: get import %d: %w", id, models.TranslateError(err))
	}
	return &j, nil
}

// ErrStarted says the import was confirmed already.
var ErrStarted error = models.StateErrorf("This import has already been started.")

// Start moves a previewed import to running, once: a second
// confirmation (another tab, a double click) gets ErrStarted.
func Start(ctx context.Context, db *gorm.DB, id int64) error {
	res := db.WithContext(ctx).Model(&Job{}).Where("id = ? AND status = ?", id, Previewed).
		Updates(map[string]any{"status": Running, "updated_at": models.Now(db)})
	if res.Error != nil {
		return fmt.Errorf("models: start import %d: %w", id, models.TranslateError(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrStarted
	}
	return nil
}

// SetProgress records how many rows are written.
func SetProgress(ctx context.Context, db *gorm.DB, id int64, done int) error {
	return db.WithContext(ctx).Model(&Job{}).Where("id = ? AND status = ?", id, Running).
		Updates(map[string]any{"processed_rows": done, "updated_at": models.Now(db)}).Error
}

// Finish stores the outcome and drops the file's content.
func Finish(ctx context.Context, db *gorm.DB, id int64, rep *Report, runErr error) error {
	status, msg := Done, ""
	if runErr != nil || rep == nil || !rep.OK() {
		status = Failed
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
	now := models.Now(db)
	up := map[string]any{"status": status, "error": msg, "content": []byte{}, "updated_at": now, "finished_at": now}
	if report != "" {
		up["report"] = report
		up["processed_rows"] = rep.Created + rep.Updated
	}
	err := db.WithContext(ctx).Model(&Job{}).Where("id = ?", id).Updates(up).Error
	if err != nil {
		return fmt.Errorf("models: finish import %d: %w", id, models.TranslateError(err))
	}
	return nil
}

// IsStarted reports whether err is ErrStarted.
func IsStarted(err error) bool { return errors.Is(err, ErrStarted) }
