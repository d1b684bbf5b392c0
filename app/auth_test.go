package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestFirstRunLeadsToSetup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c := env.Client()
		for _, p := range []string{"/", "/incidents", "/signin"} {
			r := c.Get(p)
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/setup" {
				t.Fatalf("%s before setup: %d → %q", p, r.StatusCode, r.Header.Get("Location"))
			}
		}
		c.Get("/setup").Expect(t, http.StatusOK)
		// Bad input keeps what was typed and marks the fields.
		r := c.Form("/setup", url.Values{"name": {"Grace Hopper"}, "email": {"not-an-email"}, "password": {"short"}, "password_confirm": {"short"}})
		r.Expect(t, http.StatusUnprocessableEntity)
		doc := r.Doc(t)
		if v, _ := doc.Find(`input[name="name"]`).Attr("value"); v != "Grace Hopper" {
			t.Errorf("name not kept: %q", v)
		}
		for _, f := range []string{"email", "password"} {
			if doc.Find(apptest.TestID("error-"+f)).Length() != 1 {
				t.Errorf("no message at %s", f)
			}
		}
		r = c.Form("/setup", url.Values{"name": {"Grace Hopper"}, "email": {"Grace@Example.com"}, "password": {"a long enough passphrase"}, "password_confirm": {"a long enough passphrase"}, "time_zone": {"Europe/Berlin"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Fatalf("setup: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		home := c.Get("/").Expect(t, http.StatusOK)
		if !strings.Contains(home.Body, "Grace Hopper") {
			t.Error("home does not show the signed-in admin")
		}
		u, err := models.GetUserByEmail(context.Background(), db, "grace@example.com")
		if err != nil || u.Role != models.RoleAdmin || u.TimeZone != "Europe/Berlin" {
			t.Fatalf("admin: %+v %v", u, err)
		}
		// Setup is closed once a user exists.
		r = env.Client().Get("/setup")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/signin" {
			t.Fatalf("setup after first run: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		r = env.Client().Form("/setup", url.Values{"name": {"Mallory"}, "email": {"m@example.com"}, "password": {"another long passphrase"}, "password_confirm": {"another long passphrase"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("second setup: %d", r.StatusCode)
		}
		if n, _ := models.CountUsers(context.Background(), db); n != 1 {
			t.Fatalf("setup created a second user")
		}
	})
}

func TestSignInMessagesAndThrottling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		u := env.CreateUser(models.RoleMember, "Maya Member")
		c := env.Client()

		wrong := c.Form("/signin", url.Values{"email": {u.Email}, "password": {"wrong password!"}})
		unknown := c.Form("/signin", url.Values{"email": {"nobody@example.com"}, "password": {"wrong password!"}})
		wrong.Expect(t, http.StatusUnauthorized)
		unknown.Expect(t, http.StatusUnauthorized)
		msg := func(r *apptest.Response) string { return r.Doc(t).Find(apptest.TestID("form-errors")).Text() }
		if msg(wrong) != msg(unknown) || msg(wrong) == "" {
			t.Fatalf("messages differ (user enumeration): %q vs %q", msg(wrong), msg(unknown))
		}
		if v, _ := wrong.Doc(t).Find(`input[name="email"]`).Attr("value"); v != u.Email {
			t.Errorf("email not kept after failure: %q", v)
		}

		// After five failures the account is throttled, even with the right password.
		for i := 0; i < 4; i++ {
			c.Form("/signin", url.Values{"email": {u.Email}, "password": {"wrong password!"}})
		}
		r := c.Form("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}})
		r.Expect(t, http.StatusTooManyRequests)
		if !strings.Contains(msg(r), "Too many failed sign-ins") {
			t.Fatalf("throttle message: %q", msg(r))
		}
		// Time heals.
		env.Clock.Advance(16 * 60 * 1e9)
		r = c.Form("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}, "next": {"/incidents"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/incidents" {
			t.Fatalf("sign in after window: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		entries, _ := models.ListAudit(context.Background(), db, models.AuditFilter{Action: models.AuditSignInFailed})
		if len(entries) < 6 {
			t.Errorf("failed sign-ins audited: %d", len(entries))
		}
	})
}

func TestOffSiteNextIsIgnored(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	u := env.CreateUser(models.RoleMember, "")
	c := env.Client()
	r := c.Form("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}, "next": {"//evil.example/x"}})
	if r.Header.Get("Location") != "/" {
		t.Fatalf("redirected to %q", r.Header.Get("Location"))
	}
}

func TestDisabledUserLosesSessionAndCannotSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		env.CreateUser(models.RoleAdmin, "")
		c, u := env.As(models.RoleMember)
		c.Get("/").Expect(t, http.StatusOK)
		yes := true
		if _, err := models.UpdateUser(context.Background(), db, models.SystemActor("test"), u.ID, models.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if r := c.Get("/"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("disabled user still served: %d", r.StatusCode)
		}
		r := env.Client().Form("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}})
		r.Expect(t, http.StatusUnauthorized)
	})
}

func TestSignOutEndsSession(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c, _ := env.As(models.RoleViewer)
	c.Get("/").Expect(t, http.StatusOK)
	r := c.Form("/signout", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/signin" {
		t.Fatalf("sign out: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.Get("/"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("still signed in: %d", r.StatusCode)
	}
}
