package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
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

// writeContent stores a definition's sections and questions under a
// draft version, replacing what it had.
func writeContent(tx *gorm.DB, versionID int64, d *TemplateDef) error {
	if err := tx.Where("template_version_id = ?", versionID).Delete(&TemplateQuestion{}).Error; err != nil {
		return err
	}
	if err := tx.Where("template_version_id = ?", versionID).Delete(&TemplateSection{}).Error; err != nil {
		return err
	}
	for i, s := range d.Sections {
		sec := TemplateSection{TemplateVersionID: versionID, Position: i + 1, Key: s.Key, Title: s.Title, Description: s.Description}
		if err := tx.Omit("Questions").Create(&sec).Error; err != nil {
			return err
		}
		if len(s.Questions) == 0 {
			continue
		}
		qs := make([]TemplateQuestion, 0, len(s.Questions))
		for j, q := range s.Questions {
			qs = append(qs, TemplateQuestion{TemplateVersionID: versionID, SectionID: sec.ID, Position: j + 1,
				Key: q.Key, Prompt: q.Prompt, Guidance: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
		}
		if err := tx.CreateInBatches(qs, 100).Error; err != nil {
			return err
		}
	}
	return nil
}

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
