package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Kinds of contributing factors.
const (
	FactorContributing = "contributing_factor"
	FactorFinding      = "finding"
)

// FactorKindLabel names a factor kind for people.
func FactorKindLabel(k string) string {
	if k == FactorFinding {
		return "Finding"
	}
	return "Contributing factor"
}

// ContributingFactor is a contributing factor or a finding of a
// postmortem, written on the postmortem page or in the retro's discussion
// of a theme.
type ContributingFactor struct {
	ID           int64
	PostmortemID *int64
	Kind         string
	Title        string
	Description  string
	CreatedByID  *int64
	CreatedBy    *User `gorm:"foreignKey:CreatedByID"`
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Set when written in a retro (retro_discuss.go).
	RetroSessionID *int64
	RetroThemeID   *int64
}

// FactorInput is a new factor.
type FactorInput struct {
	Kind        string
	Title       string
	Description string
}

func (in *FactorInput) validate() error {
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	if in.Kind == "" {
		in.Kind = FactorContributing
	}
	if in.Kind != FactorContributing && in.Kind != FactorFinding {
		v.Add("kind", "Choose contributing factor or finding.")
	}
	switch {
	case in.Title == "":
		v.Add("title", "Say what the factor is, in a sentence: a condition, not a person.")
	case len([]rune(in.Title)) > 300:
		v.Add("title", "Use at most 300 characters; put detail in the description.")
	}
	if len(in.Description) > 20_000 {
		v.Add("description", "The description is too long.")
	}
	return v.Err()
}

// AddPostmortemFactor records a contributing factor or finding.
func AddPostmortemFactor(ctx context.Context, db *gorm.DB, actor Actor, postmortemID int64, in FactorInput) (*ContributingFactor, error) {
	var f *ContributingFactor
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := getPostmortemRow(ctx, tx, postmortemID)
		if err != nil {
			return err
		}
		if !pm.Editable() {
			return StateErrorf("A published postmortem is read-only.")
		}
		f, err = insertFactor(ctx, tx, actor, &postmortemID, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: add contributing factor: %w", TranslateError(err))
	}
	return f, nil
}

func insertFactor(ctx context.Context, tx *gorm.DB, actor Actor, postmortemID *int64, in FactorInput) (*ContributingFactor, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := Now(tx)
	f := &ContributingFactor{
		PostmortemID: postmortemID,
		Kind:         in.Kind, Title: in.Title, Description: in.Description, CreatedAt: now, UpdatedAt: now,
	}
	if actor.UserID != 0 {
		uid := actor.UserID
		f.CreatedByID = &uid
	}
	if err := tx.WithContext(ctx).Omit("CreatedBy").Create(f).Error; err != nil {
		return nil, err
	}
	objType, objID := "postmortem", int64(0)
	if postmortemID != nil {
		objID = *postmortemID
	}
	if err := Audit(ctx, tx, actor, AuditCreate, objType, objID, "recorded the "+strings.ToLower(FactorKindLabel(f.Kind))+" "+quote(f.Title),
		map[string]Change{"factor_id": {To: f.ID}}); err != nil {
		return nil, err
	}
	return f, nil
}

// DeletePostmortemFactor removes a factor of an editable postmortem.
func DeletePostmortemFactor(ctx context.Context, db *gorm.DB, actor Actor, postmortemID, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := getPostmortemRow(ctx, tx, postmortemID)
		if err != nil {
			return err
		}
		if !pm.Editable() {
			return StateErrorf("A published postmortem is read-only.")
		}
		var f ContributingFactor
		if err := tx.Where("id = ? AND postmortem_id = ?", id, postmortemID).Take(&f).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&ContributingFactor{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "postmortem", postmortemID, "removed the "+strings.ToLower(FactorKindLabel(f.Kind))+" "+quote(f.Title),
			map[string]Change{"factor": {From: f.Title}})
	})
	if err != nil {
		return fmt.Errorf("models: delete contributing factor %d: %w", id, TranslateError(err))
	}
	return nil
}

// ListPostmortemFactors returns a postmortem's factors: contributing
// factors first, then findings, each in the order they were written.
func ListPostmortemFactors(ctx context.Context, db *gorm.DB, postmortemID int64) ([]ContributingFactor, error) {
	var out []ContributingFactor
	err := db.WithContext(ctx).Preload("CreatedBy").Where("postmortem_id = ?", postmortemID).
		Order("kind, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list contributing factors: %w", TranslateError(err))
	}
	return out, nil
}

// CreatePostmortemActionItem creates an action item of a postmortem
// (source postmortem), about one of the incident's components if any.
// Published postmortems still take action items.
func CreatePostmortemActionItem(ctx context.Context, db *gorm.DB, actor Actor, postmortemID int64, in NewActionItem) (*ActionItem, error) {
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := getPostmortemRow(ctx, tx, postmortemID)
		if err != nil {
			return err
		}
		in.SourceKind = SourcePostmortem
		// The incident makes the item count in follow-through by severity.
		in.IncidentID = &pm.IncidentID
		cerr := incidentComponent(ctx, tx, pm.IncidentID, in)
		a, err := CreateActionItem(ctx, tx, actor, in)
		if err := joinValidation(cerr, err); err != nil {
			return err
		}
		id = a.ID
		return tx.Model(&ActionItem{}).Where("id = ?", a.ID).Update("postmortem_id", postmortemID).Error
	})
	if err != nil {
		return nil, fmt.Errorf("models: postmortem action item: %w", TranslateError(err))
	}
	return GetActionItem(ctx, db, id)
}

// ListPostmortemActionItems returns the action items of a postmortem
// (written on it or in its retros), oldest first.
func ListPostmortemActionItems(ctx context.Context, db *gorm.DB, postmortemID int64) ([]ActionItem, error) {
	var out []ActionItem
	err := db.WithContext(ctx).Preload("Owner").Preload("Team").Preload("Component").
		Where("postmortem_id = ?", postmortemID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: postmortem action items: %w", TranslateError(err))
	}
	return out, nil
}

// incidentComponent checks that the component in names (if any) is one of
// the incident's.
func incidentComponent(ctx context.Context, tx *gorm.DB, incidentID int64, in NewActionItem) error {
	if in.ComponentID == nil && in.ComponentSlug == "" {
		return nil
	}
	q := tx.WithContext(ctx).Table("incident_components").Joins("JOIN components ON components.id = incident_components.component_id").
		Where("incident_components.incident_id = ?", incidentID)
	if in.ComponentID != nil {
		q = q.Where("components.id = ?", *in.ComponentID)
	}
	if in.ComponentSlug != "" {
		q = q.Where("components.slug = ?", in.ComponentSlug)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return FieldError(RefComponent, "Choose one of the incident's components.")
	}
	return nil
}
