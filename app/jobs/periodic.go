package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// NewPeriodic declares a job that the leader enqueues on schedule. id names
// it (unique among periodic jobs, stable across releases); makeArgs builds
// each run's arguments. With runOnStart the job also runs when the leader
// starts. Pass the result in Config.Periodic.
//
// Every instance declares the same periodic jobs; River elects one leader
// per database, and only the leader enqueues them, so a daily digest is
// enqueued once however many instances run. Make the work itself
// idempotent too (notify keys do this for notifications): a leader that
// changes just as a run is due may enqueue that run on the new leader too.
func NewPeriodic(id string, schedule river.PeriodicSchedule, makeArgs func() river.JobArgs, runOnStart bool) *river.PeriodicJob {
	return river.NewPeriodicJob(schedule, func() (river.JobArgs, *river.InsertOpts) {
		return makeArgs(), nil
	}, &river.PeriodicJobOpts{ID: id, RunOnStart: runOnStart})
}

// Every runs a periodic job at a fixed interval.
func Every(d time.Duration) river.PeriodicSchedule { return river.PeriodicInterval(d) }

// Daily runs a periodic job every day at hour:minute in loc.
func Daily(hour, minute int, loc *time.Location) river.PeriodicSchedule {
	return wallClock{hour: hour, minute: minute, loc: loc, weekday: -1}
}

// Weekly runs a periodic job every week on weekday at hour:minute in loc.
func Weekly(weekday time.Weekday, hour, minute int, loc *time.Location) river.PeriodicSchedule {
	return wallClock{hour: hour, minute: minute, loc: loc, weekday: int(weekday)}
}

type wallClock struct {
	hour, minute int
	weekday      int // -1: every day
	loc          *time.Location
}

// Next is the first matching wall-clock time strictly after current. It
// steps by calendar days (not 24h), so daylight-saving changes keep the
// local time.
func (w wallClock) Next(current time.Time) time.Time {
	loc := w.loc
	if loc == nil {
		loc = time.UTC
	}
	c := current.In(loc)
	for i := 0; i < 8; i++ {
		d := c.AddDate(0, 0, i)
		t := time.Date(d.Year(), d.Month(), d.Day(), w.hour, w.minute, 0, 0, loc)
		if !t.After(current) {
			continue
		}
		if w.weekday >= 0 && int(t.Weekday()) != w.weekday {
			continue
		}
		return t
	}
	return c.AddDate(0, 0, 7) // unreachable: 8 days always contain a match
}
