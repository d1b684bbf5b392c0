package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// IncidentSorts are the orders of the incident list.
// Each call returns a fresh copy.
func IncidentSorts() []struct{ Value, Label string } { return slices.Clone(incidentSorts) }

var incidentSorts = []struct{ Value, Label string }{
	{"newest", "Newest first"},
	{"oldest", "Oldest first"},
	{"severity", "Most severe first"},
	{"key", "Highest key first"},
	{"updated", "Recently updated"},
}

// IncidentFilter narrows the incident list; the zero value lists all.
type IncidentFilter struct {
	// Statuses match any of them; "open" stands for every status before
	// resolved.
	Statuses    []string
	SeverityIDs []int64
	// ComponentIDs and TeamIDs match any of them; an ID of -1 matches
	// nothing (an unknown slug).
	ComponentIDs []int64
	TeamIDs      []int64
	Tags         []string
	// From and To bound started_at: From ≤ started < To.
	From, To *time.Time
	// Query matches the key, title, summary, impact and external ID.
	Query string
	Sort  string
}

// Apply adds the filter's conditions to a query on incidents.
func (f IncidentFilter) Apply(q *gorm.DB) *gorm.DB {
	if len(f.Statuses) > 0 {
		var st []string
		for _, s := range f.Statuses {
			if s == "open" {
				st = append(st, string(StatusInvestigating), string(StatusIdentified), string(StatusMonitoring))
				continue
			}
			st = append(st, s)
		}
		q = q.Where("incidents.status IN ?", st)
	}
	if len(f.SeverityIDs) > 0 {
		q = q.Where("incidents.severity_id IN ?", f.SeverityIDs)
	}
	if len(f.ComponentIDs) > 0 {
		q = q.Where("incidents.id IN (SELECT incident_id FROM incident_components WHERE component_id IN ?)", f.ComponentIDs)
	}
	if len(f.TeamIDs) > 0 {
		// The owning team, or the team of an affected component.
		q = q.Where("(incidents.team_id IN ? OR incidents.id IN (SELECT ic.incident_id FROM incident_components ic "+
			"JOIN components c ON c.id = ic.component_id WHERE c.team_id IN ?))", f.TeamIDs, f.TeamIDs)
	}
	for _, t := range f.Tags {
		q = q.Where("incidents.id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)", NormalizeTag(t))
	}
	if f.From != nil {
		q = q.Where("incidents.started_at >= ?", UTC(*f.From))
	}
	if f.To != nil {
		q = q.Where("incidents.started_at < ?", UTC(*f.To))
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		q = searchCondition(q, s)
	}
	return q
}

// searchTerms splits a query into lower-case words (letters and digits),
// at most eight.
func searchTerms(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var out []string
	for _, w := range words {
		if len(w) > 64 {
			w = w[:64]
		}
		out = append(out, w)
		if len(out) == 8 {
			break
		}
	}
	return out
}

// searchExpr is the text the PostgreSQL search index covers; the query
// must use the very same expression for the index to serve it.
const searchExpr = "to_tsvector('simple', translate(incidents.title || ' ' || incidents.summary || ' ' || incidents.impact || ' ' || incidents.external_id, '-/_', '   '))"

// searchCondition matches incidents whose title, summary, impact or
// external ID contain every word of the query (as a word or the start of
// one), or whose key the query is. Both databases answer it from a
// full-text index (FTS5 on SQLite, a GIN index on PostgreSQL).
func searchCondition(q *gorm.DB, s string) *gorm.DB {
	terms := searchTerms(s)
	n, isKey := ParseIncidentKey(s)
	if len(terms) == 0 {
		if isKey {
			return q.Where("incidents.number = ?", n)
		}
		return q.Where("1 = 0")
	}
	cond, arg := SQL(q).TextMatch("incidents.id", "incidents_fts", searchExpr, terms)
	if isKey {
		return q.Where("(incidents.number = ? OR "+cond+")", n, arg)
	}
	return q.Where(cond, arg)
}

func (f IncidentFilter) order(q *gorm.DB) *gorm.DB {
	switch f.Sort {
	case "oldest":
		return q.Order("incidents.started_at ASC, incidents.id ASC")
	case "severity":
		return q.Joins("LEFT JOIN severities ON severities.id = incidents.severity_id").
			Order("COALESCE(severities.rank, 1000000) ASC, incidents.started_at DESC, incidents.id DESC")
	case "key":
		return q.Order("incidents.number DESC")
	case "updated":
		return q.Order("incidents.updated_at DESC, incidents.id DESC")
	}
	return q.Order("incidents.started_at DESC, incidents.id DESC")
}

// listPreloads loads what a list row shows.
func listPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Severity").Preload("Commander").Preload("Scribe").Preload("CommsLead").Preload("Team").
		Preload("Components", func(db *gorm.DB) *gorm.DB {
			return db.Select("components.id", "components.name", "components.slug", "components.team_id").Order("components.name")
		}).
		Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("tag") })
}

// ListIncidents returns one page of the filtered, sorted list. It finds
// the page's IDs first (filtering and sorting narrow rows, mostly from
// indexes) and then loads those rows, which keeps deep pages and computed
// sorts cheap on large tables.
func ListIncidents(ctx context.Context, db *gorm.DB, f IncidentFilter, offset, limit int) ([]Incident, error) {
	var ids []int64
	q := f.order(f.Apply(db.WithContext(ctx).Model(&Incident{})))
	if err := q.Offset(offset).Limit(limit).Pluck("incidents.id", &ids).Error; err != nil {
		return nil, fmt.Errorf("models: list incidents: %w", TranslateError(err))
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []Incident
	if err := listPreloads(db.WithContext(ctx)).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: list incidents: %w", TranslateError(err))
	}
	byID := make(map[int64]Incident, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]Incident, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// CountIncidents counts the incidents the filter matches.
func CountIncidents(ctx context.Context, db *gorm.DB, f IncidentFilter) (int64, error) {
	var n int64
	if err := f.Apply(db.WithContext(ctx).Model(&Incident{})).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count incidents: %w", TranslateError(err))
	}
	return n, nil
}

// IncidentCursor is a position in the list ordered newest first.
type IncidentCursor struct {
	StartedAt time.Time `json:"s"`
	ID        int64     `json:"i"`
}

// ListIncidentsAfter returns up to limit incidents after the cursor
// (nil: from the start), newest first, for keyset paging through large
// lists (the API and CSV export).
func ListIncidentsAfter(ctx context.Context, db *gorm.DB, f IncidentFilter, after *IncidentCursor, limit int) ([]Incident, error) {
	q := f.Apply(db.WithContext(ctx).Model(&Incident{}))
	if after != nil {
		t := UTC(after.StartedAt)
		// A row-value comparison: both databases use the (started_at, id)
		// index for it, where an OR of two conditions scans.
		q = q.Where("(incidents.started_at, incidents.id) < (?, ?)", t, after.ID)
	}
	var out []Incident
	err := listPreloads(q.Order("incidents.started_at DESC, incidents.id DESC")).Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list incidents: %w", TranslateError(err))
	}
	return out, nil
}

// CursorOf is the position of an incident in the newest-first list.
func CursorOf(i Incident) IncidentCursor { return IncidentCursor{StartedAt: i.StartedAt, ID: i.ID} }

// EachIncidentBatch calls fn with the filtered incidents, newest first, in
// batches, without holding them all in memory.
func EachIncidentBatch(ctx context.Context, db *gorm.DB, f IncidentFilter, batch int, fn func([]Incident) error) error {
	var after *IncidentCursor
	for {
		list, err := ListIncidentsAfter(ctx, db, f, after, batch)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return nil
		}
		if err := fn(list); err != nil {
			return err
		}
		if len(list) < batch {
			return nil
		}
		c := CursorOf(list[len(list)-1])
		after = &c
	}
}

// IncidentTagNames lists distinct tags in alphabetical order, for filter
// suggestions. It skips through the tag index (one probe per distinct tag)
// instead of reading every row.
func IncidentTagNames(ctx context.Context, db *gorm.DB, limit int) ([]string, error) {
	var out []string
	err := db.WithContext(ctx).Raw(`WITH RECURSIVE t(tag, n) AS (
		SELECT MIN(tag), 1 FROM incident_tags
		UNION ALL
		SELECT (SELECT MIN(tag) FROM incident_tags WHERE tag > t.tag), n + 1 FROM t WHERE t.tag IS NOT NULL AND n < ?
	) SELECT tag FROM t WHERE tag IS NOT NULL`, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: tag names: %w", TranslateError(err))
	}
	return out, nil
}
