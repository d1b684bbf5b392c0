// Package insights is incident analytics: counts by weekday, hour, week
// and month in a time zone, duration distributions, the components that
// hurt most and today in incident history, every figure aggregated by the
// database. It is a leaf feature: it imports models (the dialect SQL comes
// from models.SQL), and nothing in models imports it.
package insights

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Scope is what every insight looks at: the incidents a filter
// matches (date range, team, component, severity, tag — the incident list's
// semantics), seen from a time zone. Weekdays, hours, weeks, months and
// calendar days are taken in that zone, daylight saving time included.
type Scope struct {
	Filter   models.IncidentFilter
	Location *time.Location
}

// ScopeOf is the scope of resolved models.InsightFilters, in the zone tz
// or else def.
func ScopeOf(r *models.ResolvedFilter, def *time.Location) Scope {
	loc := def
	if it, ok := r.Item("tz"); ok {
		loc = it.Zone
	}
	return Scope{Filter: models.IncidentFilterOf(r, loc), Location: loc}
}

func (s Scope) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// ZoneName is the IANA name of the scope's zone ("UTC" for UTC).
func (s Scope) ZoneName() string {
	n := s.loc().String()
	if n == "Local" || n == "" {
		return "UTC"
	}
	return n
}

// incidents starts a query on the scope's incidents.
func (s Scope) incidents(ctx context.Context, db *gorm.DB) *gorm.DB {
	return s.Filter.Apply(db.WithContext(ctx).Model(&models.Incident{}))
}

// Indexes of migration 00100 that the SQLite queries name.
const (
	insightsIndex = "incidents_insights_idx"
)

// incidentsVia is incidents for a query whose values the database should
// read from the named index, where its planner needs telling (see
// models.SQLDialect.IndexedBy).
func (s Scope) incidentsVia(ctx context.Context, db *gorm.DB, index string) *gorm.DB {
	if from, ok := models.SQL(db).IndexedBy("incidents", index); ok {
		return s.Filter.Apply(db.WithContext(ctx).Table(from))
	}
	return s.incidents(ctx, db)
}

// newLocalTime prepares the local-time expressions of the scope (see
// models.SQLDialect.LocalTime). A dialect that works out the zone's offsets in Go
// learns the span of started_at the filter allows from the started_at
// index.
func (s Scope) newLocalTime(ctx context.Context, db *gorm.DB) (models.LocalTime, error) {
	return models.SQL(db).LocalTime(s.loc(), s.ZoneName(), func() (time.Time, time.Time, error) {
		var span struct{ Lo, Hi *string }
		q := db.WithContext(ctx).Model(&models.Incident{}).Select("MIN(started_at) AS lo, MAX(started_at) AS hi")
		if err := q.Scan(&span).Error; err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("models: insight time span: %w", models.TranslateError(err))
		}
		now := models.Now(db)
		from, to := now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0)
		if span.Lo != nil {
			if t, err := parseSQLiteTime(*span.Lo); err == nil {
				from = t
			}
		}
		if span.Hi != nil {
			if t, err := parseSQLiteTime(*span.Hi); err == nil {
				to = t
			}
		}
		if f := s.Filter.From; f != nil && f.After(from) {
			from = *f
		}
		if t := s.Filter.To; t != nil && t.Before(to) {
			to = *t
		}
		if to.Before(from) {
			to = from
		}
		return from, to, nil
	})
}

// parseSQLiteTime reads a timestamp as the SQLite driver writes it.
func parseSQLiteTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("models: unreadable time %q", s)
}

// dateOfDay is the date that is n days after 1970-01-01.
func dateOfDay(n int64) models.Date { return models.DateOf(time.Unix(n*86400, 0).UTC()) }

// monthOfNum is the first day of the month year·12 + month − 1.
func monthOfNum(n int64) models.Date {
	return models.Date{Year: int(n / 12), Month: time.Month(n%12 + 1), Day: 1}
}
