package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

func loadVersion(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Preload("Template").
		Preload("Sections", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
		Preload("Sections.Questions", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") })
}

// GetTemplateVersion loads a version with its template, sections and
// questions.
func GetTemplateVersion(ctx context.Context, db *gorm.DB, id int64) (*TemplateVersion, error) {
	var v TemplateVersion
	if err := loadVersion(ctx, db).Where("id = ?", id).Take(&v).Error; err != nil {
		return nil, fmt.Errorf("models: get template version %d: %w", id, TranslateError(err))
	}
	return &v, nil
}

// GetTemplateVersionByKey loads version number n of the template key
// (n = 0: the newest published version).
func GetTemplateVersionByKey(ctx context.Context, db *gorm.DB, key string, n int) (*TemplateVersion, error) {
	t, err := GetTemplateByKey(ctx, db, key)
	if err != nil {
		return nil, err
	}
	q := db.WithContext(ctx).Model(&TemplateVersion{}).Where("template_id = ?", t.ID)
	if n == 0 {
		q = q.Where("status = ?", TemplatePublished).Order("number DESC")
	} else {
		q = q.Where("number = ?", n)
	}
	var id int64
	if err := q.Limit(1).Pluck("id", &id).Error; err != nil {
		return nil, fmt.Errorf("models: template %s v%d: %w", key, n, TranslateError(err))
	}
	if id == 0 {
		if n == 0 {
			return nil, fmt.Errorf("models: template %s has no published version: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("models: template %s v%d: %w", key, n, ErrNotFound)
	}
	return GetTemplateVersion(ctx, db, id)
}

// GetTemplateByKey loads a template with its versions (newest first).
func GetTemplateByKey(ctx context.Context, db *gorm.DB, key string) (*ReviewTemplate, error) {
	var t ReviewTemplate
	err := db.WithContext(ctx).Preload("Versions", func(q *gorm.DB) *gorm.DB { return q.Order("number DESC") }).
		Where("key = ?", key).Take(&t).Error
	if err != nil {
		return nil, fmt.Errorf("models: get template %q: %w", key, TranslateError(err))
	}
	return &t, nil
}

// ListTemplates returns every template with its versions, by name.
func ListTemplates(ctx context.Context, db *gorm.DB) ([]ReviewTemplate, error) {
	var out []ReviewTemplate
	err := db.WithContext(ctx).Preload("Versions", func(q *gorm.DB) *gorm.DB { return q.Order("number DESC") }).
		Order("lower(name), id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list templates: %w", TranslateError(err))
	}
	return out, nil
}

// PublishedVersions lists the newest published version of every template,
// for starting reviews.
func PublishedVersions(ctx context.Context, db *gorm.DB) ([]TemplateVersion, error) {
	ts, err := ListTemplates(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []TemplateVersion
	for _, t := range ts {
		for _, v := range t.Versions {
			if v.Status == TemplatePublished {
				tt := t
				tt.Versions = nil
				v.Template = &tt
				out = append(out, v)
				break
			}
		}
	}
	return out, nil
}

// QuestionCounts counts the questions of every template version.
func QuestionCounts(ctx context.Context, db *gorm.DB) (map[int64]int, error) {
	type row struct {
		TemplateVersionID int64
		N                 int
	}
	var rows []row
	if err := db.WithContext(ctx).Model(&TemplateQuestion{}).Select("template_version_id, COUNT(*) AS n").
		Group("template_version_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: question counts: %w", TranslateError(err))
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.TemplateVersionID] = r.N
	}
	return out, nil
}
