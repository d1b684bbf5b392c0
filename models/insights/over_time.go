package insights

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Intervals of the incidents-over-time chart.
const (
	IntervalWeek  = "week"
	IntervalMonth = "month"
)

// SeriesSeverity is one stack of the over-time chart: a severity, or
// "Unclassified" (ID nil) for incidents without one.
type SeriesSeverity struct {
	ID    *int64
	Name  string
	Color string
	Total int
}

// OverTimeBucket is one week (starting Monday) or month in local time.
type OverTimeBucket struct {
	Start models.Date
	Total int
	// Counts align with OverTime.Severities.
	Counts []int
}

// Label names the bucket: "Mar 2026" or "w/c 2 Mar 2026".
func (b OverTimeBucket) Label(interval string) string {
	if interval == IntervalMonth {
		return b.Start.Format("Jan 2006")
	}
	return b.Start.Format("2 Jan 2006")
}

// OverTime counts incidents per week or month, stacked by severity.
type OverTime struct {
	Zone       string
	Interval   string
	Total      int
	Severities []SeriesSeverity
	Buckets    []OverTimeBucket
}

// MaxOverTimeBuckets caps the buckets of one chart (weekly over 20 years).
const MaxOverTimeBuckets = 1100

// IncidentsOverTime counts the scope's incidents per local week (Monday
// first) or month and severity, in SQL; weeks or months without incidents
// between the first and the last (or the filter's bounds) are filled in
// with zeros.
func IncidentsOverTime(ctx context.Context, db *gorm.DB, s Scope, interval string) (*OverTime, error) {
	if interval != IntervalWeek {
		interval = IntervalMonth
	}
	lt, err := s.newLocalTime(ctx, db)
	if err != nil {
		return nil, err
	}
	expr, args := lt.WeekDay("incidents.started_at")
	if interval == IntervalMonth {
		expr, args = lt.MonthNum("incidents.started_at")
	}
	var rows []struct {
		Bucket     int64
		SeverityID *int64
		N          int
	}
	err = s.incidentsVia(ctx, db, insightsIndex).Select(expr+" AS bucket, incidents.severity_id AS severity_id, COUNT(*) AS n", args...).
		Group("bucket, incidents.severity_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: incidents over time: %w", models.TranslateError(err))
	}
	sevs, err := models.ListSeverities(ctx, db)
	if err != nil {
		return nil, err
	}
	out := &OverTime{Zone: s.ZoneName(), Interval: interval}
	col := map[int64]int{}
	for _, sv := range sevs {
		id := sv.ID
		col[id] = len(out.Severities)
		out.Severities = append(out.Severities, SeriesSeverity{ID: &id, Name: sv.Name, Color: sv.Color})
	}
	unclassified := -1
	counts := map[models.Date][]int{}
	var first, last models.Date
	for _, r := range rows {
		d := dateOfDay(r.Bucket)
		if interval == IntervalMonth {
			d = monthOfNum(r.Bucket)
		}
		c, ok := -1, false
		if r.SeverityID != nil {
			c, ok = col[*r.SeverityID]
		}
		if !ok {
			if unclassified < 0 {
				unclassified = len(out.Severities)
				out.Severities = append(out.Severities, SeriesSeverity{Name: "Unclassified", Color: "slate"})
			}
			c = unclassified
		}
		if counts[d] == nil {
			counts[d] = make([]int, len(sevs)+1)
		}
		counts[d][c] += r.N
		out.Severities[c].Total += r.N
		out.Total += r.N
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if last.IsZero() || d.After(last) {
			last = d
		}
	}
	loc := s.loc()
	if f := s.Filter.From; f != nil {
		first = bucketOf(models.DateOf(f.In(loc)), interval)
	}
	if t := s.Filter.To; t != nil {
		// To is exclusive: the bucket of the last instant before it.
		last = bucketOf(models.DateOf(t.Add(-time.Microsecond).In(loc)), interval)
	}
	if first.IsZero() || last.Before(first) {
		return out, nil
	}
	for d := first; !d.After(last) && len(out.Buckets) < MaxOverTimeBuckets; d = nextBucket(d, interval) {
		b := OverTimeBucket{Start: d, Counts: make([]int, len(out.Severities))}
		for i := range b.Counts {
			if c := counts[d]; c != nil {
				b.Counts[i] = c[i]
				b.Total += c[i]
			}
		}
		out.Buckets = append(out.Buckets, b)
	}
	return out, nil
}

// bucketOf is the week (Monday) or month containing d.
func bucketOf(d models.Date, interval string) models.Date {
	if interval == IntervalMonth {
		return models.Date{Year: d.Year, Month: d.Month, Day: 1}
	}
	back := (int(d.Time().Weekday()) + 6) % 7 // days since Monday
	return d.AddDays(-back)
}

func nextBucket(d models.Date, interval string) models.Date {
	if interval == IntervalMonth {
		return models.DateOf(d.Time().AddDate(0, 1, 0))
	}
	return d.AddDays(7)
}
