package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// PostmortemSuggestion is what a new postmortem of an incident starts
// with: the default template, and owner, facilitator and due date by the
// incident's severity.
type PostmortemSuggestion struct {
	TemplateID    int64
	OwnerID       *int64
	FacilitatorID *int64
	DueDate       Date
	DueDays       int
	// Why explains the defaults ("SEV2: due 10 days after it starts").
	Why string
}

// SuggestPostmortem works out the defaults for a postmortem of inc started
// today by actor: the incident commander owns it (else whoever starts it),
// the severity's default facilitator facilitates, and it is due after the
// severity's number of days.
func SuggestPostmortem(ctx context.Context, db *gorm.DB, actor Actor, inc *Incident, today Date) (PostmortemSuggestion, error) {
	var s PostmortemSuggestion
	t, err := DefaultPostmortemTemplate(ctx, db)
	if err != nil {
		return s, err
	}
	s.TemplateID = t.ID
	switch {
	case inc.CommanderID != nil:
		s.OwnerID = inc.CommanderID
	case actor.UserID != 0:
		id := actor.UserID
		s.OwnerID = &id
	}
	s.DueDays, s.Why = 30, "No severity: due 30 days after it starts."
	if inc.SeverityID != nil {
		rows, err := ListPostmortemDefaults(ctx, db)
		if err != nil {
			return s, err
		}
		for _, r := range rows {
			if r.Severity.ID != *inc.SeverityID {
				continue
			}
			s.DueDays = r.DueDays
			s.Why = fmt.Sprintf("%s: due %d days after it starts", r.Severity.Name, r.DueDays)
			if r.Facilitator != nil && !r.Facilitator.Disabled {
				s.FacilitatorID = &r.Facilitator.ID
				s.Why += ", facilitated by " + r.Facilitator.Name
			}
			s.Why += "."
		}
	}
	s.DueDate = today.AddDays(s.DueDays)
	return s, nil
}

// NewPostmortem is the input for CreatePostmortem. Owner and facilitator
// are user ids (nil: nobody yet).
type NewPostmortem struct {
	TemplateID    int64
	OwnerID       *int64
	FacilitatorID *int64
	DueDate       string // YYYY-MM-DD or empty
}

func checkPeople(ctx context.Context, tx *gorm.DB, v *ValidationError, ids map[string]*int64) error {
	for field, id := range ids {
		if id == nil {
			continue
		}
		u, err := GetUser(ctx, tx, *id)
		if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
			v.Add(field, "Choose an active person from the list.")
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CreatePostmortem starts the postmortem of an incident from a template,
// copying its sections. An incident has at most one postmortem.
func CreatePostmortem(ctx context.Context, db *gorm.DB, actor Actor, incidentID int64, in NewPostmortem) (*Postmortem, error) {
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inc, err := GetIncident(ctx, tx, incidentID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Postmortem{}).Where("incident_id = ?", incidentID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: %s already has a postmortem", ErrDuplicate, inc.Key())
		}
		v := &ValidationError{}
		tpl, err := GetPostmortemTemplate(ctx, tx, in.TemplateID)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && tpl.Archived):
			v.Add("template", "Choose a template from the list.")
		case err != nil:
			return err
		}
		if err := checkPeople(ctx, tx, v, map[string]*int64{"owner": in.OwnerID, "facilitator": in.FacilitatorID}); err != nil {
			return err
		}
		due, derr := DatePtr(in.DueDate)
		if derr != nil {
			v.Add("due_date", "Enter the due date as YYYY-MM-DD.")
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := Now(tx)
		pm := Postmortem{
			IncidentID: incidentID, TemplateID: &tpl.ID, Status: PostmortemDraft,
			OwnerID: in.OwnerID, FacilitatorID: in.FacilitatorID, DueDate: due,
			Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if actor.UserID != 0 {
			uid := actor.UserID
			pm.CreatedByID = &uid
		}
		if err := tx.Omit("Incident", "Owner", "Facilitator", "Sections").Create(&pm).Error; err != nil {
			return err
		}
		id = pm.ID
		secs := make([]PostmortemSection, 0, len(tpl.Sections))
		for _, s := range tpl.Sections {
			secs = append(secs, PostmortemSection{
				PostmortemID: pm.ID, Position: s.Position, Key: s.Key, Title: s.Title, Guidance: s.Guidance,
				Version: 1, UpdatedAt: now,
			})
		}
		if len(secs) > 0 {
			if err := tx.Omit("UpdatedBy").Create(&secs).Error; err != nil {
				return err
			}
		}
		return Audit(ctx, tx, actor, AuditCreate, "postmortem", pm.ID, "started the postmortem of "+inc.Key(),
			map[string]Change{"template": {To: tpl.Name}, "owner_id": {To: pm.OwnerID}, "facilitator_id": {To: pm.FacilitatorID}, "due_date": {To: pm.DueDate}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create postmortem: %w", TranslateError(err))
	}
	return GetPostmortem(ctx, db, id)
}
