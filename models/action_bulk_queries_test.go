package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// countQueries counts every statement gorm runs on db (queries, preloads,
// row and raw statements, inserts, updates, deletes) while on is set.
func countQueries(t *testing.T, db *gorm.DB) (on *atomic.Bool, n *atomic.Int64) {
	t.Helper()
	on, n = &atomic.Bool{}, &atomic.Int64{}
	count := func(*gorm.DB) {
		if on.Load() {
			n.Add(1)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", count),
		cb.Row().After("gorm:row").Register("test:count_row", count),
		cb.Raw().After("gorm:raw").Register("test:count_raw", count),
		cb.Create().After("gorm:create").Register("test:count_create", count),
		cb.Update().After("gorm:update").Register("test:count_update", count),
		cb.Delete().After("gorm:delete").Register("test:count_delete", count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return on, n
}

// TestBulkChangeQueriesDoNotGrowPerItem: a bulk change costs a fixed number
// of statements (one load, one UPDATE per distinct change, batched inserts of
// history and audit rows), not a few dozen per item.
func TestBulkChangeQueriesDoNotGrowPerItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		first := mkUser(t, db, models.RoleMember)
		second := mkUser(t, db, models.RoleMember)
		act := actorOf(first)
		on, n := countQueries(t, db)
		run := func(items int) int64 {
			ids := make([]int64, 0, items)
			for i := range items {
				in := models.ActionItemInput{Title: fmt.Sprintf("Item %d of %d", i, items), Owner: first.Email}
				switch i % 3 { // a mix: some already have the owner, the due date or the status
				case 1:
					in.Owner = second.Email
				case 2:
					in.DueDate = "2030-05-01"
				}
				a := mkItem(t, db, act, in)
				if i%4 == 3 {
					must(models.ChangeActionStatus(ctx, db, act, a.ID, 0, models.ActionDone, "early"))
				}
				ids = append(ids, a.ID)
			}
			due := "2030-05-01"
			n.Store(0)
			on.Store(true)
			res, err := models.BulkChangeActionItems(ctx, db, act, models.BulkChange{
				IDs: ids, Status: models.ActionDone, Note: "Shipped.", Owner: &second.Email, DueDate: &due,
			})
			on.Store(false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Changed != items || res.Unchanged != 0 {
				t.Fatalf("%d items: %+v", items, res)
			}
			for _, id := range ids {
				it := must(models.GetActionItem(ctx, db, id))
				if it.Status != models.ActionDone || it.OwnerID == nil || *it.OwnerID != second.ID || it.DueDate == nil || it.DueDate.String() != due {
					t.Fatalf("item %d after bulk: %+v", id, it)
				}
			}
			return n.Load()
		}
		few, many := run(5), run(50)
		t.Logf("statements for a bulk change: 5 items %d, 50 items %d", few, many)
		// The owner lookup, the load, at most one UPDATE per kind of change
		// (owner, due date, status: seven combinations), one INSERT of
		// history entries and one of audit records (200 rows a batch).
		const most = 1 + 1 + 7 + 1 + 1
		if few > most || many > most {
			t.Errorf("bulk change of 5 items took %d statements, of 50 items %d; want at most %d", few, many, most)
		}
	})
}
