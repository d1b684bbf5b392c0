package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestCSRFTokenFromAnotherSessionIsRefused: an attacker takes a valid
// token of their own session and plants it in the victim's browser (a
// cookie tossed from a sibling subdomain, say) together with a form that
// carries it. The token is bound to the attacker's session, so the
// victim's session refuses it.
func TestCSRFTokenFromAnotherSessionIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		victim, u := env.As(models.RoleMember)
		attacker, _ := env.As(models.RoleMember)
		tok := attacker.CSRFToken()

		base, _ := url.Parse(env.Server.URL)
		victim.HTTP.Jar.SetCookies(base, []*http.Cookie{{Name: "debrief_csrf", Value: tok, Path: "/"}})
		for _, r := range []*apptest.Response{
			victim.PostForm("/account/profile", url.Values{"name": {"Pwned"}, "time_zone": {"UTC"}, "_csrf": {tok}}),
			victim.Do(http.MethodPost, "/account/profile", strings.NewReader("name=Pwned&time_zone=UTC"), http.Header{
				"Content-Type": {"application/x-www-form-urlencoded"}, "X-CSRF-Token": {tok},
			}),
		} {
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("another session's token: status %d, want 403", r.StatusCode)
			}
		}
		if got, _ := models.GetUser(context.Background(), db, u.ID); got.Name == "Pwned" {
			t.Fatal("the forged request changed the victim's profile")
		}
		// The victim's own token works.
		victim.Form("/account/profile", url.Values{"name": {"Still Me"}, "time_zone": {"UTC"}}).Expect(t, http.StatusSeeOther)
	})
}

// TestCSRFTokenChangesAtSignInAndSignOut: a token learnt before sign-in
// (or planted then) is worthless afterwards, and so is the signed-in
// session's token after sign-out.
func TestCSRFTokenChangesAtSignInAndSignOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		u := env.CreateUser(models.RoleMember, "")
		c := env.Client()
		before := c.CSRFToken()
		c.PostForm("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}, "_csrf": {before}}).Expect(t, http.StatusSeeOther)
		during := c.CSRFToken()
		if during == before {
			t.Fatal("the CSRF token did not change at sign-in")
		}
		c.PostForm("/account/profile", url.Values{"name": {"X"}, "time_zone": {"UTC"}, "_csrf": {before}}).Expect(t, http.StatusForbidden)

		c.PostForm("/signout", url.Values{"_csrf": {during}}).Expect(t, http.StatusSeeOther)
		after := c.CSRFToken()
		if after == during || after == before {
			t.Fatal("the CSRF token did not change at sign-out")
		}
		c.PostForm("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}, "_csrf": {during}}).Expect(t, http.StatusForbidden)
	})
}

// TestCrossSiteFormIsRefused: a browser says where a form came from; a
// cross-site post is refused whatever token it carries.
func TestCrossSiteFormIsRefused(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c, _ := env.As(models.RoleMember)
	r := c.Do(http.MethodPost, "/account/profile", strings.NewReader("name=X&time_zone=UTC&_csrf="+url.QueryEscape(c.CSRFToken())), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"cross-site"},
	})
	r.Expect(t, http.StatusForbidden)
}

// TestCookiesUseHostPrefixOverHTTPS: with an https base URL the session
// cookie is __Host- (secure, path /, no domain), and no other cookie is set.
func TestCookiesUseHostPrefixOverHTTPS(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"), func(cfg *app.Config, _ *app.Deps) { cfg.BaseURL = "https://debrief.example" })
	env.CreateUser(models.RoleAdmin, "")
	r := env.Client().Get("/signin").Expect(t, http.StatusOK)
	cookies := r.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v, want the session cookie only", r.Header.Values("Set-Cookie"))
	}
	ck := cookies[0]
	if ck.Name != "__Host-debrief_session" || !ck.Secure || ck.Path != "/" || ck.Domain != "" || !ck.HttpOnly {
		t.Fatalf("session cookie %q", r.Header.Get("Set-Cookie"))
	}
}
