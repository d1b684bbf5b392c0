package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
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
			if err := models.CountSignInAttempt(ctx, db, "a@example.com", "10.0.0.1", now); err != nil {
				t.Fatalf("attempt %d throttled early: %v", i, err)
			}
		}
		var th *models.ErrThrottled
		if err := models.CountSignInAttempt(ctx, db, "A@example.com", "10.0.0.2", now.Add(time.Minute)); !errors.As(err, &th) {
			t.Fatalf("account not throttled: %v", err)
		}
		if th.RetryAfter != models.SignInWindow-time.Minute {
			t.Errorf("retry after %v, want the rest of the window", th.RetryAfter)
		}
		// Other accounts from another IP are unaffected.
		if err := models.CountSignInAttempt(ctx, db, "b@example.com", "10.0.0.2", now); err != nil {
			t.Fatal(err)
		}
		// After the window a new one starts.
		later := now.Add(models.SignInWindow + time.Second)
		if err := models.CountSignInAttempt(ctx, db, "a@example.com", "10.0.0.3", later); err != nil {
			t.Fatalf("still throttled after the window: %v", err)
		}
		// A success forgets the account's attempts and gives the address its attempt back.
		if err := models.SignInSucceeded(ctx, db, "a@example.com", "10.0.0.3"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < models.MaxFailuresPerAccount; i++ {
			if err := models.CountSignInAttempt(ctx, db, "a@example.com", "10.0.0.3", later); err != nil {
				t.Fatalf("attempt %d after a success throttled: %v", i, err)
			}
		}
		// Many attempts from one IP throttle that IP for every account.
		for i := 0; i < models.MaxFailuresPerIP; i++ {
			_ = models.CountSignInAttempt(ctx, db, "user"+string(rune('a'+i%26))+"@example.com", "10.9.9.9", now)
		}
		if err := models.CountSignInAttempt(ctx, db, "fresh@example.com", "10.9.9.9", now); !errors.As(err, &th) {
			t.Fatalf("IP not throttled: %v", err)
		}
	})
}

// TestSignInAttemptsCountedAtomically fires more parallel attempts at one
// account than it allows: exactly the allowance gets through.
func TestSignInAttemptsCountedAtomically(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		const n = 12
		var allowed, refused atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				err := models.CountSignInAttempt(ctx, db, "victim@example.com", fmt.Sprintf("10.1.0.%d", i), now)
				var th *models.ErrThrottled
				switch {
				case err == nil:
					allowed.Add(1)
				case errors.As(err, &th):
					refused.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if allowed.Load() != models.MaxFailuresPerAccount || refused.Load() != n-models.MaxFailuresPerAccount {
			t.Fatalf("%d allowed, %d refused; want %d allowed", allowed.Load(), refused.Load(), models.MaxFailuresPerAccount)
		}
	})
}

func TestPasswordChecksThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		for i := 0; i < models.MaxFailuresPerAccount; i++ {
			if err := models.CountPasswordCheck(ctx, db, 7, now); err != nil {
				t.Fatalf("check %d throttled early: %v", i, err)
			}
		}
		var th *models.ErrThrottled
		if err := models.CountPasswordCheck(ctx, db, 7, now); !errors.As(err, &th) {
			t.Fatalf("not throttled: %v", err)
		}
		if err := models.CountPasswordCheck(ctx, db, 8, now); err != nil {
			t.Fatalf("another user throttled: %v", err)
		}
	})
}
