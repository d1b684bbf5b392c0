package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// zoneKey carries the instance's time zone (DEBRIEF_TIMEZONE) in a context.
type zoneKey struct{}

// WithZone returns ctx carrying loc, the instance's time zone. Calendar
// days that models derive from the clock — the day an action item was
// closed, "today" for overdue checks — are days in this zone. The HTTP
// layer and the job workers set it; without it UTC applies.
func WithZone(ctx context.Context, loc *time.Location) context.Context {
	if loc == nil {
		return ctx
	}
	return context.WithValue(ctx, zoneKey{}, loc)
}

// ZoneOf returns the time zone stored by WithZone, or UTC.
func ZoneOf(ctx context.Context) *time.Location {
	if loc, ok := ctx.Value(zoneKey{}).(*time.Location); ok && loc != nil {
		return loc
	}
	return time.UTC
}

// closedOn is today's date in ctx's zone: the day an item closed now was
// closed on.
func closedOn(ctx context.Context, db *gorm.DB) Date { return Today(Now(db), ZoneOf(ctx)) }
