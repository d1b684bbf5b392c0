package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Link kinds suggested in forms; any short word is accepted.
var linkKinds = []string{"dashboard", "runbook", "repository", "on-call", "docs"}

// ComponentInput is what a person sets on a component. Team is a team
// slug (empty: no owning team); ReviewIntervalDays 0 takes the tier's
// default.
type ComponentInput struct {
	Name               string
	Slug               string
	Team               string
	Tier               int
	Description        string
	Links              []Link
	Tags               []string
	ReviewIntervalDays int
}

// ParseLinks reads one link per line as "Title | URL" or
// "Title | URL | kind", as the component form shows them.
func ParseLinks(text string) ([]Link, error) {
	var out []Link
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		var l Link
		switch len(parts) {
		case 1:
			l = Link{Title: parts[0], URL: parts[0]}
		case 2:
			l = Link{Title: parts[0], URL: parts[1]}
		case 3:
			l = Link{Title: parts[0], URL: parts[1], Kind: strings.ToLower(parts[2])}
		default:
			return nil, fmt.Errorf("line %d: write Title | URL or Title | URL | kind", i+1)
		}
		if !validHTTPURL(l.URL) {
			return nil, fmt.Errorf("line %d: %q is not a full http(s) link", i+1, l.URL)
		}
		out = append(out, l)
	}
	return out, nil
}

// FormatLinks writes links in the form ParseLinks reads.
func FormatLinks(links []Link) string {
	var b strings.Builder
	for _, l := range links {
		b.WriteString(l.Title + " | " + l.URL)
		if l.Kind != "" {
			b.WriteString(" | " + l.Kind)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseTags splits a comma- or space-separated list into tags.
func ParseTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
}

func normalizeComponent(ctx context.Context, db *gorm.DB, in *ComponentInput, creating bool) (*int64, error) {
	v := &ValidationError{}
	in.Name = CleanLine(in.Name)
	in.Slug = strings.TrimSpace(in.Slug)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	if in.Name == "" {
		v.Add("name", "Enter the component's name, like “Postgres fleet”.")
	} else if len([]rune(in.Name)) > 120 {
		v.Add("name", "Use at most 120 characters.")
	}
	if creating {
		if in.Slug == "" {
			in.Slug = Slugify(in.Name)
		}
		if !ValidSlug(in.Slug) {
			v.Add("slug", "Use lowercase letters, digits and single dashes, like postgres-fleet.")
		}
	}
	if in.Tier == 0 {
		in.Tier = 2
	}
	if in.Tier < 1 || in.Tier > 3 {
		v.Add("tier", "Choose tier 1 (most critical), 2 or 3.")
	}
	if in.ReviewIntervalDays == 0 {
		in.ReviewIntervalDays = DefaultReviewInterval(in.Tier)
	}
	if in.ReviewIntervalDays < 1 || in.ReviewIntervalDays > 3650 {
		v.Add("review_interval_days", "Use a number of days from 1 to 3650.")
	}
	for i, l := range in.Links {
		l.Title, l.URL, l.Kind = CleanLine(l.Title), strings.TrimSpace(l.URL), CleanLine(l.Kind)
		if l.Title == "" {
			l.Title = l.URL
		}
		if !validHTTPURL(l.URL) {
			v.Add("links", fmt.Sprintf("Link %d: %q is not a full http(s) link.", i+1, l.URL))
		}
		in.Links[i] = l
	}
	seen := map[string]bool{}
	var tags []string
	for _, t := range in.Tags {
		t = Slugify(t)
		if t == "" || seen[t] {
			continue
		}
		if len(t) > 40 {
			v.Add("tags", "Keep each tag under 40 characters.")
		}
		seen[t] = true
		tags = append(tags, t)
	}
	sort.Strings(tags)
	in.Tags = tags
	var teamID *int64
	if s := strings.TrimSpace(in.Team); s != "" {
		t, err := GetTeamBySlug(ctx, db, s)
		switch {
		case errors.Is(err, ErrNotFound):
			v.Add("team", "No team has the slug "+s+".")
		case err != nil:
			return nil, err
		default:
			teamID = &t.ID
		}
	}
	return teamID, v.Err()
}

func setTags(tx *gorm.DB, componentID int64, tags []string) error {
	if err := tx.Where("component_id = ?", componentID).Delete(&ComponentTag{}).Error; err != nil {
		return err
	}
	for _, t := range tags {
		if err := tx.Create(&ComponentTag{ComponentID: componentID, Tag: t}).Error; err != nil {
			return err
		}
	}
	return nil
}

// CreateComponent validates and stores a component with its tags.
func CreateComponent(ctx context.Context, db *gorm.DB, actor Actor, in ComponentInput) (*Component, error) {
	var c *Component
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		teamID, err := normalizeComponent(ctx, tx, &in, true)
		if err != nil {
			return err
		}
		now := Now(tx)
		links := in.Links
		if links == nil {
			links = []Link{}
		}
		c = &Component{
			Name: in.Name, Slug: in.Slug, TeamID: teamID, Tier: in.Tier, Description: in.Description,
			Links: links, ReviewIntervalDays: in.ReviewIntervalDays, Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.Omit("Team", "Tags").Create(c).Error; err != nil {
			if errors.Is(TranslateError(err), ErrDuplicate) {
				return FieldError("slug", "A component with this slug already exists.")
			}
			return err
		}
		if err := setTags(tx, c.ID, in.Tags); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "component", c.ID, "created component "+c.Slug,
			map[string]Change{"tier": {To: c.Tier}, "tags": {To: in.Tags}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create component: %w", TranslateError(err))
	}
	return GetComponentBySlug(ctx, db, c.Slug)
}

// UpdateComponent changes a component (its slug stays) when version is the
// stored one; a stale version gives a ConflictError with the fresh record.
func UpdateComponent(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in ComponentInput) (*Component, error) {
	var slug string
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetComponent(ctx, tx, id)
		if err != nil {
			return err
		}
		slug = before.Slug
		teamID, err := normalizeComponent(ctx, tx, &in, false)
		if err != nil {
			return err
		}
		links := in.Links
		if links == nil {
			links = []Link{}
		}
		set := map[string]any{
			"name": in.Name, "team_id": teamID, "tier": in.Tier, "description": in.Description,
			"links": linksJSON(links), "review_interval_days": in.ReviewIntervalDays,
			"next_review_due": nextDue(before.LastReviewedAt, in.ReviewIntervalDays),
			"version":         gorm.Expr("version + 1"), "updated_at": Now(tx),
		}
		res := tx.Model(&Component{}).Where("id = ? AND version = ?", id, version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "component", Current: before, Submitted: in}
		}
		if err := setTags(tx, id, in.Tags); err != nil {
			return err
		}
		after, err := GetComponent(ctx, tx, id)
		if err != nil {
			return err
		}
		changes := Diff(before, after, "Name", "TeamID", "Tier", "Description", "Links", "ReviewIntervalDays")
		if b, a := strings.Join(before.TagNames(), ","), strings.Join(after.TagNames(), ","); b != a {
			changes["tags"] = Change{From: before.TagNames(), To: after.TagNames()}
		}
		return Audit(ctx, tx, actor, AuditUpdate, "component", id, "updated component "+slug, changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update component %d: %w", id, TranslateError(err))
	}
	return GetComponentBySlug(ctx, db, slug)
}

// nextDue is the next review date after a completed review (nil when the
// component was never reviewed).
func nextDue(last *time.Time, intervalDays int) *Date {
	if last == nil {
		return nil
	}
	d := DateOf(last.UTC()).AddDays(intervalDays)
	return &d
}

// GetComponent loads a component by id with its team and tags.
func GetComponent(ctx context.Context, db *gorm.DB, id int64) (*Component, error) {
	var c Component
	err := db.WithContext(ctx).Preload("Team").Preload("Tags").Where("id = ?", id).Take(&c).Error
	if err != nil {
		return nil, fmt.Errorf("models: get component %d: %w", id, TranslateError(err))
	}
	return &c, nil
}

// Review cadence filters of the catalog.
const (
	ReviewFilterOverdue = "overdue" // due date passed
	ReviewFilterNever   = "never"   // never reviewed
	ReviewFilterDue     = "due"     // overdue, never reviewed or due within DueSoonDays
)

// DueSoonDays is how far ahead "due" looks.
const DueSoonDays = 30

// ComponentFilter narrows ListComponents. Zero fields do not filter.
type ComponentFilter struct {
	TeamID int64
	Tier   int
	Tag    string
	// Review is one of the ReviewFilter constants, judged against Today.
	Review string
	Today  Date
	Query  string // part of the name or slug
	// ByID orders by id (for API paging) instead of by name; AfterID and
	// Limit page through that order.
	ByID    bool
	AfterID int64
	Limit   int
}

// CadenceState says where a component stands with its review cadence.
type CadenceState struct {
	Label string // "Never reviewed", "Overdue by 3 days", "Due in 12 days", …
	Kind  string // never, overdue, soon, ok
	Days  int
}

// ReviewStateOn judges the component's cadence on a date.
func (c *Component) ReviewStateOn(today Date) CadenceState {
	if c.NextReviewDue == nil {
		return CadenceState{Label: "Never reviewed", Kind: "never"}
	}
	days := today.DaysUntil(*c.NextReviewDue)
	switch {
	case days < 0:
		return CadenceState{Label: fmt.Sprintf("Overdue by %s", plural(-days, "day")), Kind: "overdue", Days: days}
	case days == 0:
		return CadenceState{Label: "Due today", Kind: "soon"}
	case days <= DueSoonDays:
		return CadenceState{Label: fmt.Sprintf("Due in %s", plural(days, "day")), Kind: "soon", Days: days}
	}
	return CadenceState{Label: "Due " + c.NextReviewDue.String(), Kind: "ok", Days: days}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// CountComponents counts the components in the catalog.
func CountComponents(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Component{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count components: %w", TranslateError(err))
	}
	return n, nil
}

// ListComponents returns the components matching f, by name.
func ListComponents(ctx context.Context, db *gorm.DB, f ComponentFilter) ([]Component, error) {
	q := db.WithContext(ctx).Model(&Component{})
	if f.TeamID != 0 {
		q = q.Where("components.team_id = ?", f.TeamID)
	}
	if f.Tier != 0 {
		q = q.Where("components.tier = ?", f.Tier)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM component_tags t WHERE t.component_id = components.id AND t.tag = ?)", f.Tag)
	}
	if s := strings.ToLower(strings.TrimSpace(f.Query)); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where("(lower(components.name) LIKE ? ESCAPE '\\' OR components.slug LIKE ? ESCAPE '\\')", like, like)
	}
	switch f.Review {
	case ReviewFilterOverdue:
		q = q.Where("components.next_review_due < ?", f.Today)
	case ReviewFilterNever:
		q = q.Where("components.next_review_due IS NULL")
	case ReviewFilterDue:
		q = q.Where("(components.next_review_due IS NULL OR components.next_review_due <= ?)", f.Today.AddDays(DueSoonDays))
	}
	order := "lower(components.name), components.id"
	if f.ByID {
		order = "components.id"
		if f.AfterID != 0 {
			q = q.Where("components.id > ?", f.AfterID)
		}
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var out []Component
	if err := q.Preload("Team").Preload("Tags").Order(order).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list components: %w", TranslateError(err))
	}
	return out, nil
}

// ComponentTagsInUse lists every tag used by a component, sorted.
func ComponentTagsInUse(ctx context.Context, db *gorm.DB) ([]string, error) {
	var out []string
	if err := db.WithContext(ctx).Model(&ComponentTag{}).Distinct("tag").Order("tag").Pluck("tag", &out).Error; err != nil {
		return nil, fmt.Errorf("models: component tags: %w", TranslateError(err))
	}
	return out, nil
}

// OpenCounts are a component's open findings and open action items.
type OpenCounts struct {
	Findings int64
	Actions  int64
}

// OpenCountsByComponent counts open findings and action items per
// component in two grouped queries.
func OpenCountsByComponent(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]OpenCounts, error) {
	out := map[int64]OpenCounts{}
	if len(ids) == 0 {
		return out, nil
	}
	type row struct {
		ComponentID int64
		N           int64
	}
	var rows []row
	err := db.WithContext(ctx).Model(&ActionItem{}).Select("component_id, COUNT(*) AS n").
		Where("component_id IN ? AND status IN ?", ids, openActionStatuses).Group("component_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: open counts: %w", TranslateError(err))
	}
	for _, r := range rows {
		c := out[r.ComponentID]
		c.Actions = r.N
		out[r.ComponentID] = c
	}
	rows = nil
	err = db.WithContext(ctx).Model(&Finding{}).Select("component_id, COUNT(*) AS n").
		Where("component_id IN ? AND status IN ?", ids, []string{FindingOpen, FindingAccepted}).Group("component_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: open counts: %w", TranslateError(err))
	}
	for _, r := range rows {
		c := out[r.ComponentID]
		c.Findings = r.N
		out[r.ComponentID] = c
	}
	return out, nil
}

// ComponentsDueForReview lists the components that are overdue, never
// reviewed, or due within DueSoonDays of today: overdue first (oldest due
// date first), then never reviewed by tier, then due soon.
func ComponentsDueForReview(ctx context.Context, db *gorm.DB, today Date) ([]Component, error) {
	comps, err := ListComponents(ctx, db, ComponentFilter{Review: ReviewFilterDue, Today: today})
	if err != nil {
		return nil, err
	}
	rank := func(c *Component) int {
		switch c.ReviewStateOn(today).Kind {
		case "overdue":
			return 0
		case "never":
			return 1
		}
		return 2
	}
	sort.SliceStable(comps, func(i, j int) bool {
		a, b := &comps[i], &comps[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.NextReviewDue != nil && b.NextReviewDue != nil && *a.NextReviewDue != *b.NextReviewDue {
			return a.NextReviewDue.Before(*b.NextReviewDue)
		}
		return a.Tier < b.Tier
	})
	return comps, nil
}

// ValidateComponentInput checks input without storing anything, so a form
// with one unparseable field can still report every other problem.
func ValidateComponentInput(ctx context.Context, db *gorm.DB, in ComponentInput, creating bool) error {
	_, err := normalizeComponent(ctx, db, &in, creating)
	return err
}

// reviewHomeCounts are the home page figures of the catalog and reviews.
func reviewHomeCounts(ctx context.Context, db *gorm.DB, today Date) ([]HomeCount, error) {
	var comps, open int64
	if err := db.WithContext(ctx).Model(&Component{}).Count(&comps).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	if comps == 0 {
		return nil, nil
	}
	if err := db.WithContext(ctx).Model(&Review{}).Where("status IN ?", []string{ReviewDraft, ReviewInProgress, ReviewInReview}).Count(&open).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	var due int64
	if err := db.WithContext(ctx).Model(&Component{}).Where("next_review_due IS NULL OR next_review_due < ?", today).Count(&due).Error; err != nil {
		return nil, fmt.Errorf("models: home counts: %w", TranslateError(err))
	}
	return []HomeCount{
		{Label: "Components", Count: comps, Hint: "in the catalog", Route: "components.index"},
		{Label: "Open reviews", Count: open, Hint: "draft, in progress or awaiting sign-off", Route: "reviews.index"},
		{Label: "Due for review", Count: due, Hint: "overdue or never reviewed", Route: "reviews.due"},
	}, nil
}
