package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// The dialect chosen when the database opens stays with every handle
// made from it, and its expressions run on its database.
func TestDialectTravelsWithTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		name := db.Dialector.Name()
		d := models.SQL(db)
		if d.Name() != name {
			t.Fatalf("SQL(db).Name() = %q on %s", d.Name(), name)
		}
		if d.ListenNotify() != (name == models.DialectPostgres) {
			t.Fatalf("ListenNotify = %v on %s", d.ListenNotify(), name)
		}
		for _, h := range []*gorm.DB{db.WithContext(ctx), db.Session(&gorm.Session{}), models.WithClock(db, time.Now)} {
			if models.SQL(h) != d {
				t.Fatalf("a derived handle has dialect %v, want %v", models.SQL(h), d)
			}
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if models.SQL(tx) != d {
				t.Errorf("a transaction has dialect %v, want %v", models.SQL(tx), d)
			}
			var got struct{ Secs, Max, Floor float64 }
			a, b := "CAST(? AS TIMESTAMP) AS a", "CAST(? AS TIMESTAMP) AS b"
			if name == models.DialectSQLite {
				a, b = "? AS a", "? AS b"
			}
			t0 := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
			q := "WITH t AS (SELECT " + a + ", " + b + ") SELECT " + d.SecondsBetween("t.a", "t.b") + " AS secs, " +
				d.Greatest("-3", "2") + " AS max, " + d.Floor("7.9") + " AS floor FROM t"
			if err := tx.Raw(q, t0.Format("2006-01-02 15:04:05"), t0.Add(90*time.Minute+500*time.Millisecond).Format("2006-01-02 15:04:05.000")).Scan(&got).Error; err != nil {
				return err
			}
			if got.Secs != 5400.5 || got.Max != 2 || got.Floor != 7 {
				t.Errorf("seconds between, greatest, floor = %v, %v, %v; want 5400.5, 2, 7", got.Secs, got.Max, got.Floor)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
