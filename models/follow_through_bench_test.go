package models_test

import (
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// BenchmarkFollowThroughDashboard runs every query of the follow-through
// dashboard (figures with the breakdown, postmortem and review burn-ups)
// over 100,000 action items — five years of history, 12,500 postmortems —
// for the whole organisation over 90 and 365 days, for one team and for
// one owner, on each dialect.
//
//	go test ./models -run '^$' -bench FollowThroughDashboard -benchtime 20x
func BenchmarkFollowThroughDashboard(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := dbtest.New(b, dialect)
			now := time.Now().UTC().Truncate(time.Microsecond)
			w := genActionItemsProfile(b, db, 100_000, 1, now, loc, 5*365, realisticOpenShare)
			analyze(b, db)
			today := models.Today(now, loc)
			for _, sc := range []struct {
				name string
				s    models.FollowThroughScope
				by   string
			}{
				{"all-90d", models.FollowThroughScope{From: today.AddDays(-90), To: today}, models.ByTeam},
				{"all-365d", models.FollowThroughScope{From: today.AddDays(-365), To: today}, models.ByTeam},
				{"team-90d", models.FollowThroughScope{TeamID: w.teams[0], From: today.AddDays(-90), To: today}, models.ByOwner},
				{"owner-90d", models.FollowThroughScope{OwnerID: w.owners[0], From: today.AddDays(-90), To: today}, ""},
			} {
				s := sc.s
				s.Now, s.Loc = now, loc
				b.Run(sc.name, func(b *testing.B) {
					cpu0 := cpuTime()
					for b.Loop() {
						// As the dashboard runs them: at the same time.
						err := models.Parallel(db,
							func() (err error) {
								if sc.by == "" {
									_, err = models.ComputeFollowThrough(ctx, db, s)
								} else {
									_, err = models.ComputeFollowThroughBy(ctx, db, s, sc.by)
								}
								return err
							},
							func() error { _, err := models.PostmortemBurnUps(ctx, db, s, 10); return err },
							func() error { _, err := models.ReviewBurnUps(ctx, db, s, 10); return err },
						)
						if err != nil {
							b.Fatal(err)
						}
					}
					// CPU time of this process (SQLite runs in it; PostgreSQL's
					// own work is not included): the wall time depends on what
					// else the machine runs.
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				})
			}
		})
	}
}

// realisticOpenShare: most recent items are open, few old ones.
func realisticOpenShare(age int) float64 {
	switch {
	case age < 90:
		return 0.6
	case age < 365:
		return 0.25
	}
	return 0.05
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// analyze does what autovacuum does on a live PostgreSQL (and ANALYZE on SQLite).
func analyze(tb testing.TB, db *gorm.DB) {
	if err := db.Exec(models.SQL(db).Analyze()).Error; err != nil {
		tb.Fatal(err)
	}
}
