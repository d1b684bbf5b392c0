package models_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
