package models_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func floatsClose(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	// SQLite's date functions keep milliseconds.
	return math.Abs(*a-*b) <= 0.01
}

func ptrStr(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.4f", *p)
}

func compareFigures(t *testing.T, name string, got *models.FollowThrough, want models.FollowThrough) {
	t.Helper()
	check := func(what string, g, w any) {
		t.Helper()
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("%s: %s = %v, want %v", name, what, g, w)
		}
	}
	check("today", got.Today, want.Today)
	check("open", got.Open, want.Open)
	check("overdue", got.Overdue, want.Overdue)
	check("due in 7", got.DueIn7, want.DueIn7)
	check("due in 30", got.DueIn30, want.DueIn30)
	for i := range want.Aging {
		check("aging "+want.Aging[i].Key, got.Aging[i].Count, want.Aging[i].Count)
	}
	check("completion", got.Completion, want.Completion)
	check("closed", got.Closing.Closed, want.Closing.Closed)
	check("won't do", got.Closing.WontDo, want.Closing.WontDo)
	for _, q := range []struct {
		what string
		g, w *float64
	}{{"median", got.Closing.MedianSeconds, want.Closing.MedianSeconds}, {"p90", got.Closing.P90Seconds, want.Closing.P90Seconds}, {"mean", got.Closing.MeanSeconds, want.Closing.MeanSeconds}} {
		if !floatsClose(q.g, q.w) {
			t.Errorf("%s: %s time to close = %s s, want %s s", name, q.what, ptrStr(q.g), ptrStr(q.w))
		}
	}
	if len(got.Trend) != len(want.Trend) {
		t.Fatalf("%s: %d trend points, want %d", name, len(got.Trend), len(want.Trend))
	}
	for i := range want.Trend {
		g, w := got.Trend[i], want.Trend[i]
		check(fmt.Sprintf("trend %s", w.Day), [2]int64{g.Open, g.Overdue}, [2]int64{w.Open, w.Overdue})
	}
	if len(got.BySeverity) != len(want.BySeverity) {
		t.Fatalf("%s: %d severity rows, want %d", name, len(got.BySeverity), len(want.BySeverity))
	}
	for i := range want.BySeverity {
		g, w := got.BySeverity[i], want.BySeverity[i]
		check("severity "+w.Name, fmt.Sprint(g.Name, g.Items, g.Open, g.Within), fmt.Sprint(w.Name, w.Items, w.Open, w.Within))
	}
}

// TestFollowThroughFiguresMatchGo checks every dashboard figure computed
// in SQL against the same figure computed in Go from the generated rows,
// for several scopes and periods, in a zone with daylight saving time.
func TestFollowThroughFiguresMatchGo(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC().Truncate(time.Microsecond)
		w := genActionItems(t, db, 1500, 7, now, loc)
		today := models.Today(now, loc)
		var edge int
		for _, a := range w.items {
			if a.ClosedAt != nil && a.ClosedAt.Before(a.CreatedAt) {
				edge++
			}
		}
		if edge == 0 {
			t.Fatal("no item closed before it was created: the edge case is not covered")
		}
		scopes := map[string]models.FollowThroughScope{
			"all, 90 days":          {From: today.AddDays(-90), To: today},
			"all, past quarter":     {From: today.AddDays(-200), To: today.AddDays(-110)},
			"all, a year and ahead": {From: today.AddDays(-365), To: today.AddDays(40)},
			"one day":               {From: today.AddDays(-3), To: today.AddDays(-3)},
			"team":                  {TeamID: w.teams[1], From: today.AddDays(-120), To: today},
			"owner":                 {OwnerID: w.owners[2], From: today.AddDays(-60), To: today},
			"severity":              {SeverityID: w.sevs[0].ID, From: today.AddDays(-300), To: today},
		}
		for name, s := range scopes {
			s.Now, s.Loc = now, loc
			got, err := models.ComputeFollowThrough(ctx, db, s)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			compareFigures(t, name, got, w.expected(s))
			for _, by := range []string{models.ByTeam, models.ByOwner} {
				grouped, err := models.ComputeFollowThroughBy(ctx, db, s, by)
				if err != nil {
					t.Fatalf("%s by %s: %v", name, by, err)
				}
				compareFigures(t, name+" by "+by, grouped, w.expected(s))
				rows := must(models.FollowThroughBreakdown(ctx, db, s, by))
				if fmt.Sprint(rowsString(rows)) != fmt.Sprint(rowsString(grouped.Breakdown)) {
					t.Errorf("%s by %s: breakdowns differ:\n%v\n%v", name, by, rowsString(rows), rowsString(grouped.Breakdown))
				}
			}
		}
		// Not vacuous: the generated data exercises every figure.
		all := w.expected(models.FollowThroughScope{From: today.AddDays(-365), To: today, Now: now, Loc: loc})
		if all.Overdue == 0 || all.Completion.OnTime == 0 || all.Completion.Late == 0 || all.Completion.OpenOverdue == 0 ||
			all.Closing.WontDo == 0 || len(all.BySeverity) < 3 || all.Trend[len(all.Trend)-1].Overdue == 0 {
			t.Fatalf("generated data too thin: %+v", all)
		}
	})
}
