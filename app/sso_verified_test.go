package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestSSODoesNotLinkWithoutVerifiedEmail: an identity whose provider does
// not confirm the email (no email_verified claim) must not take over the
// existing password account with that email.
func TestSSODoesNotLinkWithoutVerifiedEmail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		env := apptest.New(t, db, withOIDC(m, "example.com"))
		victim := env.CreateUser(models.RoleAdmin, "Vic Admin")

		// MockUser leaves out email_verified when it is false.
		m.QueueUser(&mockoidc.MockUser{Subject: "attacker", Email: victim.Email})
		c := env.Client()
		ssoSignIn(t, env, c, nil).Expect(t, http.StatusForbidden)
		if c.Get("/account").StatusCode == http.StatusOK {
			t.Fatal("an unverified email signed in as the existing account")
		}
		u, err := models.GetUser(context.Background(), db, victim.ID)
		if err != nil || u.OIDCSubject != nil {
			t.Fatalf("account linked to an unverified identity: %+v %v", u, err)
		}

		// With email_verified: true the account is linked.
		m.QueueUser(&mockoidc.MockUser{Subject: "vic", Email: victim.Email, EmailVerified: true})
		c = env.Client()
		ssoSignIn(t, env, c, nil).Expect(t, http.StatusSeeOther)
		u, err = models.GetUser(context.Background(), db, victim.ID)
		if err != nil || u.OIDCSubject == nil || *u.OIDCSubject != "vic" {
			t.Fatalf("verified identity not linked: %+v %v", u, err)
		}
	})
}

// TestSSOTrustUnverifiedEmailOption: an admin who knows the provider's
// emails are verified (DEBRIEF_OIDC_TRUST_UNVERIFIED_EMAIL) lets a missing
// claim through; an explicit email_verified: false is still refused.
func TestSSOTrustUnverifiedEmailOption(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		env := apptest.New(t, db, withOIDC(m, "example.com"), func(cfg *app.Config, _ *app.Deps) {
			cfg.OIDC.TrustUnverifiedEmail = true
		})
		existing := env.CreateUser(models.RoleMember, "Eve Existing")

		m.QueueUser(unverifiedUser{&mockoidc.MockUser{Subject: "eve-false", Email: existing.Email}})
		ssoSignIn(t, env, env.Client(), nil).Expect(t, http.StatusForbidden)

		m.QueueUser(&mockoidc.MockUser{Subject: "eve", Email: existing.Email})
		c := env.Client()
		ssoSignIn(t, env, c, nil).Expect(t, http.StatusSeeOther)
		c.Get("/account").Expect(t, http.StatusOK)
		u, err := models.GetUser(context.Background(), db, existing.ID)
		if err != nil || u.OIDCSubject == nil || *u.OIDCSubject != "eve" {
			t.Fatalf("not linked with the option set: %+v %v", u, err)
		}
	})
}

// newMockUser is a provider account with a verified email.
func newMockUser(subject, email string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: subject, Email: email, EmailVerified: true}
}
