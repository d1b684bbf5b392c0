package importing

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// SavePreview stores an uploaded file (once: the report holds no copy of
// it) with its dry-run report, bounded to MaxReportBytes, and sweeps
// expired imports (SweepImports).
func SavePreview(ctx context.Context, db *gorm.DB, actor models.Actor, filename, mapping string, content []byte, rep *Report) (*Job, error) {
	if len(content) > MaxFileBytes {
		return nil, fmt.Errorf("models: save import: %w", ErrTooLarge)
	}
	b, err := rep.Encode()
	if err != nil {
		return nil, err
	}
	now := models.Now(db)
	j := &Job{Filename: filename, Mapping: mapping, Content: content, Status: Previewed,
		TotalRows: rep.Total, Report: b, CreatedAt: now, UpdatedAt: now}
	if actor.UserID != 0 {
		id := actor.UserID
		j.CreatedByID = &id
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := sweep(ctx, tx); err != nil {
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

// ErrTooLarge refuses a file over MaxFileBytes.
var ErrTooLarge = fmt.Errorf("the file is larger than %d MB; split it into smaller files", MaxFileBytes>>20)

// SweepImports deletes previews not confirmed within PreviewTTL (with
// their uploaded file) and finished imports older than a week; it runs
// on every new preview and as a periodic job. It returns how many
// imports it deleted.
func SweepImports(ctx context.Context, db *gorm.DB) (int64, error) {
	n, err := sweep(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("models: sweep imports: %w", models.TranslateError(err))
	}
	return n, nil
}

func sweep(ctx context.Context, db *gorm.DB) (int64, error) {
	now := models.Now(db)
	res := db.WithContext(ctx).Where("(status = ? AND created_at < ?) OR created_at < ?",
		Previewed, now.Add(-PreviewTTL), now.Add(-importKeep)).Delete(&Job{})
	return res.RowsAffected, res.Error
}

// ErrExpired refuses to confirm a preview older than PreviewTTL.
var ErrExpired error = models.StateErrorf("This preview is older than %d hours and has expired; upload the file again.", int(PreviewTTL.Hours()))

// ErrStarted says the import was confirmed already.
var ErrStarted error = models.StateErrorf("This import has already been started.")

// Start moves a previewed import to running, once: a second
// confirmation (another tab, a double click) gets ErrStarted.
func Start(ctx context.Context, db *gorm.DB, id int64) error {
	now := models.Now(db)
	res := db.WithContext(ctx).Model(&Job{}).Where("id = ? AND status = ? AND created_at >= ?", id, Previewed, now.Add(-PreviewTTL)).
		Updates(map[string]any{"status": Running, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("models: start import %d: %w", id, models.TranslateError(res.Error))
	}
	if res.RowsAffected == 0 {
		var n int64
		err := db.WithContext(ctx).Model(&Job{}).Where("id = ? AND status = ?", id, Previewed).Count(&n).Error
		if err != nil {
			return fmt.Errorf("models: start import %d: %w", id, models.TranslateError(err))
		}
		if n > 0 {
			return ErrExpired
		}
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
		b, err := rep.Encode()
		if err != nil {
			return err
		}
		report = b
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
