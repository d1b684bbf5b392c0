package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func startOIDC(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

func withOIDC(m *mockoidc.MockOIDC, domains ...string) apptest.Option {
	return func(cfg *app.Config, _ *app.Deps) {
		c := m.Config()
		cfg.OIDC = app.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: c.ClientSecret, AllowedDomains: domains, DefaultRole: models.RoleMember, DisplayName: "Mock IdP"}
	}
}

// ssoSignIn walks the browser redirects: Debrief → provider → Debrief.
// tamper may change the callback URL before it is followed.
func ssoSignIn(t *testing.T, env *apptest.Env, c *apptest.Client, tamper func(*url.URL)) *apptest.Response {
	t.Helper()
	r := c.Get("/auth/oidc/start?next=/incidents")
	if r.StatusCode != http.StatusFound {
		t.Fatalf("start: %d %s", r.StatusCode, r.Body)
	}
	// The provider answers the authorization request with a redirect to
	// our callback (mockoidc signs the user in without a form).
	res, err := c.HTTP.Get(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cb, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasSuffix(cb.Path, "/auth/oidc/callback") {
		t.Fatalf("provider redirect %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if tamper != nil {
		tamper(cb)
	}
	return c.Get(cb.RequestURI())
}

func TestOIDCSignInCreatesThenMatchesUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		env := apptest.New(t, db, withOIDC(m, "example.com"))
		env.CreateUser(models.RoleAdmin, "")
		signin := env.Client().Get("/signin").Expect(t, http.StatusOK)
		if signin.Doc(t).Find(apptest.TestID("sso-signin")).Length() != 1 {
			t.Fatal("no SSO button on the sign-in page")
		}

		m.QueueUser(&mockoidc.MockUser{Subject: "sub-ada", Email: "ada@example.com", EmailVerified: true, PreferredUsername: "Ada Lovelace"})
		c := env.Client()
		r := ssoSignIn(t, env, c, nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/incidents" {
			t.Fatalf("callback: %d %q\n%.800s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		c.Get("/").Expect(t, http.StatusOK)
		u, err := models.GetUserByEmail(context.Background(), db, "ada@example.com")
		if err != nil || u.Role != models.RoleMember || u.OIDCSubject == nil || *u.OIDCSubject != "sub-ada" {
			t.Fatalf("user after first SSO sign-in: %+v %v", u, err)
		}

		// Second sign-in matches by subject even if the email changed.
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-ada", Email: "ada.l@example.com", EmailVerified: true})
		c2 := env.Client()
		ssoSignIn(t, env, c2, nil)
		me := c2.Get("/account").Expect(t, http.StatusOK)
		if !strings.Contains(me.Body, "ada@example.com") {
			t.Fatal("second sign-in did not match the same user")
		}
		if n, _ := models.CountUsers(context.Background(), db); n != 2 {
			t.Fatalf("users: %d, want 2", n)
		}
	})
}

func TestOIDCRefusesWrongStateAndDomain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		env := apptest.New(t, db, withOIDC(m, "example.com"))
		env.CreateUser(models.RoleAdmin, "")

		// A callback whose state was not issued to this browser.
		m.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "bob@example.com", EmailVerified: true})
		c := env.Client()
		r := ssoSignIn(t, env, c, func(u *url.URL) {
			q := u.Query()
			q.Set("state", "forged-state")
			u.RawQuery = q.Encode()
		})
		r.Expect(t, http.StatusForbidden)
		if c.Get("/").StatusCode != http.StatusSeeOther {
			t.Fatal("wrong state signed the browser in")
		}

		// A domain outside DEBRIEF_OIDC_ALLOWED_DOMAINS.
		m.QueueUser(&mockoidc.MockUser{Subject: "s2", Email: "eve@evil.example", EmailVerified: true})
		c = env.Client()
		r = ssoSignIn(t, env, c, nil)
		r.Expect(t, http.StatusForbidden)
		if !strings.Contains(r.Body, "may not sign in here") {
			t.Fatalf("domain refusal message missing:\n%.600s", r.Body)
		}
		if _, err := models.GetUserByEmail(context.Background(), db, "eve@evil.example"); err == nil {
			t.Fatal("user from a disallowed domain was created")
		}

		// An email the provider says is unverified is refused too.
		m.QueueUser(unverifiedUser{&mockoidc.MockUser{Subject: "s3", Email: "mallory@example.com"}})
		ssoSignIn(t, env, env.Client(), nil).Expect(t, http.StatusForbidden)
	})
}

// unverifiedUser sends email_verified: false explicitly (MockUser omits a
// false value; an absent claim counts as unverified unless the provider
// is trusted to verify emails).
type unverifiedUser struct{ *mockoidc.MockUser }

func (u unverifiedUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}{c, u.Email, false}, nil
}
