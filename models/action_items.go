package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Action item statuses. done and wont_do are closed.
const (
	ActionOpen       = "open"
	ActionInProgress = "in_progress"
	ActionBlocked    = "blocked"
	ActionDone       = "done"
	ActionWontDo     = "wont_do"
)

// ActionStatuses lists the statuses in their natural order.
// Each call returns a fresh copy.
func ActionStatuses() []string { return slices.Clone(actionStatuses) }

var actionStatuses = []string{ActionOpen, ActionInProgress, ActionBlocked, ActionDone, ActionWontDo}

// ActionStatusLabel is the human name of a status.
func ActionStatusLabel(s string) string {
	switch s {
	case ActionOpen:
		return "Open"
	case ActionInProgress:
		return "In progress"
	case ActionBlocked:
		return "Blocked"
	case ActionDone:
		return "Done"
	case ActionWontDo:
		return "Won't do"
	}
	return s
}

// ActionClosed reports whether a status ends the item's work.
func ActionClosed(status string) bool { return status == ActionDone || status == ActionWontDo }

// Priorities of action items.
const (
	PriorityLow    = "low"
	PriorityMedium = "medium"
	PriorityHigh   = "high"
)

// Priorities lists the priorities, lowest first.
// Each call returns a fresh copy.
func Priorities() []string { return slices.Clone(priorities) }

var priorities = []string{PriorityLow, PriorityMedium, PriorityHigh}

// Where an action item came from.
const (
	SourceReview     = "review"
	SourceFinding    = "finding"
	SourcePostmortem = "postmortem"
	SourceRetro      = "retro"
	SourceManual     = "manual"
)

// SourceKinds lists every source kind.
// Each call returns a fresh copy.
func SourceKinds() []string { return slices.Clone(sourceKinds) }

var sourceKinds = []string{SourceReview, SourceFinding, SourcePostmortem, SourceRetro, SourceManual}

// ActionItem is one piece of follow-up work with an owner and a due date.
// Reviews, findings, postmortems and retros create them; the
// follow-through pages list them all.
type ActionItem struct {
	ID             int64
	Title          string
	Description    string // Markdown
	Status         string
	StatusReason   string // why it won't be done (required for wont_do)
	CompletionNote string
	Priority       string
	OwnerID        *int64
	Owner          *User `gorm:"foreignKey:OwnerID"`
	TeamID         *int64
	Team           *Team `gorm:"foreignKey:TeamID"`
	CreatorID      *int64
	Creator        *User `gorm:"foreignKey:CreatorID"`
	ComponentID    *int64
	Component      *Component `gorm:"foreignKey:ComponentID"`
	DueDate        *Date
	SourceKind     string
	ReviewID       *int64
	FindingID      *int64
	ExternalURL    string
	ClosedAt       *time.Time
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Postmortems and retros: the postmortem and the retro the
	// item came from.
	PostmortemID   *int64
	RetroSessionID *int64
	// Follow-through (follow_through.go): the day ClosedAt falls on in the
	// instance's zone, and the incident whose postmortem or retro produced
	// the item.
	ClosedOn   *Date
	IncidentID *int64
	Incident   *Incident `gorm:"foreignKey:IncidentID"`
}

// IsClosed reports whether the item is done or won't be done.
func (a *ActionItem) IsClosed() bool { return ActionClosed(a.Status) }

// Overdue reports whether the item is open past its due date.
func (a *ActionItem) Overdue(today Date) bool {
	return !a.IsClosed() && a.DueDate != nil && a.DueDate.Before(today)
}

// OwnerEmail is the owner's email, or "".
func (a *ActionItem) OwnerEmail() string {
	if a.Owner == nil {
		return ""
	}
	return a.Owner.Email
}

// TeamSlug is the team's slug, or "".
func (a *ActionItem) TeamSlug() string {
	if a.Team == nil {
		return ""
	}
	return a.Team.Slug
}

// ActionItemEvent is one entry of an item's append-only status history.
type ActionItemEvent struct {
	ID           int64
	ActionItemID int64
	At           time.Time
	ActorID      *int64
	ActorName    string
	FromStatus   string
	ToStatus     string
	Note         string
}

// ActionItemInput is what a person sets on an action item. Owner is an
// email and Team a slug, as forms and the API send them; empty clears.
type ActionItemInput struct {
	Title       string
	Description string
	Priority    string
	Owner       string
	Team        string
	DueDate     string // YYYY-MM-DD or empty
	ExternalURL string
}

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

// resolved holds the foreign keys an input names.
type resolvedAction struct {
	ownerID, teamID *int64
	due             *Date
}

func resolveActionInput(ctx context.Context, db *gorm.DB, in *ActionItemInput) (resolvedAction, error) {
	var r resolvedAction
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	in.ExternalURL = strings.TrimSpace(in.ExternalURL)
	if in.Title == "" {
		v.Add("title", "Say what needs doing, in a few words.")
	} else if len([]rune(in.Title)) > 200 {
		v.Add("title", "Use at most 200 characters.")
	}
	if in.Priority == "" {
		in.Priority = PriorityMedium
	}
	if !oneOf(in.Priority, priorities...) {
		v.Add("priority", "Choose low, medium or high.")
	}
	if e := NormalizeEmail(in.Owner); e != "" {
		u, err := GetUserByEmail(ctx, db, e)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && u.Disabled):
			v.Add("owner", "No active user has the email "+e+".")
		case err != nil:
			return r, err
		default:
			r.ownerID = &u.ID
		}
	}
	if s := strings.TrimSpace(in.Team); s != "" {
		t, err := GetTeamBySlug(ctx, db, s)
		switch {
		case errors.Is(err, ErrNotFound):
			v.Add("team", "No team has the slug "+s+".")
		case err != nil:
			return r, err
		default:
			r.teamID = &t.ID
		}
	}
	if d, err := DatePtr(in.DueDate); err != nil {
		v.Add("due_date", "Enter the due date as YYYY-MM-DD.")
	} else {
		r.due = d
	}
	if in.ExternalURL != "" && !validHTTPURL(in.ExternalURL) {
		v.Add("external_url", "Enter a full http(s) link to the ticket, like https://tracker.example.com/OPS-12.")
	}
	return r, v.Err()
}

func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
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

func addActionEvent(tx *gorm.DB, actor Actor, itemID int64, from, to, note string) error {
	e := actionEvent(Now(tx), actor, itemID, from, to, note)
	return tx.Create(&e).Error
}

// actionEvent builds the history entry addActionEvent stores.
func actionEvent(at time.Time, actor Actor, itemID int64, from, to, note string) ActionItemEvent {
	e := ActionItemEvent{ActionItemID: itemID, At: at, ActorName: actor.Name, FromStatus: from, ToStatus: to, Note: note}
	if e.ActorName == "" {
		e.ActorName = "system"
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorID = &id
	}
	return e
}

func quote(s string) string { return "“" + s + "”" }

// GetActionItem loads an item with its owner, team, creator and component.
func GetActionItem(ctx context.Context, db *gorm.DB, id int64) (*ActionItem, error) {
	var a ActionItem
	err := db.WithContext(ctx).Preload("Owner").Preload("Team").Preload("Creator").Preload("Component").Preload("Incident").Preload("Incident.Severity").
		Where("id = ?", id).Take(&a).Error
	if err != nil {
		return nil, fmt.Errorf("models: get action item %d: %w", id, TranslateError(err))
	}
	return &a, nil
}

// ActionSourceTitles are the titles of where an item came from, for
// links on its page (empty where it has no such source).
type ActionSourceTitles struct {
	Review, Finding, Retro string
}

// SourceTitlesOf reads the titles of an item's review, finding and retro,
// each by primary key and nothing else.
func SourceTitlesOf(ctx context.Context, db *gorm.DB, a *ActionItem) (ActionSourceTitles, error) {
	var out ActionSourceTitles
	for _, src := range []struct {
		table string
		id    *int64
		dst   *string
	}{{"reviews", a.ReviewID, &out.Review}, {"findings", a.FindingID, &out.Finding}, {"retro_sessions", a.RetroSessionID, &out.Retro}} {
		if src.id == nil {
			continue
		}
		if err := db.WithContext(ctx).Table(src.table).Select("title").Where("id = ?", *src.id).Take(src.dst).Error; err != nil {
			return out, fmt.Errorf("models: title of %s %d: %w", src.table, *src.id, TranslateError(err))
		}
	}
	return out, nil
}

// UpdateActionItem changes an item's fields when version is still the
// stored one; otherwise it returns a ConflictError holding the fresh item.
func UpdateActionItem(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in ActionItemInput) (*ActionItem, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		r, err := resolveActionInput(ctx, tx, &in)
		if err != nil {
			return err
		}
		res := tx.Model(&ActionItem{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"title": in.Title, "description": in.Description, "priority": in.Priority,
			"owner_id": r.ownerID, "team_id": r.teamID, "due_date": r.due, "external_url": in.ExternalURL,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "action item", Current: before, Submitted: in}
		}
		after, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "action_item", id, "updated action item "+quote(after.Title),
			Diff(before, after, "Title", "Description", "Priority", "OwnerID", "TeamID", "DueDate", "ExternalURL"))
	})
	if err != nil {
		return nil, fmt.Errorf("models: update action item %d: %w", id, TranslateError(err))
	}
	return GetActionItem(ctx, db, id)
}

// ChangeActionStatus moves an item to status, recording who did it and
// why in its history. wont_do needs a reason; done may carry a completion
// note. Closing sets closed_at and reopening clears it. version 0 skips the
// stale-version check (for one-click changes that cannot lose an edit).
func ChangeActionStatus(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, status, note string) (*ActionItem, error) {
	note = strings.TrimSpace(CleanText(note))
	if !oneOf(status, actionStatuses...) {
		return nil, FieldError("status", "Choose open, in progress, blocked, done or won't do.")
	}
	if status == ActionWontDo && note == "" {
		return nil, FieldError("status_reason", "Say why this won't be done; the reason stays with the item.")
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return &ConflictError{What: "action item", Current: before, Submitted: status}
		}
		if before.Status == status {
			return StateErrorf("The item is already %s.", strings.ToLower(ActionStatusLabel(status)))
		}
		set := map[string]any{"version": gorm.Expr("version + 1"), "updated_at": Now(tx)}
		statusSet(ctx, tx, set, status, note)
		res := tx.Model(&ActionItem{}).Where("id = ? AND version = ?", id, before.Version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "action item", Current: before, Submitted: status}
		}
		if err := addActionEvent(tx, actor, id, before.Status, status, note); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditStateChange, "action_item", id,
			fmt.Sprintf("moved action item %s to %s", quote(before.Title), ActionStatusLabel(status)),
			map[string]Change{"status": {From: before.Status, To: status}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: action item %d status: %w", id, TranslateError(err))
	}
	return GetActionItem(ctx, db, id)
}

// statusSet adds to set the columns that moving an item to status
// changes: the status, the reason or completion note, and closed_at and
// closed_on (set on closing, cleared otherwise).
func statusSet(ctx context.Context, db *gorm.DB, set map[string]any, status, note string) {
	set["status"] = status
	switch {
	case status == ActionWontDo:
		set["status_reason"], set["closed_at"], set["closed_on"] = note, Now(db), closedOn(ctx, db)
	case status == ActionDone:
		set["completion_note"], set["status_reason"], set["closed_at"], set["closed_on"] = note, "", Now(db), closedOn(ctx, db)
	default:
		set["closed_at"], set["closed_on"] = nil, nil
		if status == ActionBlocked {
			set["status_reason"] = note
		} else {
			set["status_reason"] = ""
		}
	}
}

// ActionItemHistory returns an item's status history, oldest first.
func ActionItemHistory(ctx context.Context, db *gorm.DB, id int64) ([]ActionItemEvent, error) {
	var out []ActionItemEvent
	if err := db.WithContext(ctx).Where("action_item_id = ?", id).Order("at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: action item history: %w", TranslateError(err))
	}
	return out, nil
}

// ActionItemFilter narrows ListActionItems. Zero fields do not filter.
// Later features add their own fields (and a clause in apply).
type ActionItemFilter struct {
	TeamID      int64
	OwnerID     int64
	Statuses    []string
	OpenOnly    bool // open, in_progress or blocked
	SourceKinds []string
	Priorities  []string
	DueFrom     *Date // inclusive
	DueTo       *Date // inclusive
	// Overdue keeps open items due before Today.
	Overdue     bool
	Today       Date
	ComponentID int64
	ReviewID    int64
	FindingID   int64
	// FindingIDs keeps the items of these findings; with ReviewID, the
	// items of the review or of these findings.
	FindingIDs []int64
	// ClosedFrom/ClosedTo keep items closed in [ClosedFrom, ClosedTo).
	ClosedFrom, ClosedTo *time.Time
	// AfterID pages by id (ascending order); Limit caps the rows (0: 500).
	AfterID int64
	Limit   int
}

// openActionStatuses are the statuses of work not yet finished.
var openActionStatuses = []string{ActionOpen, ActionInProgress, ActionBlocked}

func (f ActionItemFilter) apply(q *gorm.DB) *gorm.DB {
	if f.TeamID != 0 {
		q = q.Where("action_items.team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		q = q.Where("action_items.owner_id = ?", f.OwnerID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("action_items.status IN ?", f.Statuses)
	}
	if f.OpenOnly || f.Overdue {
		q = q.Where("action_items.status IN ?", openActionStatuses)
	}
	if len(f.SourceKinds) > 0 {
		q = q.Where("action_items.source_kind IN ?", f.SourceKinds)
	}
	if len(f.Priorities) > 0 {
		q = q.Where("action_items.priority IN ?", f.Priorities)
	}
	if f.DueFrom != nil {
		q = q.Where("action_items.due_date >= ?", *f.DueFrom)
	}
	if f.DueTo != nil {
		q = q.Where("action_items.due_date <= ?", *f.DueTo)
	}
	if f.Overdue {
		q = q.Where("action_items.due_date < ?", f.Today)
	}
	if f.ComponentID != 0 {
		q = q.Where("action_items.component_id = ?", f.ComponentID)
	}
	switch {
	case f.ReviewID != 0 && len(f.FindingIDs) > 0:
		q = q.Where("(action_items.review_id = ? OR action_items.finding_id IN ?)", f.ReviewID, f.FindingIDs)
	case f.ReviewID != 0:
		q = q.Where("action_items.review_id = ?", f.ReviewID)
	case len(f.FindingIDs) > 0:
		q = q.Where("action_items.finding_id IN ?", f.FindingIDs)
	}
	if f.FindingID != 0 {
		q = q.Where("action_items.finding_id = ?", f.FindingID)
	}
	if f.ClosedFrom != nil {
		q = q.Where("action_items.closed_at >= ?", UTC(*f.ClosedFrom))
	}
	if f.ClosedTo != nil {
		q = q.Where("action_items.closed_at < ?", UTC(*f.ClosedTo))
	}
	if f.AfterID != 0 {
		q = q.Where("action_items.id > ?", f.AfterID)
	}
	return q
}

// Page sizes of ListActionItems: the default and the most it returns.
const (
	DefaultActionItemLimit = 500
	MaxActionItemLimit     = 1000
)

// ListActionItems returns the items matching f in id order, with owner,
// team and component loaded.
func ListActionItems(ctx context.Context, db *gorm.DB, f ActionItemFilter) ([]ActionItem, error) {
	if f.Limit <= 0 || f.Limit > MaxActionItemLimit {
		f.Limit = DefaultActionItemLimit
	}
	var out []ActionItem
	q := f.apply(db.WithContext(ctx).Model(&ActionItem{}))
	err := q.Preload("Owner").Preload("Team").Preload("Component").Order("action_items.id").Limit(f.Limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list action items: %w", TranslateError(err))
	}
	return out, nil
}

// CountActionItems counts the items matching f.
func CountActionItems(ctx context.Context, db *gorm.DB, f ActionItemFilter) (int64, error) {
	var n int64
	f.AfterID, f.Limit = 0, 0
	if err := f.apply(db.WithContext(ctx).Model(&ActionItem{})).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count action items: %w", TranslateError(err))
	}
	return n, nil
}
