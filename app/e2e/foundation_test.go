package e2e

import (
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestNavigationIsAccessible opens the home page, follows every entry of
// the main navigation, screenshots each page and checks it with axe.
func TestNavigationIsAccessible(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		testNavigation(t, apptest.New(t, dbtest.New(t, dialect)))
	})
}

func testNavigation(t *testing.T, env *apptest.Env) {
	b := Start(t, env)
	p := b.NewPage("visitor")
	p.SignIn(env.CreateUser(models.RoleViewer, "Vera Viewer"))
	p.Go("/")
	p.WaitFor(`[data-testid="home-hero"]`)
	p.Shot("home")
	p.Axe()
	for _, link := range []struct{ label, path string }{
		{"Reviews", "/reviews"}, {"Incidents", "/incidents"}, {"Retros", "/retros"},
		{"Action items", "/action-items"}, {"Insights", "/insights"},
	} {
		p.ClickAndWait(`nav[aria-label="Main"] a[href="` + link.path + `"]`)
		if got := p.Path(); got != link.path {
			t.Fatalf("after clicking %s: at %s", link.label, got)
		}
		if cur := p.Eval(`document.querySelector('nav[aria-label="Main"] [aria-current="page"]').textContent`); cur != link.label {
			t.Errorf("%s: current nav entry is %q", link.path, cur)
		}
		p.Shot(link.label)
		p.Axe()
	}
	p.Go("/no-such-page")
	p.WaitFor(`[data-testid="error-page"]`)
	p.Shot("404")
	p.Axe()
}
