package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PostmortemTemplate is an ordered list of Markdown sections that a new
// postmortem starts from. Admins edit templates; one is the default.
type PostmortemTemplate struct {
	ID          int64
	Name        string
	Description string
	IsDefault   bool
	Archived    bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Sections    []PostmortemTemplateSection `gorm:"foreignKey:TemplateID"`
}

// PostmortemTemplateSection is one section of a template.
type PostmortemTemplateSection struct {
	ID         int64
	TemplateID int64
	Position   int
	Key        string
	Title      string
	Guidance   string
}

func templatePreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Sections", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") })
}

// ListPostmortemTemplates returns the templates, the default first, then
// by name; archived ones only when asked.
func ListPostmortemTemplates(ctx context.Context, db *gorm.DB, withArchived bool) ([]PostmortemTemplate, error) {
	var out []PostmortemTemplate
	q := templatePreloads(db.WithContext(ctx))
	if !withArchived {
		q = q.Where("archived = ?", false)
	}
	if err := q.Order("is_default DESC, lower(name), id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list postmortem templates: %w", TranslateError(err))
	}
	return out, nil
}

// GetPostmortemTemplate loads a template with its sections.
func GetPostmortemTemplate(ctx context.Context, db *gorm.DB, id int64) (*PostmortemTemplate, error) {
	var t PostmortemTemplate
	if err := templatePreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: get postmortem template %d: %w", id, TranslateError(err))
	}
	return &t, nil
}

// DefaultPostmortemTemplate loads the default template.
func DefaultPostmortemTemplate(ctx context.Context, db *gorm.DB) (*PostmortemTemplate, error) {
	var t PostmortemTemplate
	if err := templatePreloads(db.WithContext(ctx)).Where("is_default = ?", true).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: default postmortem template: %w", TranslateError(err))
	}
	return &t, nil
}
