package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
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

// TemplateSectionInput is one section as an admin edits it. Key may be
// empty: it is derived from the title (and kept stable once set).
type TemplateSectionInput struct {
	Key      string
	Title    string
	Guidance string
}

// PostmortemTemplateInput is a template as an admin edits it.
type PostmortemTemplateInput struct {
	Name        string
	Description string
	Archived    bool
	Sections    []TemplateSectionInput
}

// Limits of templates.
const (
	MaxTemplateSections = 30
	maxGuidanceLength   = 2000
)

var keyChars = regexp.MustCompile(`[^a-z0-9]+`)

// SectionKey derives a stable key from a section title: "What went well"
// becomes "what_went_well".
func SectionKey(title string) string {
	k := strings.Trim(keyChars.ReplaceAllString(strings.ToLower(title), "_"), "_")
	if len(k) > 48 {
		k = strings.TrimRight(k[:48], "_")
	}
	return k
}

// Validate normalises the input; section errors are keyed
// "sections.N.title" (N from 0).
func (in *PostmortemTemplateInput) Validate() *ValidationError {
	v := &ValidationError{}
	in.Name = CleanLine(in.Name)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	switch {
	case in.Name == "":
		v.Add("name", "Name the template, like “Security incident”.")
	case len([]rune(in.Name)) > 120:
		v.Add("name", "Use at most 120 characters.")
	}
	if len(in.Description) > maxGuidanceLength {
		v.Add("description", fmt.Sprintf("Use at most %d characters.", maxGuidanceLength))
	}
	secs := make([]TemplateSectionInput, 0, len(in.Sections))
	seen := map[string]int{}
	for i, s := range in.Sections {
		s.Title = CleanLine(s.Title)
		s.Guidance = strings.TrimSpace(CleanText(s.Guidance))
		s.Key = SectionKey(s.Key)
		if s.Title == "" && s.Guidance == "" {
			continue // an empty row of the form
		}
		field := fmt.Sprintf("sections.%d.", i)
		if s.Title == "" {
			v.Add(field+"title", "Give the section a title.")
		} else if len([]rune(s.Title)) > 120 {
			v.Add(field+"title", "Use at most 120 characters.")
		}
		if len(s.Guidance) > maxGuidanceLength {
			v.Add(field+"guidance", fmt.Sprintf("Use at most %d characters.", maxGuidanceLength))
		}
		if s.Key == "" {
			s.Key = SectionKey(s.Title)
		}
		if s.Key == "" {
			s.Key = fmt.Sprintf("section_%d", i+1)
		}
		if j, dup := seen[s.Key]; dup {
			v.Add(field+"title", fmt.Sprintf("Section %d has the same title; give each section its own.", j+1))
		}
		seen[s.Key] = i
		secs = append(secs, s)
	}
	in.Sections = secs
	switch {
	case len(secs) == 0:
		v.Add("sections", "Add at least one section.")
	case len(secs) > MaxTemplateSections:
		v.Add("sections", fmt.Sprintf("Use at most %d sections.", MaxTemplateSections))
	}
	return v
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

// PostmortemSeverityDefault says, per severity, when a postmortem is due
// and who facilitates it unless someone else is chosen.
type PostmortemSeverityDefault struct {
	SeverityID    int64 `gorm:"primaryKey;autoIncrement:false"`
	DueDays       int
	FacilitatorID *int64
	Facilitator   *User `gorm:"foreignKey:FacilitatorID"`
	UpdatedAt     time.Time
}

// DefaultDueDays is the due time of a severity without a stored default,
// by rank: the more severe, the sooner.
func DefaultDueDays(rank int) int {
	switch rank {
	case 1:
		return 7
	case 2:
		return 10
	case 3:
		return 14
	}
	return 30
}

// SeverityDefaultRow is one severity with its postmortem defaults.
type SeverityDefaultRow struct {
	Severity    Severity
	DueDays     int
	Facilitator *User
	// Stored is false when the defaults come from DefaultDueDays.
	Stored bool
}

// ListPostmortemDefaults returns every severity with its defaults, by rank.
func ListPostmortemDefaults(ctx context.Context, db *gorm.DB) ([]SeverityDefaultRow, error) {
	sevs, err := ListSeverities(ctx, db)
	if err != nil {
		return nil, err
	}
	var defs []PostmortemSeverityDefault
	if err := db.WithContext(ctx).Preload("Facilitator").Find(&defs).Error; err != nil {
		return nil, fmt.Errorf("models: postmortem defaults: %w", TranslateError(err))
	}
	by := map[int64]PostmortemSeverityDefault{}
	for _, d := range defs {
		by[d.SeverityID] = d
	}
	out := make([]SeverityDefaultRow, 0, len(sevs))
	for _, s := range sevs {
		row := SeverityDefaultRow{Severity: s, DueDays: DefaultDueDays(s.Rank)}
		if d, ok := by[s.ID]; ok {
			row.DueDays, row.Facilitator, row.Stored = d.DueDays, d.Facilitator, true
		}
		out = append(out, row)
	}
	return out, nil
}

// PostmortemDefaultInput sets the defaults of one severity.
type PostmortemDefaultInput struct {
	SeverityID int64
	DueDays    int
	// Facilitator is an email; empty means none.
	Facilitator string
}

// SavePostmortemDefaults stores the defaults of several severities at once
// (all or none). Errors are keyed "defaults.<severity id>.due_days" and
// ".facilitator".
func SavePostmortemDefaults(ctx context.Context, db *gorm.DB, actor Actor, ins []PostmortemDefaultInput) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v := &ValidationError{}
		rows := make([]PostmortemSeverityDefault, 0, len(ins))
		for _, in := range ins {
			field := fmt.Sprintf("defaults.%d.", in.SeverityID)
			if in.DueDays < 1 || in.DueDays > 365 {
				v.Add(field+"due_days", "Enter a number of days from 1 to 365.")
			}
			row := PostmortemSeverityDefault{SeverityID: in.SeverityID, DueDays: in.DueDays, UpdatedAt: Now(tx)}
			if e := NormalizeEmail(in.Facilitator); e != "" {
				u, err := GetUserByEmail(ctx, tx, e)
				switch {
				case err == nil && !u.Disabled:
					row.FacilitatorID = &u.ID
				case err == nil || errors.Is(err, ErrNotFound):
					v.Add(field+"facilitator", "No active user has the email "+e+".")
				default:
					return err
				}
			}
			rows = append(rows, row)
		}
		if err := v.Err(); err != nil {
			return err
		}
		changes := map[string]Change{}
		for _, r := range rows {
			var before []PostmortemSeverityDefault
			if err := tx.Where("severity_id = ?", r.SeverityID).Find(&before).Error; err != nil {
				return err
			}
			if len(before) == 1 && before[0].DueDays == r.DueDays && eqID(before[0].FacilitatorID, r.FacilitatorID) {
				continue
			}
			if err := tx.Where("severity_id = ?", r.SeverityID).Delete(&PostmortemSeverityDefault{}).Error; err != nil {
				return err
			}
			if err := tx.Omit("Facilitator").Create(&r).Error; err != nil {
				return err
			}
			c := Change{To: map[string]any{"due_days": r.DueDays, "facilitator_id": r.FacilitatorID}}
			if len(before) == 1 {
				c.From = map[string]any{"due_days": before[0].DueDays, "facilitator_id": before[0].FacilitatorID}
			}
			changes[fmt.Sprintf("severity_%d", r.SeverityID)] = c
		}
		if len(changes) == 0 {
			return nil
		}
		return Audit(ctx, tx, actor, AuditUpdate, "postmortem_defaults", 0, "changed postmortem defaults by severity", changes)
	})
	if err != nil {
		return fmt.Errorf("models: save postmortem defaults: %w", TranslateError(err))
	}
	return nil
}

func eqID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
