package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Postmortem statuses: a draft is written, then reviewed, then published.
// A published postmortem is read-only except for its action items.
const (
	PostmortemDraft     = "draft"
	PostmortemInReview  = "in_review"
	PostmortemPublished = "published"
)

// postmortemStatuses lists the statuses in order.
var postmortemStatuses = []string{PostmortemDraft, PostmortemInReview, PostmortemPublished}

// PostmortemStatuses are the statuses of a postmortem in order.
func PostmortemStatuses() []string { return slices.Clone(postmortemStatuses) }

// PostmortemStatusLabel names a status for people.
func PostmortemStatusLabel(s string) string {
	switch s {
	case PostmortemDraft:
		return "Draft"
	case PostmortemInReview:
		return "In review"
	case PostmortemPublished:
		return "Published"
	}
	return s
}

// Postmortem is the blameless document of one incident.
type Postmortem struct {
	ID                int64
	IncidentID        int64
	Incident          *Incident `gorm:"foreignKey:IncidentID"`
	TemplateID        *int64
	Status            string
	OwnerID           *int64
	Owner             *User `gorm:"foreignKey:OwnerID"`
	FacilitatorID     *int64
	Facilitator       *User `gorm:"foreignKey:FacilitatorID"`
	DueDate           *Date
	CreatedByID       *int64
	ReviewRequestedAt *time.Time
	PublishedAt       *time.Time
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Sections          []PostmortemSection `gorm:"foreignKey:PostmortemID"`
}

// Editable reports whether the document (sections, people, factors) may
// still change.
func (p *Postmortem) Editable() bool { return p.Status != PostmortemPublished }

// Overdue reports whether the postmortem is unpublished past its due date.
func (p *Postmortem) Overdue(today Date) bool {
	return p.Status != PostmortemPublished && p.DueDate != nil && p.DueDate.Before(today)
}

// Section returns the section with the key, or nil.
func (p *Postmortem) Section(key string) *PostmortemSection {
	for i := range p.Sections {
		if p.Sections[i].Key == key {
			return &p.Sections[i]
		}
	}
	return nil
}

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

func postmortemPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Owner").Preload("Facilitator").
		Preload("Incident", incidentPreloads).
		Preload("Sections", func(db *gorm.DB) *gorm.DB { return db.Order("position, id").Preload("UpdatedBy") })
}

// GetPostmortem loads a postmortem with its incident, people and sections.
func GetPostmortem(ctx context.Context, db *gorm.DB, id int64) (*Postmortem, error) {
	var p Postmortem
	if err := postmortemPreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, fmt.Errorf("models: get postmortem %d: %w", id, TranslateError(err))
	}
	return &p, nil
}

// GetPostmortemOfIncident loads the postmortem of an incident
// (ErrNotFound when it has none yet).
func GetPostmortemOfIncident(ctx context.Context, db *gorm.DB, incidentID int64) (*Postmortem, error) {
	var p Postmortem
	if err := postmortemPreloads(db.WithContext(ctx)).Where("incident_id = ?", incidentID).Take(&p).Error; err != nil {
		return nil, fmt.Errorf("models: postmortem of incident %d: %w", incidentID, TranslateError(err))
	}
	return &p, nil
}

// GetPostmortemOfIncidentKey loads the postmortem of the incident with
// key (INC-42), its Incident loaded as GetIncidentByKey loads it
// (ErrNotFound when there is no such incident or it has no postmortem).
func GetPostmortemOfIncidentKey(ctx context.Context, db *gorm.DB, key string) (*Postmortem, error) {
	n, ok := ParseIncidentKey(key)
	if !ok {
		return nil, fmt.Errorf("models: postmortem of incident %q: %w", key, ErrNotFound)
	}
	var p Postmortem
	err := postmortemPreloads(db.WithContext(ctx)).Where("incident_id = (SELECT id FROM incidents WHERE number = ?)", n).Take(&p).Error
	if err != nil {
		return nil, fmt.Errorf("models: postmortem of incident %s: %w", IncidentKey(n), TranslateError(err))
	}
	return &p, nil
}

// GetIncidentPostmortem finds the incident with key and its postmortem.
// The postmortem comes with its incident, so the incident is read once;
// without a postmortem the incident is still returned with ErrNotFound.
func GetIncidentPostmortem(ctx context.Context, db *gorm.DB, key string) (*Incident, *Postmortem, error) {
	pm, err := GetPostmortemOfIncidentKey(ctx, db, key)
	if err == nil && pm.Incident != nil {
		return pm.Incident, pm, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	inc, err := GetIncidentByKey(ctx, db, key)
	if err != nil {
		return nil, nil, err
	}
	pm, err = GetPostmortemOfIncident(ctx, db, inc.ID)
	return inc, pm, err
}

// PostmortemPeople is the owner, facilitator and due date of a postmortem.
type PostmortemPeople struct {
	OwnerID       *int64
	FacilitatorID *int64
	DueDate       string
}

// UpdatePostmortemPeople changes owner, facilitator and due date, refusing
// a stale version and a published postmortem.
func UpdatePostmortemPeople(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in PostmortemPeople) (*Postmortem, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetPostmortem(ctx, tx, id)
		if err != nil {
			return err
		}
		if !before.Editable() {
			return StateErrorf("A published postmortem is read-only.")
		}
		if before.Version != version {
			return &ConflictError{What: "postmortem", Current: before, Submitted: in}
		}
		v := &ValidationError{}
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
		after := *before
		after.OwnerID, after.FacilitatorID, after.DueDate = in.OwnerID, in.FacilitatorID, due
		changes := Diff(before, &after, "OwnerID", "FacilitatorID", "DueDate")
		if len(changes) == 0 {
			return nil
		}
		res := tx.Model(&Postmortem{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"owner_id": in.OwnerID, "facilitator_id": in.FacilitatorID, "due_date": due,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "postmortem", Current: before, Submitted: in}
		}
		return Audit(ctx, tx, actor, AuditUpdate, "postmortem", id, "changed the people or due date of the postmortem of "+before.Incident.Key(), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update postmortem %d: %w", id, TranslateError(err))
	}
	return GetPostmortem(ctx, db, id)
}

// postmortemMoves are the allowed status changes. Publishing is for
// facilitators and reopening a published postmortem for admins; the route
// table enforces who may call which.
var postmortemMoves = map[string][]string{
	PostmortemDraft:     {PostmortemInReview},
	PostmortemInReview:  {PostmortemDraft, PostmortemPublished},
	PostmortemPublished: {PostmortemDraft},
}

// ChangePostmortemStatus moves a postmortem from one status to another.
// from must be the current status (compare-and-set): a second click or a
// stale page gets a conflict instead of moving it twice.
func ChangePostmortemStatus(ctx context.Context, db *gorm.DB, actor Actor, id int64, from, to string) (*Postmortem, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetPostmortem(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != from {
			return &ConflictError{What: "postmortem status", Current: before, Submitted: to}
		}
		if !slices.Contains(postmortemMoves[from], to) {
			return StateErrorf("A %s postmortem cannot become %s.",
				PostmortemStatusLabel(from), PostmortemStatusLabel(to))
		}
		now := Now(tx)
		set := map[string]any{"status": to, "version": gorm.Expr("version + 1"), "updated_at": now}
		switch to {
		case PostmortemInReview:
			set["review_requested_at"] = now
		case PostmortemPublished:
			set["published_at"] = now
		case PostmortemDraft:
			set["published_at"] = nil
		}
		res := tx.Model(&Postmortem{}).Where("id = ? AND status = ?", id, from).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "postmortem status", Current: before, Submitted: to}
		}
		verb := map[string]string{PostmortemInReview: "sent for review", PostmortemPublished: "published", PostmortemDraft: "moved back to draft"}[to]
		return Audit(ctx, tx, actor, AuditStateChange, "postmortem", id, verb+" the postmortem of "+before.Incident.Key(),
			map[string]Change{"status": {From: from, To: to}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: postmortem %d status: %w", id, TranslateError(err))
	}
	return GetPostmortem(ctx, db, id)
}

// PostmortemFilter narrows ListPostmortems. Zero fields do not filter.
type PostmortemFilter struct {
	Status  string
	OwnerID int64
	// Overdue keeps unpublished postmortems due before Today.
	Overdue bool
	Today   Date
	Limit   int
}

// ListPostmortems returns postmortems, the most recently started
// incidents first, with their incident and people.
func ListPostmortems(ctx context.Context, db *gorm.DB, f PostmortemFilter) ([]Postmortem, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q := db.WithContext(ctx).Model(&Postmortem{}).Joins("JOIN incidents ON incidents.id = postmortems.incident_id")
	if f.Status != "" {
		q = q.Where("postmortems.status = ?", f.Status)
	}
	if f.OwnerID != 0 {
		q = q.Where("postmortems.owner_id = ?", f.OwnerID)
	}
	if f.Overdue {
		q = q.Where("postmortems.status <> ? AND postmortems.due_date < ?", PostmortemPublished, f.Today)
	}
	var out []Postmortem
	err := q.Preload("Owner").Preload("Facilitator").Preload("Incident", func(db *gorm.DB) *gorm.DB { return db.Preload("Severity") }).
		Order("incidents.started_at DESC, postmortems.id DESC").Limit(f.Limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list postmortems: %w", TranslateError(err))
	}
	return out, nil
}

// CountPostmortemsByStatus counts postmortems per status.
func CountPostmortemsByStatus(ctx context.Context, db *gorm.DB) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	if err := db.WithContext(ctx).Model(&Postmortem{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: count postmortems: %w", TranslateError(err))
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
