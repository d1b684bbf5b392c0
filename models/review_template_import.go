package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// TemplateImportOptions tune ImportTemplate.
type TemplateImportOptions struct {
	Source  string // builtin, yaml, lens, editor
	Publish bool   // publish right away
	Builtin bool
}

// ImportResult says what an import did.
type ImportResult struct {
	Version *TemplateVersion
	// Unchanged is true when an identical version already existed and
	// nothing was written (imports are idempotent).
	Unchanged bool
	// ReplacedDraft is true when the template's draft took the content.
	ReplacedDraft bool
}

// ImportTemplate stores a definition as a new version of the template with
// its key (creating the template on first import), all or nothing.
// Importing content identical to an existing version changes nothing. A
// template has at most one draft: an import into a template with a draft
// replaces the draft's content.
func ImportTemplate(ctx context.Context, db *gorm.DB, actor Actor, d *TemplateDef, opt TemplateImportOptions) (*ImportResult, error) {
	d.Normalize()
	if ps := d.Validate(true); len(ps) > 0 {
		return nil, templateProblemsError("file", ps)
	}
	if opt.Source == "" {
		opt.Source = TemplateSourceYAML
	}
	hash := d.Hash()
	res := &ImportResult{}
	var versionID int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		var t ReviewTemplate
		err := tx.Where("key = ?", d.Key).Take(&t).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			t = ReviewTemplate{Key: d.Key, Name: d.Name, Description: d.Description, Builtin: opt.Builtin, CreatedAt: now, UpdatedAt: now}
			if err := tx.Omit("Versions").Create(&t).Error; err != nil {
				return err
			}
			if err := Audit(ctx, tx, actor, AuditCreate, "review_template", t.ID, "created review template "+t.Key, nil); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		var existing []TemplateVersion
		if err := tx.Where("template_id = ?", t.ID).Order("number DESC").Find(&existing).Error; err != nil {
			return err
		}
		for _, v := range existing {
			if v.ContentHash == hash {
				versionID, res.Unchanged = v.ID, true
				if opt.Publish && v.Status == TemplateDraft {
					res.Unchanged = false
					return publishInTx(ctx, tx, actor, &v)
				}
				return nil
			}
		}
		var draft *TemplateVersion
		number := 1
		for i, v := range existing {
			if v.Status == TemplateDraft {
				draft = &existing[i]
			}
			number = max(number, v.Number+1)
		}
		if draft != nil {
			res.ReplacedDraft = true
			r := tx.Model(&TemplateVersion{}).Where("id = ?", draft.ID).Updates(map[string]any{
				"name": d.Name, "description": d.Description, "source": opt.Source, "content_hash": hash,
				"version": gorm.Expr("version + 1"), "updated_at": now,
			})
			if r.Error != nil {
				return r.Error
			}
			versionID = draft.ID
		} else {
			v := TemplateVersion{TemplateID: t.ID, Number: number, Status: TemplateDraft, Name: d.Name, Description: d.Description,
				Source: opt.Source, ContentHash: hash, Version: 1, CreatedAt: now, UpdatedAt: now}
			if actor.UserID != 0 {
				id := actor.UserID
				v.CreatedByID = &id
			}
			if err := tx.Omit("Template", "Sections").Create(&v).Error; err != nil {
				return err
			}
			versionID = v.ID
		}
		if err := writeContent(tx, versionID, d); err != nil {
			return err
		}
		if err := Audit(ctx, tx, actor, AuditCreate, "review_template_version", versionID,
			fmt.Sprintf("imported %s (%s, %d questions)", d.Key, opt.Source, d.QuestionCount()), nil); err != nil {
			return err
		}
		if opt.Publish {
			var v TemplateVersion
			if err := tx.Where("id = ?", versionID).Take(&v).Error; err != nil {
				return err
			}
			return publishInTx(ctx, tx, actor, &v)
		}
		return nil
	})
	if err != nil {
		if errors.Is(TranslateError(err), ErrDuplicate) {
			return nil, fmt.Errorf("models: import template %s: someone imported it at the same moment; try again: %w", d.Key, ErrDuplicate)
		}
		return nil, fmt.Errorf("models: import template %s: %w", d.Key, TranslateError(err))
	}
	v, err := GetTemplateVersion(ctx, db, versionID)
	if err != nil {
		return nil, err
	}
	res.Version = v
	return res, nil
}
