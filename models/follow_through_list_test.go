package models_test

import (
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"gorm.io/gorm"
)

// TestFollowThroughListAgreesWithFigures: the list filter behind each
// figure finds exactly as many items as the figure counts.
func TestFollowThroughListAgreesWithFigures(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC().Truncate(time.Microsecond)
		w := genActionItems(t, db, 600, 11, now, loc)
		today := models.Today(now, loc)
		s := models.FollowThroughScope{TeamID: w.teams[0], From: today.AddDays(-120), To: today, Now: now, Loc: loc}
		f := must(models.ComputeFollowThrough(ctx, db, s))
		count := func(mod func(*models.ActionQuery)) int64 {
			q := s.Query()
			mod(&q)
			return must(models.CountFoundActionItems(ctx, db, q))
		}
		from, to := s.From, s.To
		cases := []struct {
			name string
			want int64
			mod  func(*models.ActionQuery)
		}{
			{"open", f.Open, func(q *models.ActionQuery) { q.OpenOnly = true }},
			{"overdue", f.Overdue, func(q *models.ActionQuery) { q.Overdue = true }},
			{"due in 7", f.DueIn7, func(q *models.ActionQuery) {
				d1, d2 := today, today.AddDays(7)
				q.OpenOnly, q.DueFrom, q.DueTo = true, &d1, &d2
			}},
			{"due in range", f.Completion.Due, func(q *models.ActionQuery) { q.DueFrom, q.DueTo = &from, &to }},
			{"on time", f.Completion.OnTime, func(q *models.ActionQuery) { q.DueFrom, q.DueTo, q.Outcome = &from, &to, models.OutcomeOnTime }},
			{"late", f.Completion.Late, func(q *models.ActionQuery) { q.DueFrom, q.DueTo, q.Outcome = &from, &to, models.OutcomeLate }},
			{"open overdue", f.Completion.OpenOverdue, func(q *models.ActionQuery) {
				q.DueFrom, q.DueTo, q.Outcome = &from, &to, models.OutcomeOpenOverdue
			}},
			{"closed", f.Closing.Closed, func(q *models.ActionQuery) { q.ClosedOnly, q.ClosedOnFrom, q.ClosedOnTo = true, &from, &to }},
			{"won't do", f.Closing.WontDo, func(q *models.ActionQuery) {
				q.Statuses, q.ClosedOnFrom, q.ClosedOnTo = []string{models.ActionWontDo}, &from, &to
			}},
		}
		for _, b := range f.Aging {
			cases = append(cases, struct {
				name string
				want int64
				mod  func(*models.ActionQuery)
			}{"aging " + b.Key, b.Count, func(q *models.ActionQuery) { q.Age, q.AgeMin, q.AgeMax = true, b.Min, b.Max }})
		}
		for _, p := range f.Trend {
			if p.Live {
				continue
			}
			cases = append(cases, struct {
				name string
				want int64
				mod  func(*models.ActionQuery)
			}{"open on " + p.Day.String(), p.Open, func(q *models.ActionQuery) { q.OpenOn = &p.Day }},
				struct {
					name string
					want int64
					mod  func(*models.ActionQuery)
				}{"overdue on " + p.Day.String(), p.Overdue, func(q *models.ActionQuery) { q.OverdueOn = &p.Day }})
		}
		for _, sv := range f.BySeverity {
			for _, wn := range sv.Within {
				got := count(func(q *models.ActionQuery) {
					q.Postmortem, q.CreatedFrom, q.CreatedTo, q.ClosedWithinDays = true, &from, &to, wn.Days
					q.MinAgeDays = wn.Days
					if sv.SeverityID == nil {
						q.NoSeverity = true
					} else {
						q.SeverityID = *sv.SeverityID
					}
				})
				if got != wn.Closed {
					t.Errorf("%s closed within %d days: list %d, figure %d", sv.Name, wn.Days, got, wn.Closed)
				}
				eligible := count(func(q *models.ActionQuery) {
					q.Postmortem, q.CreatedFrom, q.CreatedTo, q.MinAgeDays = true, &from, &to, wn.Days
					if sv.SeverityID == nil {
						q.NoSeverity = true
					} else {
						q.SeverityID = *sv.SeverityID
					}
				})
				if eligible != wn.Eligible {
					t.Errorf("%s created %d+ days ago: list %d, figure %d", sv.Name, wn.Days, eligible, wn.Eligible)
				}
			}
		}
		for _, c := range cases {
			if got := count(c.mod); got != c.want {
				t.Errorf("%s: list has %d items, figure says %d", c.name, got, c.want)
			}
		}
	})
}
