package models

import (
	"fmt"
	"time"
)

// Template version statuses: draft → published → deprecated.
const (
	TemplateDraft      = "draft"
	TemplatePublished  = "published"
	TemplateDeprecated = "deprecated"
)

// Where a template version's content came from.
const (
	TemplateSourceBuiltin = "builtin"
	TemplateSourceYAML    = "yaml"
	TemplateSourceLens    = "lens"
	TemplateSourceEditor  = "editor"
)

// ReviewTemplate is a named checklist with numbered versions. Name and
// Description follow its newest published version.
type ReviewTemplate struct {
	ID          int64
	Key         string
	Name        string
	Description string
	Builtin     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Versions    []TemplateVersion `gorm:"foreignKey:TemplateID"`
}

// TemplateVersion is one version of a template. Once published its
// content never changes (the database refuses it too).
type TemplateVersion struct {
	ID           int64
	TemplateID   int64
	Template     *ReviewTemplate `gorm:"foreignKey:TemplateID"`
	Number       int
	Status       string
	Name         string
	Description  string
	Source       string
	ContentHash  string
	CreatedByID  *int64
	PublishedAt  *time.Time
	DeprecatedAt *time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Sections     []TemplateSection `gorm:"foreignKey:TemplateVersionID"`
}

// TableName names the table.
func (TemplateVersion) TableName() string { return "review_template_versions" }

// TemplateSection is a section of a template version.
type TemplateSection struct {
	ID                int64
	TemplateVersionID int64
	Position          int
	Key               string
	Title             string
	Description       string
	Questions         []TemplateQuestion `gorm:"foreignKey:SectionID"`
}

// TableName names the table.
func (TemplateSection) TableName() string { return "review_template_sections" }

// TemplateQuestion is a question of a template version.
type TemplateQuestion struct {
	ID                int64
	TemplateVersionID int64
	SectionID         int64
	Position          int
	Key               string
	Prompt            string
	Guidance          string
	Evidence          string
	Risk              string
}

// TableName names the table.
func (TemplateQuestion) TableName() string { return "review_template_questions" }

// Label is "Name v3".
func (v *TemplateVersion) Label() string { return fmt.Sprintf("%s v%d", v.Name, v.Number) }

// Key is the template's key (the Template must be loaded).
func (v *TemplateVersion) Key() string {
	if v.Template == nil {
		return ""
	}
	return v.Template.Key
}

// Questions lists the version's questions in order.
func (v *TemplateVersion) Questions() []TemplateQuestion {
	var out []TemplateQuestion
	for _, s := range v.Sections {
		out = append(out, s.Questions...)
	}
	return out
}

// Def converts the stored version into a definition.
func (v *TemplateVersion) Def() *TemplateDef {
	d := &TemplateDef{Key: v.Key(), Name: v.Name, Description: v.Description}
	for _, s := range v.Sections {
		sd := SectionDef{Key: s.Key, Title: s.Title, Description: s.Description}
		for _, q := range s.Questions {
			sd.Questions = append(sd.Questions, QuestionDef{Key: q.Key, Prompt: q.Prompt, Guidance: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
		}
		d.Sections = append(d.Sections, sd)
	}
	return d
}
