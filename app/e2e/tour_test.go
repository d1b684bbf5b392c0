package e2e

import (
	"context"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/cmd/debrief/demo"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestTourOnDemoData opens every main page of Debrief on the demo
// organisation as an admin: each renders, passes axe (WCAG 2.1 AA, no
// serious or critical violations) and is screenshotted to be looked at.
func TestTourOnDemoData(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := dbtest.New(t, dialect)
		res, err := demo.Seed(ctx, db, demo.Options{Password: apptest.Password})
		if err != nil {
			t.Fatal(err)
		}
		env := apptest.New(t, db)
		var adminEmail, slug, incKey string
		var reviewID, actionID, retroID, pmIncident int64
		first := func(q string, dst any) {
			if err := db.Raw(q).Row().Scan(dst); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		first("SELECT email FROM users WHERE role = 'admin' ORDER BY id LIMIT 1", &adminEmail)
		first("SELECT slug FROM components WHERE id IN (SELECT component_id FROM reviews) ORDER BY id LIMIT 1", &slug)
		first("SELECT id FROM reviews ORDER BY id LIMIT 1", &reviewID)
		first("SELECT id FROM action_items ORDER BY id LIMIT 1", &actionID)
		first("SELECT id FROM retro_sessions ORDER BY id LIMIT 1", &retroID)
		first("SELECT incident_id FROM postmortems ORDER BY id LIMIT 1", &pmIncident)
		inc, err := models.GetIncident(ctx, db, pmIncident)
		if err != nil {
			t.Fatal(err)
		}
		incKey = inc.Key()
		admin, err := models.GetUserByEmail(ctx, db, adminEmail)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Credentials) == 0 {
			t.Fatal("demo printed no credentials")
		}

		b := Start(t, env)
		p := b.NewPage("admin")
		p.SignIn(admin)
		pages := []struct{ name, path string }{
			{"home", env.App.Path("home")},
			{"reviews", env.App.Path("reviews.index")},
			{"components", env.App.Path("components.index")},
			{"component", env.App.Path("components.show", slug)},
			{"review", env.App.Path("reviews.show", reviewID)},
			{"readout", env.App.Path("reviews.readout", reviewID)},
			{"compare", env.App.Path("components.compare", slug)},
			{"due", env.App.Path("reviews.due")},
			{"templates", env.App.Path("templates.index")},
			{"incidents", env.App.Path("incidents.index")},
			{"incident", env.App.Path("incidents.show", incKey)},
			{"postmortems", env.App.Path("postmortems.index")},
			{"postmortem", env.App.Path("postmortems.show", incKey)},
			{"retros", env.App.Path("retros.index")},
			{"retro", env.App.Path("retros.show", retroID)},
			{"actions", env.App.Path("actions.index")},
			{"action", env.App.Path("actions.show", actionID)},
			{"dashboard", env.App.Path("actions.dashboard")},
			{"my-work", env.App.Path("me.my_work")},
			{"insights", env.App.Path("insights.index")},
			{"account", env.App.Path("account.show")},
			{"admin", env.App.Path("admin.index")},
			{"admin-users", env.App.Path("admin.users")},
			{"admin-teams", env.App.Path("admin.teams")},
			{"admin-audit", env.App.Path("admin.audit")},
			{"admin-severities", env.App.Path("admin.severities")},
			{"admin-deliveries", env.App.Path("admin.deliveries")},
		}
		for _, pg := range pages {
			p.Go(pg.path)
			if p.Count(`[data-testid="error-page"]`) > 0 {
				p.Shot(pg.name)
				t.Errorf("%s (%s) shows an error page: %s", pg.name, pg.path, p.Text("main"))
				continue
			}
			p.Shot(pg.name)
			p.Axe()
		}
	})
}
