package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// NewActionItem is the input for CreateActionItem: what a person sets and
// the references to where the item comes from. ResolveActionSource derives
// the source (kind, review, finding, component, incident) from the
// references; see it for the rules.
type NewActionItem struct {
	ActionItemInput
	// SourceKind is needed only to tell a postmortem's item from a retro's
	// (empty: derived from the references).
	SourceKind string
	FindingID  *int64
	ReviewID   *int64
	// The component, by id or by slug (as forms and the API name it).
	ComponentID   *int64
	ComponentSlug string
	// The incident whose postmortem or retro the item comes from, by id or
	// by key (INC-42).
	IncidentID  *int64
	IncidentKey string
}

// CreateActionItem validates and stores a new open action item and its
// first history entry, in one transaction. It resolves the item's
// references and derives its source (ResolveActionSource): a reference
// that does not resolve or disagrees with another is a ValidationError
// naming it, together with any other bad field.
func CreateActionItem(ctx context.Context, db *gorm.DB, actor Actor, in NewActionItem) (*ActionItem, error) {
	var a *ActionItem
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		src, serr := ResolveActionSource(ctx, tx, in)
		r, err := resolveActionInput(ctx, tx, &in.ActionItemInput)
		if err := joinValidation(serr, err); err != nil {
			return err
		}
		now := Now(tx)
		a = &ActionItem{
			Title: in.Title, Description: in.Description, Status: ActionOpen, Priority: in.Priority,
			OwnerID: r.ownerID, TeamID: r.teamID, DueDate: r.due, SourceKind: src.Kind,
			ExternalURL: in.ExternalURL, Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if src.Finding != nil {
			a.FindingID = &src.Finding.ID
		}
		if src.Review != nil {
			a.ReviewID = &src.Review.ID
		}
		if src.Component != nil {
			a.ComponentID = &src.Component.ID
		}
		if src.Incident != nil {
			a.IncidentID = &src.Incident.ID
		}
		if actor.UserID != 0 {
			id := actor.UserID
			a.CreatorID = &id
		}
		if err := tx.Omit(actionAssociations...).Create(a).Error; err != nil {
			return err
		}
		if err := addActionEvent(tx, actor, a.ID, "", ActionOpen, ""); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "action_item", a.ID, "created action item "+quote(a.Title),
			map[string]Change{"source_kind": {To: a.SourceKind}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create action item: %w", TranslateError(err))
	}
	return GetActionItem(ctx, db, a.ID)
}

var actionAssociations = []string{"Owner", "Team", "Creator", "Component", "Incident"}
