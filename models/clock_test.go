package models_test

import (
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// A moved clock moves every timestamp alike: those the model functions
// set (created, updated, closed, the day closed on, the audit trail and
// the item's history) and those gorm fills in itself; transactions and
// WithContext keep the clock of the handle they start from.
func TestClockTravelsWithTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, base *gorm.DB) {
		owner := mkUser(t, base, models.RoleMember)
		// Late in the evening in UTC: the next day already in Auckland.
		clock := &testClock{t: time.Date(2031, 5, 6, 22, 8, 9, 123456789, time.UTC)}
		db := models.WithClock(base, clock.Now)
		want := models.UTC(clock.Now())

		if got := models.Now(db); !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("Now = %v, want %v in UTC", got, want)
		}
		if got := models.Now(db.WithContext(ctx)); !got.Equal(want) {
			t.Fatalf("WithContext: Now = %v, want %v", got, want)
		}
		if err := db.Transaction(func(tx *gorm.DB) error {
			if got := models.Now(tx); !got.Equal(want) {
				t.Errorf("transaction: Now = %v, want %v", got, want)
			}
			return tx.Transaction(func(inner *gorm.DB) error {
				if got := models.Now(inner); !got.Equal(want) {
					t.Errorf("nested transaction: Now = %v, want %v", got, want)
				}
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		if got := models.Now(base); got.Equal(want) {
			t.Fatal("WithClock changed the clock of the handle it was made from")
		}

		item := must(models.CreateActionItem(ctx, db, actorOf(owner), models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: "Alert on certificate expiry", Owner: owner.Email, DueDate: "2031-05-20",
		}}))
		if !item.CreatedAt.Equal(want) || !item.UpdatedAt.Equal(want) {
			t.Fatalf("created %v, updated %v; want both %v", item.CreatedAt, item.UpdatedAt, want)
		}

		// gorm's own autoUpdateTime reads the same clock.
		if err := db.WithContext(ctx).Create(&models.Setting{Key: "clock-test", Value: "x"}).Error; err != nil {
			t.Fatal(err)
		}
		var s models.Setting
		if err := base.WithContext(ctx).Where("key = ?", "clock-test").Take(&s).Error; err != nil {
			t.Fatal(err)
		}
		if !s.UpdatedAt.Equal(want) {
			t.Fatalf("gorm-filled updated_at %v, want %v", s.UpdatedAt, want)
		}

		clock.Advance(50 * time.Hour)
		later := models.UTC(clock.Now())
		auckland := time.FixedZone("NZST", 12*3600)
		done := must(models.ChangeActionStatus(models.WithZone(ctx, auckland), db, actorOf(owner), item.ID, item.Version, models.ActionDone, "Alert added"))
		if !done.UpdatedAt.Equal(later) || done.ClosedAt == nil || !done.ClosedAt.Equal(later) {
			t.Fatalf("closed: updated %v, closed_at %v; want both %v", done.UpdatedAt, done.ClosedAt, later)
		}
		if !done.CreatedAt.Equal(want) {
			t.Fatalf("closing moved created_at to %v", done.CreatedAt)
		}
		if wantDay := models.Today(later, auckland); done.ClosedOn == nil || *done.ClosedOn != wantDay {
			t.Fatalf("closed_on %v, want %v", done.ClosedOn, wantDay)
		}

		var events []models.ActionItemEvent
		if err := base.WithContext(ctx).Where("action_item_id = ?", item.ID).Order("id").Find(&events).Error; err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 || !events[len(events)-1].At.Equal(later) {
			t.Fatalf("history %+v, want the last entry at %v", events, later)
		}
		entries := must(models.ListAudit(ctx, base, models.AuditFilter{ObjectType: "action_item", Limit: 10}))
		if len(entries) < 2 || !entries[0].At.Equal(later) || !entries[len(entries)-1].At.Equal(want) {
			t.Fatalf("audit trail %+v, want the newest at %v and the first at %v", entries, later, want)
		}
	})
}
