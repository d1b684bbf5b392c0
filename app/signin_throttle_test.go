package app_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestParallelWrongPasswordsStopAtTheLimit fires twelve wrong passwords at
// one account at once: no more than the allowance may be checked (401),
// the rest are refused (429) with a Retry-After in whole seconds.
func TestParallelWrongPasswordsStopAtTheLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		u := env.CreateUser(models.RoleMember, "")
		const n = 12
		clients := make([]*apptest.Client, n)
		tokens := make([]string, n)
		for i := range clients {
			clients[i] = env.Client()
			tokens[i] = clients[i].CSRFToken()
		}
		statuses := make([]int, n)
		retry := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r := clients[i].PostForm("/signin", url.Values{"email": {u.Email}, "password": {"wrong password!"}, "_csrf": {tokens[i]}})
				statuses[i], retry[i] = r.StatusCode, r.Header.Get("Retry-After")
			})
		}
		wg.Wait()
		checked := 0
		for i, st := range statuses {
			switch st {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
				if s, err := strconv.Atoi(retry[i]); err != nil || s < 1 || s > 15*60 {
					t.Errorf("Retry-After %q, want whole seconds within the window", retry[i])
				}
			default:
				t.Errorf("attempt %d: status %d", i, st)
			}
		}
		if checked > models.MaxFailuresPerAccount {
			t.Fatalf("%d of %d parallel wrong passwords were checked, want at most %d (statuses %v)", checked, n, models.MaxFailuresPerAccount, statuses)
		}
	})
}

// TestForwardedForIsIgnoredWithoutTrustedProxy rotates X-Forwarded-For:
// without DEBRIEF_TRUSTED_PROXIES the header neither resets the
// per-address limit nor lands in the audit trail.
func TestForwardedForIsIgnoredWithoutTrustedProxy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		env.CreateUser(models.RoleAdmin, "")
		c := env.Client()
		tok := c.CSRFToken()
		var last *apptest.Response
		for i := 0; i <= models.MaxFailuresPerIP; i++ {
			last = c.Do(http.MethodPost, "/signin", strings.NewReader(url.Values{
				"email": {fmt.Sprintf("nobody%d@example.com", i)}, "password": {"guess"}, "_csrf": {tok},
			}.Encode()), http.Header{
				"Content-Type":    {"application/x-www-form-urlencoded"},
				"X-Forwarded-For": {fmt.Sprintf("203.0.113.%d", i+1)},
			})
		}
		last.Expect(t, http.StatusTooManyRequests)
		entries, err := models.ListAudit(context.Background(), db, models.AuditFilter{Action: models.AuditSignInFailed})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			t.Fatal("no failed sign-in audited")
		}
		for _, e := range entries {
			if e.IP != "127.0.0.1" {
				t.Fatalf("audit trail has address %q, want the connection's 127.0.0.1", e.IP)
			}
		}
	})
}

// TestForwardedForFromTrustedProxy: a proxy in DEBRIEF_TRUSTED_PROXIES
// may name the client.
func TestForwardedForFromTrustedProxy(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"), func(cfg *app.Config, _ *app.Deps) {
		_, loop, _ := net.ParseCIDR("127.0.0.0/8")
		cfg.TrustedProxies = []*net.IPNet{loop}
	})
	env.CreateUser(models.RoleAdmin, "")
	c := env.Client()
	c.Do(http.MethodPost, "/signin", strings.NewReader(url.Values{
		"email": {"nobody@example.com"}, "password": {"guess"}, "_csrf": {c.CSRFToken()},
	}.Encode()), http.Header{
		"Content-Type":    {"application/x-www-form-urlencoded"},
		"X-Forwarded-For": {"198.51.100.7, 127.0.0.1"},
	}).Expect(t, http.StatusUnauthorized)
	entries, err := models.ListAudit(context.Background(), env.DB, models.AuditFilter{Action: models.AuditSignInFailed})
	if err != nil || len(entries) != 1 || entries[0].IP != "198.51.100.7" {
		t.Fatalf("audit: %v %+v", err, entries)
	}
}

// TestAccountCurrentPasswordCheckIsThrottled guesses the current password
// on the account page: after the allowance the form answers 429.
func TestAccountCurrentPasswordCheckIsThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleMember)
		guess := func(pw string) *apptest.Response {
			return c.Form("/account/password", url.Values{"current_password": {pw}, "password": {"a new long password 1"}, "password_confirm": {"a new long password 1"}})
		}
		for i := 0; i < models.MaxFailuresPerAccount; i++ {
			guess(fmt.Sprintf("guess %d", i)).Expect(t, http.StatusUnprocessableEntity)
		}
		r := guess(apptest.Password).Expect(t, http.StatusTooManyRequests)
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		if r.Doc(t).Find(`[aria-invalid="true"][name="current_password"]`).Length() != 1 {
			t.Errorf("the refusal is not shown at the current password field")
		}
	})
}
