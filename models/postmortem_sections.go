package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PostmortemSection is one Markdown section of a postmortem. Its version
// lets two people write the same postmortem at once: saving with a stale
// version is a conflict that shows both texts, never a silent overwrite.
type PostmortemSection struct {
	ID           int64
	PostmortemID int64
	Position     int
	Key          string
	Title        string
	Guidance     string
	Body         string
	Version      int
	UpdatedByID  *int64
	UpdatedBy    *User `gorm:"foreignKey:UpdatedByID"`
	UpdatedAt    time.Time
}

// PostmortemSectionRevision is an earlier text of a section. Saves by one
// author within RevisionWindow of each other fold into one revision, so
// autosaving every few seconds leaves one entry per editing session.
type PostmortemSectionRevision struct {
	ID         int64
	SectionID  int64
	Version    int
	Body       string
	AuthorID   *int64
	AuthorName string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// RevisionWindow is how long saves by one author fold into one revision.
const RevisionWindow = 10 * time.Minute

// GetPostmortemSection loads a section of a postmortem.
func GetPostmortemSection(ctx context.Context, db *gorm.DB, postmortemID, id int64) (*PostmortemSection, error) {
	var s PostmortemSection
	err := db.WithContext(ctx).Preload("UpdatedBy").Where("id = ? AND postmortem_id = ?", id, postmortemID).Take(&s).Error
	if err != nil {
		return nil, fmt.Errorf("models: get postmortem section %d: %w", id, TranslateError(err))
	}
	return &s, nil
}

// SavePostmortemSection stores a section's new text if version is still
// the stored one. Otherwise it returns a ConflictError whose Current is the
// stored section, so the writer sees both texts. Saving the text that is
// already stored succeeds whatever the version (nothing would be lost).
// A published postmortem is read-only.
func SavePostmortemSection(ctx context.Context, db *gorm.DB, actor Actor, postmortemID, id int64, version int, body string) (*PostmortemSection, error) {
	body = CleanText(body)
	if len(body) > MaxMarkdownLength {
		return nil, FieldError("body", fmt.Sprintf("This section is too long (at most %d characters); move detail into linked documents.", MaxMarkdownLength))
	}
	var out *PostmortemSection
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := getPostmortemRow(ctx, tx, postmortemID)
		if err != nil {
			return err
		}
		if !pm.Editable() {
			return StateErrorf("A published postmortem is read-only.")
		}
		before, err := GetPostmortemSection(ctx, tx, postmortemID, id)
		if err != nil {
			return err
		}
		if before.Body == body {
			out = before
			return nil
		}
		if before.Version != version {
			return &ConflictError{What: "section " + quote(before.Title), Current: before, Submitted: body}
		}
		now := Now(tx)
		set := map[string]any{"body": body, "version": gorm.Expr("version + 1"), "updated_at": now, "updated_by_id": nil}
		if actor.UserID != 0 {
			set["updated_by_id"] = actor.UserID
		}
		res := tx.Model(&PostmortemSection{}).Where("id = ? AND version = ?", id, version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "section " + quote(before.Title), Current: before, Submitted: body}
		}
		if err := recordRevision(ctx, tx, actor, id, version+1, body, now); err != nil {
			return err
		}
		if err := Audit(ctx, tx, actor, AuditUpdate, "postmortem", postmortemID, "edited the section "+quote(before.Title),
			map[string]Change{"section_" + before.Key: {From: fmt.Sprintf("version %d, %d characters", before.Version, len(before.Body)),
				To: fmt.Sprintf("version %d, %d characters", version+1, len(body))}}); err != nil {
			return err
		}
		out, err = GetPostmortemSection(ctx, tx, postmortemID, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: save postmortem section %d: %w", id, TranslateError(err))
	}
	return out, nil
}

// recordRevision folds the save into the author's latest revision when it
// is recent, and starts a new revision otherwise.
func recordRevision(ctx context.Context, tx *gorm.DB, actor Actor, sectionID int64, version int, body string, now time.Time) error {
	var last []PostmortemSectionRevision
	if err := tx.WithContext(ctx).Where("section_id = ?", sectionID).Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	if len(last) == 1 && actor.UserID != 0 && last[0].AuthorID != nil && *last[0].AuthorID == actor.UserID &&
		now.Sub(last[0].UpdatedAt) < RevisionWindow {
		return tx.Model(&PostmortemSectionRevision{}).Where("id = ?", last[0].ID).
			Updates(map[string]any{"body": body, "version": version, "updated_at": now}).Error
	}
	r := PostmortemSectionRevision{SectionID: sectionID, Version: version, Body: body, AuthorName: actor.Name, CreatedAt: now, UpdatedAt: now}
	if actor.UserID != 0 {
		uid := actor.UserID
		r.AuthorID = &uid
	}
	return tx.Create(&r).Error
}

// ListSectionRevisions returns a section's revisions, newest first.
func ListSectionRevisions(ctx context.Context, db *gorm.DB, sectionID int64) ([]PostmortemSectionRevision, error) {
	var out []PostmortemSectionRevision
	if err := db.WithContext(ctx).Where("section_id = ?", sectionID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: section revisions: %w", TranslateError(err))
	}
	return out, nil
}

// getPostmortemRow loads the postmortem row alone (no associations).
func getPostmortemRow(ctx context.Context, db *gorm.DB, id int64) (*Postmortem, error) {
	var p Postmortem
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, fmt.Errorf("models: get postmortem %d: %w", id, TranslateError(err))
	}
	return &p, nil
}

// CountSectionRevisions counts the revisions of each section of a
// postmortem.
func CountSectionRevisions(ctx context.Context, db *gorm.DB, postmortemID int64) (map[int64]int, error) {
	var rows []struct {
		SectionID int64
		N         int
	}
	err := db.WithContext(ctx).Model(&PostmortemSectionRevision{}).
		Joins("JOIN postmortem_sections s ON s.id = postmortem_section_revisions.section_id").
		Where("s.postmortem_id = ?", postmortemID).
		Select("postmortem_section_revisions.section_id, COUNT(*) AS n").Group("postmortem_section_revisions.section_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: count section revisions: %w", TranslateError(err))
	}
	out := map[int64]int{}
	for _, r := range rows {
		out[r.SectionID] = r.N
	}
	return out, nil
}
