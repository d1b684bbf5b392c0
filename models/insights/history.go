package insights

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// HistoryIncident is an incident that started on today's calendar day in
// an earlier year.
type HistoryIncident struct {
	Incident models.Incident
	YearsAgo int
}

// IncidentsOnThisDay lists the scope's incidents that started on the same
// month and day as today (local time in the scope's zone) in earlier
// years, newest first, up to limit. On 28 February of a year without a
// 29th, incidents of 29 February are included too.
func IncidentsOnThisDay(ctx context.Context, db *gorm.DB, s Scope, today models.Date, limit int) ([]HistoryIncident, error) {
	lt, err := s.newLocalTime(ctx, db)
	if err != nil {
		return nil, err
	}
	days := []string{today.Format("01-02")}
	if today.Month == 2 && today.Day == 28 && models.DateOf(today.Time().AddDate(0, 0, 1)).Month == 3 {
		days = append(days, "02-29")
	}
	expr, args := lt.Date("incidents.started_at")
	var ids []int64
	err = s.incidents(ctx, db).Where("substr("+expr+", 6) IN ?", append(args, days)...).
		Where(expr+" < ?", append(args, fmt.Sprintf("%04d-01-01", today.Year))...).
		Order("incidents.started_at DESC, incidents.id DESC").Limit(limit).Pluck("incidents.id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: on this day: %w", models.TranslateError(err))
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var incs []models.Incident
	err = db.WithContext(ctx).Preload("Severity").Preload("Components", func(db *gorm.DB) *gorm.DB {
		return db.Select("components.id", "components.name", "components.slug").Order("components.name")
	}).Where("id IN ?", ids).Order("started_at DESC, id DESC").Find(&incs).Error
	if err != nil {
		return nil, fmt.Errorf("models: on this day: %w", models.TranslateError(err))
	}
	out := make([]HistoryIncident, len(incs))
	for i, inc := range incs {
		out[i] = HistoryIncident{Incident: inc, YearsAgo: today.Year - inc.StartedAt.In(s.loc()).Year()}
	}
	return out, nil
}
