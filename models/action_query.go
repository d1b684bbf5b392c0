package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ActionQuery is the filter and sort of the one list of every action item:
// the core ActionItemFilter plus what the follow-through list, the
// dashboard's links behind each figure and the API need. Zero fields do not
// filter. Times that depend on "now" come from Now and Loc (the instance's
// zone), so a list and the figure that links to it agree.
type ActionQuery struct {
	ActionItemFilter

	NoOwner   bool // items nobody owns
	NoTeam    bool // items of no team
	NoDueDate bool // items without a due date
	// ClosedOnly keeps done and won't do items.
	ClosedOnly bool
	CreatorID  int64
	IncidentID int64
	// Postmortem keeps items linked to an incident (postmortem and retro items).
	Postmortem bool
	// SeverityID keeps items of incidents with that severity; NoSeverity
	// items of incidents without one.
	SeverityID int64
	NoSeverity bool
	// IncidentTag keeps items of incidents with that tag.
	IncidentTag string
	// Text matches the title, case-insensitively.
	Text string
	// CreatedFrom/CreatedTo keep items created on those days (inclusive, in Loc).
	CreatedFrom, CreatedTo *Date
	// ClosedOnFrom/ClosedOnTo keep items closed on those days (inclusive).
	ClosedOnFrom, ClosedOnTo *Date
	// Outcome keeps items by how they met their due date (OutcomeOnTime …).
	Outcome string
	// OpenOn keeps items open at the start of that day (midnight in Loc):
	// created before it and not closed by then. OverdueOn keeps those of
	// them due before that day.
	OpenOn, OverdueOn *Date
	// Age keeps open items by age in whole days since creation:
	// AgeMin ≤ age, and age ≤ AgeMax when AgeMax ≥ 0.
	Age            bool
	AgeMin, AgeMax int
	// MinAgeDays keeps items created at least that many days before Now.
	MinAgeDays int
	// ClosedWithinDays keeps items closed within that many days of their
	// creation (an item closed before it was created counts as closed at once).
	ClosedWithinDays int

	Sort   string // one of ActionSorts(); empty: due date
	Offset int

	Now time.Time
	Loc *time.Location
}

// Outcomes of an item due in a period (see FollowThrough).
const (
	OutcomeOnTime      = "on_time"      // done on or before the due date
	OutcomeLate        = "late"         // done after the due date
	OutcomeOpenOverdue = "open_overdue" // not closed and past the due date
	OutcomeNotYetDue   = "not_yet_due"  // not closed and not yet past the due date
)

// ActionSorts lists the sort keys of the list; a leading "-" reverses.
// Each call returns a fresh copy.
func ActionSorts() []string { return slices.Clone(actionSorts) }

var actionSorts = []string{"due", "-due", "priority", "-priority", "created", "-created", "updated", "-updated", "title", "owner", "team", "status"}

func (q ActionQuery) loc() *time.Location {
	if q.Loc == nil {
		return time.UTC
	}
	return q.Loc
}

func (q ActionQuery) today(db *gorm.DB) Date {
	if !q.Today.IsZero() {
		return q.Today
	}
	return Today(q.now(db), q.loc())
}

// now is q.Now, or the database's clock when it is zero.
func (q ActionQuery) now(db *gorm.DB) time.Time {
	if q.Now.IsZero() {
		return Now(db)
	}
	return UTC(q.Now)
}

// Midnight is the instant day d starts in loc, in UTC.
func Midnight(d Date, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc).UTC()
}

var openStatusesSQL = "('open', 'in_progress', 'blocked')"

func (q ActionQuery) apply(db *gorm.DB) *gorm.DB {
	if q.Overdue && q.Today.IsZero() {
		q.Today = q.today(db)
	}
	db = q.ActionItemFilter.apply(db)
	if q.NoOwner {
		db = db.Where("action_items.owner_id IS NULL")
	}
	if q.NoTeam {
		db = db.Where("action_items.team_id IS NULL")
	}
	if q.NoDueDate {
		db = db.Where("action_items.due_date IS NULL")
	}
	if q.ClosedOnly {
		db = db.Where("action_items.status IN ?", []string{ActionDone, ActionWontDo})
	}
	if q.CreatorID != 0 {
		db = db.Where("action_items.creator_id = ?", q.CreatorID)
	}
	if q.IncidentID != 0 {
		db = db.Where("action_items.incident_id = ?", q.IncidentID)
	}
	if q.Postmortem || q.SeverityID != 0 || q.NoSeverity {
		db = db.Where("action_items.incident_id IS NOT NULL")
	}
	if q.SeverityID != 0 {
		db = db.Where("action_items.incident_id IN (SELECT id FROM incidents WHERE severity_id = ?)", q.SeverityID)
	}
	if q.NoSeverity {
		db = db.Where("action_items.incident_id IN (SELECT id FROM incidents WHERE severity_id IS NULL)")
	}
	if q.IncidentTag != "" {
		db = db.Where("action_items.incident_id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)", q.IncidentTag)
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		db = db.Where("LOWER(action_items.title) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(t))+"%")
	}
	if q.CreatedFrom != nil {
		db = db.Where("action_items.created_at >= ?", Midnight(*q.CreatedFrom, q.loc()))
	}
	if q.CreatedTo != nil {
		db = db.Where("action_items.created_at < ?", Midnight(q.CreatedTo.AddDays(1), q.loc()))
	}
	if q.ClosedOnFrom != nil {
		db = db.Where("action_items.closed_on >= ?", *q.ClosedOnFrom)
	}
	if q.ClosedOnTo != nil {
		db = db.Where("action_items.closed_on <= ?", *q.ClosedOnTo)
	}
	switch q.Outcome {
	case OutcomeOnTime:
		db = db.Where("action_items.status = ? AND action_items.closed_on <= action_items.due_date", ActionDone)
	case OutcomeLate:
		db = db.Where("action_items.status = ? AND NOT (action_items.closed_on <= action_items.due_date)", ActionDone)
	case OutcomeOpenOverdue:
		db = db.Where("action_items.status IN "+openStatusesSQL+" AND action_items.due_date < ?", q.today(db))
	case OutcomeNotYetDue:
		db = db.Where("action_items.status IN "+openStatusesSQL+" AND action_items.due_date >= ?", q.today(db))
	}
	if q.OpenOn != nil {
		t := Midnight(*q.OpenOn, q.loc())
		db = db.Where("action_items.created_at < ? AND (action_items.closed_at IS NULL OR action_items.closed_at >= ?)", t, t)
	}
	if q.OverdueOn != nil {
		t := Midnight(*q.OverdueOn, q.loc())
		db = db.Where("action_items.created_at < ? AND (action_items.closed_at IS NULL OR action_items.closed_at >= ?) AND action_items.due_date < ?", t, t, *q.OverdueOn)
	}
	if q.Age {
		now := q.now(db)
		db = db.Where("action_items.status IN " + openStatusesSQL)
		if q.AgeMin > 0 {
			db = db.Where("action_items.created_at <= ?", now.Add(-time.Duration(q.AgeMin)*day))
		}
		if q.AgeMax >= 0 {
			db = db.Where("action_items.created_at > ?", now.Add(-time.Duration(q.AgeMax+1)*day))
		}
	}
	if q.MinAgeDays > 0 {
		db = db.Where("action_items.created_at <= ?", q.now(db).Add(-time.Duration(q.MinAgeDays)*day))
	}
	if q.ClosedWithinDays > 0 {
		db = db.Where("action_items.closed_at IS NOT NULL AND "+SQL(db).SecondsBetween("action_items.created_at", "action_items.closed_at")+" <= ?",
			q.ClosedWithinDays*86400)
	}
	return db
}

const day = 24 * time.Hour

// order adds the ORDER BY of q.Sort (due date, soonest first, by default),
// with the id as the last key so pages are stable.
func (q ActionQuery) order(db *gorm.DB) *gorm.DB {
	desc := strings.HasPrefix(q.Sort, "-")
	key := strings.TrimPrefix(q.Sort, "-")
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	switch key {
	case "priority":
		db = db.Order("CASE action_items.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END" + dir)
	case "created":
		db = db.Order("action_items.created_at" + dir)
	case "updated":
		db = db.Order("action_items.updated_at" + dir)
	case "title":
		db = db.Order("LOWER(action_items.title)" + dir)
	case "owner":
		db = db.Joins("LEFT JOIN users sort_owner ON sort_owner.id = action_items.owner_id").
			Order("CASE WHEN sort_owner.name IS NULL THEN 1 ELSE 0 END, LOWER(sort_owner.name)" + dir)
	case "team":
		db = db.Joins("LEFT JOIN teams sort_team ON sort_team.id = action_items.team_id").
			Order("CASE WHEN sort_team.name IS NULL THEN 1 ELSE 0 END, LOWER(sort_team.name)" + dir)
	case "id": // the API's default: stable pages by id
		return db.Order("action_items.id" + dir)
	case "status":
		db = db.Order("CASE action_items.status WHEN 'blocked' THEN 0 WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 WHEN 'done' THEN 3 ELSE 4 END" + dir)
	default: // due: closed items after open ones, items without a due date last
		db = db.Order("CASE WHEN action_items.status IN ('done', 'wont_do') THEN 1 ELSE 0 END").
			Order("CASE WHEN action_items.due_date IS NULL THEN 1 ELSE 0 END, action_items.due_date" + dir)
	}
	return db.Order("action_items.id" + dir)
}

// FindActionItems returns a page of the items matching q in q's order,
// with owner, team, component and incident loaded.
func FindActionItems(ctx context.Context, db *gorm.DB, q ActionQuery) ([]ActionItem, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 500
	}
	var out []ActionItem
	tx := q.order(q.apply(db.WithContext(ctx).Model(&ActionItem{})))
	err := tx.Preload("Owner").Preload("Team").Preload("Component").Preload("Incident").
		Limit(q.Limit).Offset(q.Offset).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: find action items: %w", TranslateError(err))
	}
	return out, nil
}

// CountFoundActionItems counts the items matching q.
func CountFoundActionItems(ctx context.Context, db *gorm.DB, q ActionQuery) (int64, error) {
	var n int64
	q.AfterID, q.Limit = 0, 0
	if err := q.apply(db.WithContext(ctx).Model(&ActionItem{})).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count action items: %w", TranslateError(err))
	}
	return n, nil
}

// EachActionItem calls fn for every item matching q in q's order, loading
// them in batches (for CSV exports of any size). Limit and Offset are ignored.
func EachActionItem(ctx context.Context, db *gorm.DB, q ActionQuery, fn func(*ActionItem) error) error {
	const batch = 500
	q.Limit = batch
	for off := 0; ; off += batch {
		q.Offset = off
		items, err := FindActionItems(ctx, db, q)
		if err != nil {
			return err
		}
		for i := range items {
			if err := fn(&items[i]); err != nil {
				return err
			}
		}
		if len(items) < batch {
			return nil
		}
	}
}
