package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

func checkTemplateName(ctx context.Context, tx *gorm.DB, id int64, name string, v *ValidationError) error {
	var n int64
	if err := tx.WithContext(ctx).Model(&PostmortemTemplate{}).Where("lower(name) = ? AND id <> ?", strings.ToLower(name), id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		v.Add("name", "Another template has this name.")
	}
	return nil
}

func templateSections(templateID int64, in []TemplateSectionInput) []PostmortemTemplateSection {
	out := make([]PostmortemTemplateSection, 0, len(in))
	for i, s := range in {
		out = append(out, PostmortemTemplateSection{TemplateID: templateID, Position: i + 1, Key: s.Key, Title: s.Title, Guidance: s.Guidance})
	}
	return out
}

// CreatePostmortemTemplate stores a new template.
func CreatePostmortemTemplate(ctx context.Context, db *gorm.DB, actor Actor, in PostmortemTemplateInput) (*PostmortemTemplate, error) {
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v := in.Validate()
		if err := checkTemplateName(ctx, tx, 0, in.Name, v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := Now(tx)
		t := PostmortemTemplate{Name: in.Name, Description: in.Description, Archived: in.Archived, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Sections").Create(&t).Error; err != nil {
			return err
		}
		id = t.ID
		secs := templateSections(t.ID, in.Sections)
		if err := tx.Create(&secs).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "postmortem_template", t.ID, "created postmortem template "+quote(t.Name),
			map[string]Change{"sections": {To: len(secs)}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create postmortem template: %w", TranslateError(err))
	}
	return GetPostmortemTemplate(ctx, db, id)
}

// UpdatePostmortemTemplate replaces a template's name, description and
// sections when version is current. The default template cannot be
// archived.
func UpdatePostmortemTemplate(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in PostmortemTemplateInput) (*PostmortemTemplate, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetPostmortemTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		v := in.Validate()
		if err := checkTemplateName(ctx, tx, id, in.Name, v); err != nil {
			return err
		}
		if in.Archived && before.IsDefault {
			v.Add("archived", "The default template cannot be archived; make another one the default first.")
		}
		if err := v.Err(); err != nil {
			return err
		}
		res := tx.Model(&PostmortemTemplate{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"name": in.Name, "description": in.Description, "archived": in.Archived,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "postmortem template", Current: before, Submitted: in}
		}
		if err := tx.Where("template_id = ?", id).Delete(&PostmortemTemplateSection{}).Error; err != nil {
			return err
		}
		secs := templateSections(id, in.Sections)
		if err := tx.Create(&secs).Error; err != nil {
			return err
		}
		changes := Diff(before, &PostmortemTemplate{Name: in.Name, Description: in.Description, Archived: in.Archived}, "Name", "Description", "Archived")
		var from, to []string
		for _, s := range before.Sections {
			from = append(from, s.Title)
		}
		for _, s := range in.Sections {
			to = append(to, s.Title)
		}
		if strings.Join(from, "\n") != strings.Join(to, "\n") {
			changes["sections"] = Change{From: from, To: to}
		}
		return Audit(ctx, tx, actor, AuditUpdate, "postmortem_template", id, "updated postmortem template "+quote(in.Name), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update postmortem template %d: %w", id, TranslateError(err))
	}
	return GetPostmortemTemplate(ctx, db, id)
}

// SetDefaultPostmortemTemplate makes the template the default one.
func SetDefaultPostmortemTemplate(ctx context.Context, db *gorm.DB, actor Actor, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := GetPostmortemTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.Archived {
			return StateErrorf("An archived template cannot be the default.")
		}
		if t.IsDefault {
			return nil
		}
		if err := tx.Model(&PostmortemTemplate{}).Where("is_default = ?", true).
			Updates(map[string]any{"is_default": false, "version": gorm.Expr("version + 1"), "updated_at": Now(tx)}).Error; err != nil {
			return err
		}
		if err := tx.Model(&PostmortemTemplate{}).Where("id = ?", id).
			Updates(map[string]any{"is_default": true, "version": gorm.Expr("version + 1"), "updated_at": Now(tx)}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "postmortem_template", id, "made "+quote(t.Name)+" the default postmortem template",
			map[string]Change{"is_default": {From: false, To: true}})
	})
	if err != nil {
		return fmt.Errorf("models: default postmortem template %d: %w", id, TranslateError(err))
	}
	return nil
}
