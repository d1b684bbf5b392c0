package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// publishInTx publishes a draft and deprecates the template's earlier
// published versions: new reviews start from the newest one, running
// reviews keep theirs.
func publishInTx(ctx context.Context, tx *gorm.DB, actor Actor, v *TemplateVersion) error {
	if v.Status != TemplateDraft {
		return StateErrorf("Only a draft can be published (v%d is %s).", v.Number, v.Status)
	}
	full, err := GetTemplateVersion(ctx, tx, v.ID)
	if err != nil {
		return err
	}
	if len(full.Questions()) == 0 {
		return StateErrorf("A version without questions cannot be published.")
	}
	if ps := full.Def().Validate(true); len(ps) > 0 {
		return StateErrorf("Fix the draft before publishing (%s).", ps[0].String())
	}
	now := Now(tx)
	if err := tx.Model(&TemplateVersion{}).Where("template_id = ? AND status = ?", v.TemplateID, TemplatePublished).
		Updates(map[string]any{"status": TemplateDeprecated, "deprecated_at": now, "updated_at": now}).Error; err != nil {
		return err
	}
	r := tx.Model(&TemplateVersion{}).Where("id = ? AND status = ?", v.ID, TemplateDraft).
		Updates(map[string]any{"status": TemplatePublished, "published_at": now, "version": gorm.Expr("version + 1"), "updated_at": now})
	if r.Error != nil {
		return r.Error
	}
	if r.RowsAffected == 0 {
		return StateErrorf("The draft was published or discarded meanwhile.")
	}
	if err := tx.Model(&ReviewTemplate{}).Where("id = ?", v.TemplateID).
		Updates(map[string]any{"name": v.Name, "description": v.Description, "updated_at": now}).Error; err != nil {
		return err
	}
	return Audit(ctx, tx, actor, AuditStateChange, "review_template_version", v.ID,
		fmt.Sprintf("published %s v%d", v.Name, v.Number), map[string]Change{"status": {From: TemplateDraft, To: TemplatePublished}})
}

// PublishTemplateVersion publishes a draft.
func PublishTemplateVersion(ctx context.Context, db *gorm.DB, actor Actor, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var v TemplateVersion
		if err := tx.Where("id = ?", id).Take(&v).Error; err != nil {
			return err
		}
		return publishInTx(ctx, tx, actor, &v)
	})
	if err != nil {
		return fmt.Errorf("models: publish template version %d: %w", id, TranslateError(err))
	}
	return nil
}

// DeprecateTemplateVersion retires a published version: no new reviews
// start from it; reviews that did keep it.
func DeprecateTemplateVersion(ctx context.Context, db *gorm.DB, actor Actor, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		r := tx.Model(&TemplateVersion{}).Where("id = ? AND status = ?", id, TemplatePublished).
			Updates(map[string]any{"status": TemplateDeprecated, "deprecated_at": now, "updated_at": now})
		if r.Error != nil {
			return r.Error
		}
		if r.RowsAffected == 0 {
			return StateErrorf("Only a published version can be deprecated.")
		}
		return Audit(ctx, tx, actor, AuditStateChange, "review_template_version", id, "deprecated template version",
			map[string]Change{"status": {From: TemplatePublished, To: TemplateDeprecated}})
	})
	if err != nil {
		return fmt.Errorf("models: deprecate template version %d: %w", id, TranslateError(err))
	}
	return nil
}

// DiscardDraft deletes a draft version.
func DiscardDraft(ctx context.Context, db *gorm.DB, actor Actor, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var v TemplateVersion
		if err := tx.Where("id = ?", id).Take(&v).Error; err != nil {
			return err
		}
		if v.Status != TemplateDraft {
			return StateErrorf("Only a draft can be discarded.")
		}
		if err := tx.Where("template_version_id = ?", id).Delete(&TemplateQuestion{}).Error; err != nil {
			return err
		}
		if err := tx.Where("template_version_id = ?", id).Delete(&TemplateSection{}).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&TemplateVersion{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "review_template_version", id, fmt.Sprintf("discarded draft %s v%d", v.Name, v.Number), nil)
	})
	if err != nil {
		return fmt.Errorf("models: discard draft %d: %w", id, TranslateError(err))
	}
	return nil
}
