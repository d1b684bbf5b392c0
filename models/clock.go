package models

import (
	"time"

	"gorm.io/gorm"
)

// The clock travels with the database handle: gorm's Config.NowFunc is the
// time every model function reads through Now(db), and the one gorm itself
// uses for autoCreateTime and autoUpdateTime fields. Sessions, WithContext
// and transactions copy the Config, so a handle made by WithClock keeps
// its clock through all of them. This file is the only place in models
// that reads the wall clock.

// SystemClock is the wall clock, normalised like every stored time (UTC,
// microsecond precision). Open makes it the default clock.
func SystemClock() time.Time { return UTC(time.Now()) }

// WithClock returns db reading the time from now: stored timestamps and
// the "now" of every rule that asks Now(db). Tests move now to move every
// timestamp alike; production uses SystemClock.
func WithClock(db *gorm.DB, now func() time.Time) *gorm.DB {
	if now == nil {
		now = SystemClock
	}
	return db.Session(&gorm.Session{NowFunc: func() time.Time { return UTC(now()) }})
}

// Now is db's clock: UTC, microsecond precision (what PostgreSQL keeps),
// so a value read back equals the value written.
func Now(db *gorm.DB) time.Time {
	if db == nil || db.Config == nil || db.NowFunc == nil {
		return SystemClock()
	}
	return UTC(db.NowFunc())
}

// UTC normalises a time for storage the same way Now does.
func UTC(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// UTCPtr is UTC for optional times.
func UTCPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := UTC(*t)
	return &u
}
