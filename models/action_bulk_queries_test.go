package models_test

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestBulkChangeQueriesDoNotGrowPerItem: a bulk change costs a fixed number
// of statements (one load, one UPDATE per distinct change, batched inserts of
// history and audit rows), not a few dozen per item.
func TestBulkChangeQueriesDoNotGrowPerItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		first := mkUser(t, db, models.RoleMember)
		second := mkUser(t, db, models.RoleMember)
		act := actorOf(first)
		stmts := dbtest.CountStatements(t, db)
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
			var res models.BulkResult
			var err error
			n, _ := stmts.During(func() {
				res, err = models.BulkChangeActionItems(ctx, db, act, models.BulkChange{
					IDs: ids, Status: models.ActionDone, Note: "Shipped.", Owner: &second.Email, DueDate: &due,
				})
			})
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
			return int64(n)
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
