package models_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"gorm.io/gorm"
)

func TestFollowThroughBreakdownAndBurnUpMatchGo(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Kolkata")
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC().Truncate(time.Microsecond)
		w := genActionItems(t, db, 800, 3, now, loc)
		today := models.Today(now, loc)
		s := models.FollowThroughScope{From: today.AddDays(-100), To: today, Now: now, Loc: loc}
		all := w.expected(s)
		for _, by := range []string{models.ByTeam, models.ByOwner} {
			rows := must(models.FollowThroughBreakdown(ctx, db, s, by))
			var open, overdue, closed int64
			for i, r := range rows {
				open, overdue, closed = open+r.Open, overdue+r.Overdue, closed+r.Closed
				if i > 0 && rows[i-1].Overdue < r.Overdue {
					t.Errorf("by %s: not sorted by overdue", by)
				}
				if r.ID == 0 {
					continue
				}
				one := s
				if by == models.ByTeam {
					one.TeamID = r.ID
				} else {
					one.OwnerID = r.ID
				}
				want := w.expected(one)
				got := fmt.Sprint(r.Open, r.Overdue, r.DueIn7, r.Completion, r.Closed, r.WontDo)
				if exp := fmt.Sprint(want.Open, want.Overdue, want.DueIn7, want.Completion, want.Closing.Closed, want.Closing.WontDo); got != exp {
					t.Errorf("by %s %d: %s, want %s", by, r.ID, got, exp)
				}
				if !floatsClose(r.MedianSeconds, want.Closing.MedianSeconds) || !floatsClose(r.P90Secs, want.Closing.P90Seconds) {
					t.Errorf("by %s %d: median %s p90 %s, want %s %s", by, r.ID, ptrStr(r.MedianSeconds), ptrStr(r.P90Secs),
						ptrStr(want.Closing.MedianSeconds), ptrStr(want.Closing.P90Seconds))
				}
			}
			if open != all.Open || overdue != all.Overdue || closed != all.Closing.Closed {
				t.Errorf("by %s: rows sum to %d/%d/%d, want %d/%d/%d", by, open, overdue, closed, all.Open, all.Overdue, all.Closing.Closed)
			}
		}

		groups := must(models.PostmortemBurnUps(ctx, db, s, 50))
		if len(groups) == 0 {
			t.Fatal("no postmortem groups")
		}
		for _, g := range groups {
			var items, open int64
			for _, a := range w.items {
				if a.IncidentID != nil && *a.IncidentID == g.IncidentID {
					items++
					if !models.ActionClosed(a.Status) {
						open++
					}
				}
			}
			if g.Items != items || g.Open != open || g.Done+g.WontDo+g.Open != g.Items {
				t.Errorf("group %s: %+v, want %d items, %d open", g.Key(), g, items, open)
			}
			q := models.ActionQuery{IncidentID: g.IncidentID, Now: now, Loc: loc}
			pts := must(models.BurnUp(ctx, db, q))
			if len(pts) < 2 || !pts[len(pts)-1].Live {
				t.Fatalf("group %s: %d points", g.Key(), len(pts))
			}
			for _, p := range pts {
				var c, d, wd int64
				for _, a := range w.items {
					if a.IncidentID == nil || *a.IncidentID != g.IncidentID || !a.CreatedAt.Before(p.At) {
						continue
					}
					c++
					if a.ClosedAt != nil && a.ClosedAt.Before(p.At) {
						switch a.Status {
						case models.ActionDone:
							d++
						case models.ActionWontDo:
							wd++
						}
					}
				}
				if p.Created != c || p.Done != d || p.WontDo != wd {
					t.Errorf("group %s at %s: %d/%d/%d, want %d/%d/%d", g.Key(), p.Day, p.Created, p.Done, p.WontDo, c, d, wd)
				}
			}
		}
	})
}

func rowsString(rows []models.FollowThroughRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprint(r.ID, r.Open, r.Overdue, r.DueIn7, r.Completion, r.Closed, r.WontDo, ptrStr(r.MedianSeconds), ptrStr(r.P90Secs)))
	}
	return out
}

// TestReviewBurnUps: reviews with open items first, counts per state, and
// the weekly burn-up of one review's items.
func TestReviewBurnUps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		var reviews []*models.Review
		for i := 0; i < 3; i++ {
			reviews = append(reviews, f.review(t))
		}
		r := rand.New(rand.NewPCG(5, 5))
		want := map[int64]*models.BurnUpCounts{}
		today := models.Today(time.Now(), time.UTC)
		for i := 0; i < 40; i++ {
			rv := reviews[r.IntN(len(reviews))]
			due := today.AddDays(r.IntN(30) - 15).String()
			a := must(models.CreateActionItem(ctx, db, actorOf(f.member), models.NewActionItem{ReviewID: &rv.ID, SourceKind: models.SourceReview,
				ActionItemInput: models.ActionItemInput{Title: fmt.Sprintf("Review item %d", i), DueDate: due}}))
			c := want[rv.ID]
			if c == nil {
				c = &models.BurnUpCounts{}
				want[rv.ID] = c
			}
			c.Items++
			switch r.IntN(3) {
			case 0:
				must(models.ChangeActionStatus(ctx, db, actorOf(f.member), a.ID, 0, models.ActionDone, ""))
				c.Done++
			case 1:
				must(models.ChangeActionStatus(ctx, db, actorOf(f.member), a.ID, 0, models.ActionWontDo, "not needed"))
				c.WontDo++
			default:
				c.Open++
				if a.DueDate.Before(today) {
					c.Overdue++
				}
			}
		}
		s := models.FollowThroughScope{From: today.AddDays(-30), To: today, Loc: time.UTC}
		got := must(models.ReviewBurnUps(ctx, db, s, 10))
		if len(got) != len(want) {
			t.Fatalf("%d reviews, want %d", len(got), len(want))
		}
		for i, g := range got {
			if w := want[g.ReviewID]; g.BurnUpCounts != *w || g.ComponentName != f.comp.Name {
				t.Errorf("review %d: %+v, want %+v", g.ReviewID, g, *w)
			}
			if i > 0 && (got[i-1].Overdue < g.Overdue || (got[i-1].Overdue == g.Overdue && got[i-1].Open < g.Open)) {
				t.Errorf("not most overdue first: %+v", got)
			}
		}
		q := models.ActionQuery{}
		q.ReviewID = got[0].ReviewID
		pts := must(models.BurnUp(ctx, db, q))
		last := pts[len(pts)-1]
		if w := want[got[0].ReviewID]; last.Created != w.Items || last.Done != w.Done || last.WontDo != w.WontDo {
			t.Errorf("burn-up now %+v, want %+v", last, *w)
		}
	})
}
