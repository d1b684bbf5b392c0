package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestPasswordHashing(t *testing.T) {
	h, err := models.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := models.VerifyPassword(h, "correct horse battery staple"); !ok {
		t.Fatal("right password refused")
	}
	if ok, _ := models.VerifyPassword(h, "Correct horse battery staple"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := models.HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("hashes are not salted")
	}
}

func TestRoles(t *testing.T) {
	if !models.RoleAdmin.Allows(models.RoleFacilitator) || models.RoleMember.Allows(models.RoleFacilitator) || models.Role("king").Allows(models.RoleViewer) {
		t.Fatal("role ordering broken")
	}
}

func TestAuditTrailIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := models.Audit(ctx, db, models.SystemActor("test"), models.AuditCreate, "thing", 7, "made a thing", map[string]models.Change{"title": {From: nil, To: "x"}}); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE audit_log SET summary = 'forged'").Error; err == nil {
			t.Error("audit_log row was updated")
		}
		if err := db.Exec("DELETE FROM audit_log").Error; err == nil {
			t.Error("audit_log row was deleted")
		}
		es, err := models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "thing"})
		if err != nil || len(es) != 1 || es[0].Summary != "made a thing" || es[0].ChangeMap()["title"].To != "x" {
			t.Fatalf("entries: %+v %v", es, err)
		}
	})
}

func TestDiff(t *testing.T) {
	type rec struct {
		Title    string
		Due      *time.Time
		Priority int
	}
	d := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ch := models.Diff(rec{Title: "a", Priority: 1}, rec{Title: "b", Due: &d, Priority: 1}, "Title", "Due", "Priority")
	if len(ch) != 2 || ch["title"].To != "b" || ch["due"].To != "2026-03-01T00:00:00Z" || ch["due"].From != nil {
		t.Fatalf("diff: %+v", ch)
	}
}

func TestSignInThrottleWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		for i := 0; i < models.MaxFailuresPerAccount; i++ {
			if err := models.CheckSignInAllowed(ctx, db, "a@example.com", "10.0.0.1", now); err != nil {
				t.Fatalf("attempt %d throttled early: %v", i, err)
			}
			if err := models.RecordSignInFailure(ctx, db, "a@example.com", "10.0.0.1", now); err != nil {
				t.Fatal(err)
			}
		}
		var th *models.ErrThrottled
		if err := models.CheckSignInAllowed(ctx, db, "A@example.com", "10.0.0.2", now.Add(time.Minute)); !errors.As(err, &th) {
			t.Fatalf("account not throttled: %v", err)
		}
		// Other accounts from another IP are unaffected.
		if err := models.CheckSignInAllowed(ctx, db, "b@example.com", "10.0.0.2", now); err != nil {
			t.Fatal(err)
		}
		// After the window a new one starts.
		later := now.Add(models.SignInWindow + time.Second)
		if err := models.CheckSignInAllowed(ctx, db, "a@example.com", "10.0.0.3", later); err != nil {
			t.Fatalf("still throttled after the window: %v", err)
		}
		if err := models.RecordSignInFailure(ctx, db, "a@example.com", "10.0.0.3", later); err != nil {
			t.Fatal(err)
		}
		if err := models.CheckSignInAllowed(ctx, db, "a@example.com", "10.0.0.3", later); err != nil {
			t.Fatalf("one failure in a new window throttled: %v", err)
		}
		// Many failures from one IP throttle that IP for every account.
		for i := 0; i < models.MaxFailuresPerIP; i++ {
			_ = models.RecordSignInFailure(ctx, db, "user"+string(rune('a'+i%26))+"@example.com", "10.9.9.9", now)
		}
		if err := models.CheckSignInAllowed(ctx, db, "fresh@example.com", "10.9.9.9", now); !errors.As(err, &th) {
			t.Fatalf("IP not throttled: %v", err)
		}
	})
}
