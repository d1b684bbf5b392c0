package e2e

import (
	"strings"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestAccountsJourney: first-run admin → sign in → create a team → create a
// member → sign out → the member signs in and is refused the admin pages.
func TestAccountsJourney(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect))
		b := Start(t, env)
		p := b.NewPage("admin")

		p.Go("/")
		if p.Path() != "/setup" {
			t.Fatalf("first visit landed on %s, want /setup", p.Path())
		}
		p.Shot("setup")
		p.Axe()
		p.Fill("#f-name", "Grace Hopper")
		p.Fill("#f-email", "grace@example.com")
		p.Fill("#f-password", "a long enough passphrase")
		p.Fill("#f-password-confirm", "a long enough passphrase")
		p.ClickAndWait(`[data-testid="setup-form"] button[type="submit"]`)
		p.WaitText("main", "first admin")

		// Sign out and back in with the new account.
		p.ClickAndWait(`.user-menu button[type="submit"]`)
		if p.Path() != "/signin" {
			t.Fatalf("after sign out at %s", p.Path())
		}
		p.Axe()
		p.Fill("#f-email", "grace@example.com")
		p.Fill("#f-password", "a long enough passphrase")
		p.ClickAndWait(`[data-testid="signin-form"] button[type="submit"]`)
		p.WaitFor(`.user-menu a[href="/admin"]`)

		// Create a member.
		p.Go("/admin/users")
		p.Fill("#f-name", "Sam Member")
		p.Fill("#f-email", "sam@example.com")
		p.Select("#f-role", "member")
		p.ClickAndWait(`[data-testid="add-user-form"] button[type="submit"]`)
		p.WaitFor(`[data-testid="created-password"] code`)
		password := strings.TrimSpace(p.Text(`[data-testid="created-password"] code`))
		p.Shot("users")
		p.Axe()

		// Create a team with the member.
		p.Go("/admin/teams")
		p.Fill("#f-name", "Platform SRE")
		p.Fill("#f-managers", "grace@example.com")
		p.Fill("#f-members", "sam@example.com")
		p.ClickAndWait(`[data-testid="team-form"] button[type="submit"]`)
		p.WaitText(`[data-testid="teams-table"]`, "Platform SRE")
		p.Shot("teams")
		p.Axe()
		p.Go("/admin/audit")
		p.WaitFor(`[data-testid="audit-row"]`)
		p.Shot("audit")
		p.Axe()
		p.Go("/account")
		p.Shot("account")
		p.Axe()
		p.ClickAndWait(`.user-menu button[type="submit"]`)

		// The member signs in and is refused the admin pages.
		m := b.NewPage("member")
		m.Go("/signin")
		m.Fill("#f-email", "sam@example.com")
		m.Fill("#f-password", password)
		m.ClickAndWait(`[data-testid="signin-form"] button[type="submit"]`)
		if m.Count(`.user-menu a[href="/admin"]`) != 0 {
			t.Error("member sees the admin link")
		}
		m.Go("/admin/users")
		m.WaitFor(`[data-testid="error-page"]`)
		if !strings.Contains(m.Text("main"), "403") {
			t.Errorf("member on admin page: %q", m.Text("main"))
		}
		m.Shot("refused")
	})
}
