package models_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestParallel: outside a transaction the queries overlap and the first
// error comes back; inside one they take turns on its connection.
func TestParallel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		var running, most atomic.Int32
		query := func(db *gorm.DB) func() error {
			return func() error {
				n := running.Add(1)
				defer running.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				var one int
				return db.Raw("SELECT 1").Scan(&one).Error
			}
		}
		if err := models.Parallel(db, query(db), query(db), query(db)); err != nil {
			t.Fatal(err)
		}
		if most.Load() < 2 {
			t.Errorf("outside a transaction at most %d ran at once", most.Load())
		}
		most.Store(0)
		err := db.Transaction(func(tx *gorm.DB) error {
			return models.Parallel(tx, query(tx), query(tx), query(tx))
		})
		if err != nil || most.Load() != 1 {
			t.Errorf("inside a transaction: %d at once, %v", most.Load(), err)
		}
		boom := errors.New("boom")
		if err := models.Parallel(db, query(db), func() error { return boom }); !errors.Is(err, boom) {
			t.Errorf("error %v", err)
		}
	})
}
