package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// ftWorld is generated follow-through data: the rows as stored, so the
// test can compute every figure again in Go without asking the database.
type ftWorld struct {
	teams     []int64
	owners    []int64
	incidents map[int64]*int64 // incident → severity (nil: none)
	sevs      []models.Severity
	items     []models.ActionItem
}

// genActionItems stores n action items with random but plausible
// histories over the 400 days before now: every status, items without a
// due date or owner or team, items closed before they were created
// (imported history), postmortem items of incidents of every severity and
// of incidents without one. closed_on is the close day in loc.
func genActionItems(tb testing.TB, db *gorm.DB, n int, seed uint64, now time.Time, loc *time.Location) *ftWorld {
	return genActionItemsProfile(tb, db, n, seed, now, loc, 400, nil)
}

// genActionItemsProfile is genActionItems over the given number of days of
// history; openShare, when set, gives the chance that an item of an age
// (in days) is still open, as in a real organisation where old items are
// mostly closed.
func genActionItemsProfile(tb testing.TB, db *gorm.DB, n int, seed uint64, now time.Time, loc *time.Location, days int, openShare func(ageDays int) float64) *ftWorld {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	w := &ftWorld{incidents: map[int64]*int64{}}
	sevs, err := models.ListSeverities(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	w.sevs = sevs
	for i := 0; i < 4; i++ {
		tm, err := models.CreateTeam(ctx, db, models.SystemActor("seed"), models.NewTeam{Name: fmt.Sprintf("Team %d %d", seed, i), Slug: fmt.Sprintf("team-%d-%d", seed, i)})
		if err != nil {
			tb.Fatal(err)
		}
		w.teams = append(w.teams, tm.ID)
	}
	for i := 0; i < 8; i++ {
		u, err := models.CreateUser(ctx, db, models.SystemActor("seed"), models.NewUser{
			Email: fmt.Sprintf("owner%d.%d@example.com", seed, i), Name: fmt.Sprintf("Owner %d", i), Role: models.RoleMember,
		}, false)
		if err != nil {
			tb.Fatal(err)
		}
		w.owners = append(w.owners, u.ID)
	}
	var base int64
	if err := db.Raw("SELECT COALESCE(MAX(number), 0) FROM incidents").Scan(&base).Error; err != nil {
		tb.Fatal(err)
	}
	nInc := max(12, n/8) // a postmortem has a few action items
	var incs []*models.Incident
	for i := 0; i < nInc; i++ {
		var sev *int64
		if i%5 != 4 {
			id := sevs[i%len(sevs)].ID
			sev = &id
		}
		st := now.Add(-time.Duration(r.IntN(days*24)) * time.Hour).UTC().Truncate(time.Second)
		incs = append(incs, &models.Incident{Number: base + int64(i) + 1, Title: fmt.Sprintf("Incident %d", i), SeverityID: sev,
			Status: models.StatusResolved, StartedAt: st, Links: []models.Link{}, Version: 1, CreatedAt: st, UpdatedAt: st})
	}
	if err := db.Omit(clause.Associations).CreateInBatches(incs, 500).Error; err != nil {
		tb.Fatal(err)
	}
	for _, inc := range incs {
		w.incidents[inc.ID] = inc.SeverityID
	}
	incIDs := make([]int64, 0, len(w.incidents))
	for id := range w.incidents {
		incIDs = append(incIDs, id)
	}
	slices.Sort(incIDs)
	pick := func(ids []int64, pNil float64) *int64 {
		if r.Float64() < pNil {
			return nil
		}
		id := ids[r.IntN(len(ids))]
		return &id
	}
	statuses := []string{models.ActionOpen, models.ActionOpen, models.ActionInProgress, models.ActionBlocked,
		models.ActionDone, models.ActionDone, models.ActionDone, models.ActionWontDo}
	for i := 0; i < n; i++ {
		created := now.Add(-time.Duration(r.Int64N(int64(time.Duration(days) * 24 * time.Hour)))).UTC().Truncate(time.Microsecond)
		status := statuses[r.IntN(len(statuses))]
		if openShare != nil {
			if r.Float64() < openShare(int(now.Sub(created).Hours()/24)) {
				status = statuses[r.IntN(4)]
			} else {
				status = statuses[4+r.IntN(4)]
			}
		}
		a := models.ActionItem{
			Title: fmt.Sprintf("Item %d", i), Status: status, Priority: models.Priorities()[r.IntN(3)],
			SourceKind: models.SourceKinds()[r.IntN(len(models.SourceKinds()))], Version: 1, CreatedAt: created, UpdatedAt: created,
			TeamID: pick(w.teams, 0.1), OwnerID: pick(w.owners, 0.1),
		}
		if r.Float64() < 0.8 {
			d := models.DateOf(created.In(loc)).AddDays(r.IntN(100) - 10)
			a.DueDate = &d
		}
		if r.Float64() < 0.4 {
			a.IncidentID = pick(incIDs, 0)
		}
		if models.ActionClosed(a.Status) {
			var closed time.Time
			if r.Float64() < 0.06 { // closed before it was created: imported history
				closed = created.Add(-time.Duration(r.IntN(96)+1) * time.Hour)
			} else {
				closed = created.Add(time.Duration(r.Int64N(int64(130 * 24 * time.Hour))))
			}
			if closed.After(now) {
				closed = now.Add(-time.Minute)
			}
			closed = closed.UTC().Truncate(time.Microsecond)
			d := models.DateOf(closed.In(loc))
			a.ClosedAt, a.ClosedOn = &closed, &d
			if a.Status == models.ActionWontDo {
				a.StatusReason = "Superseded by the new platform."
			}
		}
		w.items = append(w.items, a)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		return tx.Omit(clause.Associations).CreateInBatches(w.items, 500).Error
	})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// expected computes the figures from the generated rows, straight from
// the definitions (no deltas, no SQL).
func (w *ftWorld) expected(s models.FollowThroughScope) models.FollowThrough {
	loc := s.Loc
	now := s.Now
	today := models.Today(now, loc)
	f := models.FollowThrough{Today: today}
	open := func(a models.ActionItem) bool { return !models.ActionClosed(a.Status) }
	inScope := func(a models.ActionItem) bool {
		if s.TeamID != 0 && (a.TeamID == nil || *a.TeamID != s.TeamID) {
			return false
		}
		if s.OwnerID != 0 && (a.OwnerID == nil || *a.OwnerID != s.OwnerID) {
			return false
		}
		if s.SeverityID != 0 {
			if a.IncidentID == nil {
				return false
			}
			if sev := w.incidents[*a.IncidentID]; sev == nil || *sev != s.SeverityID {
				return false
			}
		}
		return true
	}
	between := func(d *models.Date, from, to models.Date) bool {
		return d != nil && !d.Before(from) && !d.After(to)
	}
	f.Aging = make([]models.AgingBucket, len(models.AgingBuckets()))
	copy(f.Aging, models.AgingBuckets())
	var closeSecs []float64
	bySev := map[string]*models.SeverityFollowThrough{}
	rangeStart, rangeEnd := models.Midnight(s.From, loc), models.Midnight(s.To.AddDays(1), loc)
	for _, a := range w.items {
		if !inScope(a) {
			continue
		}
		if open(a) {
			f.Open++
			if a.DueDate != nil && a.DueDate.Before(today) {
				f.Overdue++
			}
			if between(a.DueDate, today, today.AddDays(7)) {
				f.DueIn7++
			}
			if between(a.DueDate, today, today.AddDays(30)) {
				f.DueIn30++
			}
			age := int(math.Floor(now.Sub(a.CreatedAt).Hours() / 24))
			for i, b := range f.Aging {
				if age >= b.Min && (b.Max < 0 || age <= b.Max) || (i == 0 && age < 0) {
					f.Aging[i].Count++
				}
			}
		}
		if between(a.DueDate, s.From, s.To) {
			c := &f.Completion
			c.Due++
			switch {
			case a.Status == models.ActionDone && !a.ClosedOn.After(*a.DueDate):
				c.OnTime++
			case a.Status == models.ActionDone:
				c.Late++
			case a.Status == models.ActionWontDo:
				c.WontDo++
			case a.DueDate.Before(today):
				c.OpenOverdue++
			default:
				c.NotYetDue++
			}
		}
		if models.ActionClosed(a.Status) && between(a.ClosedOn, s.From, s.To) {
			f.Closing.Closed++
			if a.Status == models.ActionWontDo {
				f.Closing.WontDo++
			}
			closeSecs = append(closeSecs, math.Max(0, a.ClosedAt.Sub(a.CreatedAt).Seconds()))
		}
		if a.IncidentID != nil && !a.CreatedAt.Before(rangeStart) && a.CreatedAt.Before(rangeEnd) {
			sev := w.incidents[*a.IncidentID]
			key := "none"
			if sev != nil {
				key = fmt.Sprint(*sev)
			}
			g := bySev[key]
			if g == nil {
				g = &models.SeverityFollowThrough{SeverityID: sev}
				for _, d := range models.WithinDays() {
					g.Within = append(g.Within, models.ClosedWithin{Days: d})
				}
				bySev[key] = g
			}
			g.Items++
			if open(a) {
				g.Open++
			}
			for i, d := range models.WithinDays() {
				if a.CreatedAt.After(now.Add(-time.Duration(d) * 24 * time.Hour)) {
					continue
				}
				g.Within[i].Eligible++
				if a.ClosedAt != nil && a.ClosedAt.Sub(a.CreatedAt) <= time.Duration(d)*24*time.Hour {
					g.Within[i].Closed++
				}
			}
		}
	}
	if len(closeSecs) > 0 {
		slices.Sort(closeSecs)
		med, p90 := models.Quantile(closeSecs, 0.5), models.Quantile(closeSecs, 0.9)
		var sum float64
		for _, v := range closeSecs {
			sum += v
		}
		mean := sum / float64(len(closeSecs))
		f.Closing.MedianSeconds, f.Closing.P90Seconds, f.Closing.MeanSeconds = &med, &p90, &mean
	}
	for _, p := range models.TrendPoints(s.From, s.To, now, loc) {
		for _, a := range w.items {
			if !inScope(a) || !a.CreatedAt.Before(p.At) || (a.ClosedAt != nil && a.ClosedAt.Before(p.At)) {
				continue
			}
			p.Open++
			if a.DueDate != nil && a.DueDate.Before(p.Day) {
				p.Overdue++
			}
		}
		f.Trend = append(f.Trend, p)
	}
	for _, sv := range w.sevs {
		if g := bySev[fmt.Sprint(sv.ID)]; g != nil {
			g.Name, g.Rank, g.Color = sv.Name, sv.Rank, sv.Color
			f.BySeverity = append(f.BySeverity, *g)
		}
	}
	if g := bySev["none"]; g != nil {
		f.BySeverity = append(f.BySeverity, *g)
	}
	return f
}

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
