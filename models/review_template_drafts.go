package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// NewDraftFrom starts a draft of the template as a copy of version id (the
// template's existing draft, if any, is returned instead).
func NewDraftFrom(ctx context.Context, db *gorm.DB, actor Actor, id int64) (*TemplateVersion, error) {
	src, err := GetTemplateVersion(ctx, db, id)
	if err != nil {
		return nil, err
	}
	var draftID int64
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing []TemplateVersion
		if err := tx.Where("template_id = ?", src.TemplateID).Order("number DESC").Find(&existing).Error; err != nil {
			return err
		}
		number := 1
		for _, v := range existing {
			if v.Status == TemplateDraft {
				draftID = v.ID
				return nil
			}
			number = max(number, v.Number+1)
		}
		now := Now(tx)
		d := src.Def()
		v := TemplateVersion{TemplateID: src.TemplateID, Number: number, Status: TemplateDraft, Name: src.Name,
			Description: src.Description, Source: TemplateSourceEditor, ContentHash: d.Hash(), Version: 1, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			v.CreatedByID = &uid
		}
		if err := tx.Omit("Template", "Sections").Create(&v).Error; err != nil {
			return err
		}
		draftID = v.ID
		if err := writeContent(tx, v.ID, d); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "review_template_version", v.ID,
			fmt.Sprintf("started draft %s v%d from v%d", src.Name, number, src.Number), nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: new draft from %d: %w", id, TranslateError(err))
	}
	return GetTemplateVersion(ctx, db, draftID)
}

// CreateBlankTemplate starts a new template as an empty draft v1.
func CreateBlankTemplate(ctx context.Context, db *gorm.DB, actor Actor, key, name string) (*TemplateVersion, error) {
	d := &TemplateDef{Key: strings.TrimSpace(key), Name: strings.TrimSpace(name)}
	if d.Key == "" {
		d.Key = Slugify(d.Name)
	}
	v := &ValidationError{}
	if d.Name == "" {
		v.Add("name", "Name the template, like “Database readiness review”.")
	}
	if !ValidSlug(d.Key) {
		v.Add("key", "Use lowercase letters, digits and single dashes, like database-readiness.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		t := ReviewTemplate{Key: d.Key, Name: d.Name, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Versions").Create(&t).Error; err != nil {
			if errors.Is(TranslateError(err), ErrDuplicate) {
				return FieldError("key", "A template with this key exists already.")
			}
			return err
		}
		ver := TemplateVersion{TemplateID: t.ID, Number: 1, Status: TemplateDraft, Name: d.Name, Source: TemplateSourceEditor,
			ContentHash: d.Hash(), Version: 1, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			ver.CreatedByID = &uid
		}
		if err := tx.Omit("Template", "Sections").Create(&ver).Error; err != nil {
			return err
		}
		id = ver.ID
		return Audit(ctx, tx, actor, AuditCreate, "review_template", t.ID, "created review template "+t.Key, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: create template: %w", TranslateError(err))
	}
	return GetTemplateVersion(ctx, db, id)
}

// SaveDraft replaces a draft's content with d when version is current.
// The key of d must be the template's. field names the form field that
// problems are reported on.
func SaveDraft(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, d *TemplateDef, field string) (*TemplateVersion, error) {
	d.Normalize()
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetTemplateVersion(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != TemplateDraft {
			return StateErrorf("V%d is %s and never changes; start a new draft from it.", before.Number, before.Status)
		}
		if d.Key != before.Key() {
			return templateProblemsError(field, []TemplateProblem{{Line: line(d.Lines, "key", 0), Path: "key",
				Message: fmt.Sprintf("the key of a template cannot change (it is %q)", before.Key())}})
		}
		if ps := d.Validate(false); len(ps) > 0 {
			return templateProblemsError(field, ps)
		}
		r := tx.Model(&TemplateVersion{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"name": d.Name, "description": d.Description, "content_hash": d.Hash(), "source": TemplateSourceEditor,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if r.Error != nil {
			return r.Error
		}
		if r.RowsAffected == 0 {
			return &ConflictError{What: "template draft", Current: before, Submitted: d}
		}
		if err := writeContent(tx, id, d); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "review_template_version", id,
			fmt.Sprintf("edited draft %s v%d (%d questions)", d.Name, before.Number, d.QuestionCount()), nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: save draft %d: %w", id, TranslateError(err))
	}
	return GetTemplateVersion(ctx, db, id)
}
