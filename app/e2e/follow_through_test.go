package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// ftSeed is a team with a manager, an owner and action items in every
// state, some from a postmortem.
type ftSeed struct {
	manager, owner, other *models.User
	overdue               *models.ActionItem
}

func seedTeamWork(t *testing.T, env *apptest.Env) ftSeed {
	t.Helper()
	ctx := context.Background()
	db := env.DB
	sys := models.SystemActor("e2e")
	s := ftSeed{
		manager: env.CreateUser(models.RoleMember, "Maya Manager"),
		owner:   env.CreateUser(models.RoleMember, "Omar Owner"),
		other:   env.CreateUser(models.RoleMember, "Priya Platform"),
	}
	if _, err := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "Storage SRE", Slug: "storage-sre",
		Members: []string{s.owner.Email, s.other.Email}, Managers: []string{s.manager.Email}}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "Edge", Slug: "edge"}); err != nil {
		t.Fatal(err)
	}
	sevs, _ := models.ListSeverities(ctx, db)
	start := time.Now().Add(-40 * 24 * time.Hour)
	inc, err := models.CreateIncident(ctx, db, sys, models.IncidentInput{Title: "Primary database ran out of disk", SeverityID: &sevs[0].ID, StartedAt: &start})
	if err != nil {
		t.Fatal(err)
	}
	today := models.Today(time.Now(), nil)
	mk := func(title, owner, team string, due int, status string, fromIncident bool, daysAgo int) *models.ActionItem {
		n := models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: title, Owner: owner, Team: team, DueDate: today.AddDays(due).String(), Priority: "high"}}
		if fromIncident {
			n.IncidentID, n.SourceKind = &inc.ID, models.SourcePostmortem
		}
		a, err := models.CreateActionItem(ctx, db, sys, n)
		if err != nil {
			t.Fatal(err)
		}
		if daysAgo > 0 {
			backdate(t, db, a.ID, daysAgo)
		}
		if status != "" {
			if _, err := models.ChangeActionStatus(ctx, db, sys, a.ID, 0, status, "Covered by the new storage tier"); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	s.overdue = mk("Alert at 80% disk on every primary", s.owner.Email, "storage-sre", -4, "", true, 38)
	mk("Move WAL to its own volume", s.other.Email, "storage-sre", -1, "", true, 38)
	mk("Restore drill for the orders database", s.owner.Email, "storage-sre", 5, "", false, 10)
	mk("Document the failover runbook", s.other.Email, "storage-sre", 21, "", false, 3)
	mk("Add a disk usage panel", s.owner.Email, "storage-sre", -9, models.ActionDone, true, 37)
	mk("Rewrite the backup agent", s.other.Email, "storage-sre", -3, models.ActionWontDo, false, 60)
	mk("Tune TLS session cache", "", "edge", -2, "", false, 15)
	return s
}

func backdate(t *testing.T, db *gorm.DB, id int64, days int) {
	t.Helper()
	at := models.Now(db).Add(-time.Duration(days) * 24 * time.Hour)
	if err := db.Exec("UPDATE action_items SET created_at = ? WHERE id = ?", at, id).Error; err != nil {
		t.Fatal(err)
	}
}

// TestManagerSeesOverdueDropAfterOwnerFinishes: a manager opens the
// dashboard of their team; in another browser the owner marks an overdue
// item done from My work; the manager reloads and the overdue figure is one
// lower, as is the team's line in the list behind it.
func TestManagerSeesOverdueDropAfterOwnerFinishes(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect))
		s := seedTeamWork(t, env)
		b := Start(t, env)

		mgr := b.NewPage("manager")
		mgr.SignIn(s.manager)
		mgr.Go("/action-items/dashboard")
		mgr.WaitFor(`[data-testid="breakdown-row"]`)
		mgr.Shot("dashboard-all-teams")
		// From the organisation to the team: its own dashboard, per owner.
		mgr.ClickAndWait(`[data-testid="breakdown-row"] th a`)
		mgr.WaitText(`[data-testid="scope-label"]`, "Storage SRE")
		mgr.WaitFor(`[data-testid="trend-chart"][data-rendered="true"]`)
		before := strings.TrimSpace(mgr.Text(`[data-testid="fig-overdue"] .value`))
		if before != "2" {
			t.Fatalf("overdue before: %q", before)
		}
		mgr.Shot("dashboard-team-before")
		mgr.Axe()

		own := b.NewPage("owner")
		own.SignIn(s.owner)
		own.Go("/me")
		own.WaitFor(`[data-testid="section-overdue"]`)
		own.Shot("my-work")
		own.Axe()
		item := `[data-testid="section-overdue"] [data-testid="work-item"]`
		own.Click(item + ` [data-testid="mark-done"]`)
		own.Fill(item+` textarea[name="note"]`, "Alert rule deployed to all primaries")
		own.Shot("my-work-marking-done")
		own.ClickAndWait(item + ` [data-testid="confirm-done"]`)
		own.WaitText(`[role="status"]`, "Status changed to Done")
		if own.Count(`[data-testid="section-overdue"]`) != 0 {
			t.Fatal("the item is still overdue on My work")
		}

		here, _ := url.Parse(mgr.Location())
		mgr.Go(here.RequestURI()) // reload
		mgr.WaitFor(`[data-testid="fig-overdue"]`)
		after := strings.TrimSpace(mgr.Text(`[data-testid="fig-overdue"] .value`))
		if after != "1" {
			t.Fatalf("overdue after the owner finished: %q", after)
		}
		mgr.Shot("dashboard-team-after")
		// The figure opens the one item still overdue.
		mgr.ClickAndWait(`[data-testid="fig-overdue"]`)
		mgr.WaitFor(`[data-testid="action-table"]`)
		if n := mgr.Count(`[data-testid="action-row"]`); n != 1 || !strings.Contains(mgr.Text(`[data-testid="action-table"]`), "Move WAL") {
			t.Fatalf("overdue list: %d rows", n)
		}
		mgr.Shot("overdue-list")

		it, _ := models.GetActionItem(context.Background(), env.DB, s.overdue.ID)
		if it.Status != models.ActionDone || it.CompletionNote != "Alert rule deployed to all primaries" {
			t.Fatalf("item %s %q", it.Status, it.CompletionNote)
		}
	})
}

// TestActionListJourney: a member filters the list, closes two items as
// won't do in bulk (the reason is required), edits a row in place,
// comments on an item and sees its history.
func TestActionListJourney(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect))
		s := seedTeamWork(t, env)
		b := Start(t, env)
		p := b.NewPage("member")
		p.SignIn(s.other)
		p.Go("/action-items")
		p.WaitFor(`[data-testid="action-table"]`)
		p.Shot("list")
		p.Axe()

		p.Fill(`#f-team`, "storage-sre")
		p.Fill(`#f-state`, "open")
		p.ClickAndWait(`[data-testid="action-filters"] button[type="submit"]`)
		p.WaitFor(`[data-testid="filter-chips"]`)
		if n := p.Count(`[data-testid="action-row"]`); n != 4 {
			t.Fatalf("%d open storage items", n)
		}
		// Sort by due date, latest first, from the column header.
		p.ClickAndWait(`th a.sort-link[href*="sort=-due"]`)
		if first := p.Text(`[data-testid="action-row"] [data-testid="action-link"]`); first != "Document the failover runbook" {
			t.Fatalf("latest due first: %q", first)
		}

		// Bulk: two items to won't do, first without the reason.
		p.Click(`[data-testid="action-row"]:nth-child(1) input[name="id"]`)
		p.Click(`[data-testid="action-row"]:nth-child(2) input[name="id"]`)
		p.WaitText(`[data-selected-count]`, "2 selected")
		p.Fill(`#bulk-status`, "wont_do")
		p.ClickAndWait(`[data-testid="bulk-apply"]`)
		p.WaitFor(`[data-testid="bulk-error-note"]`)
		if n := p.Count(`input[name="id"]:checked`); n != 2 {
			t.Fatalf("selection lost: %d", n)
		}
		p.Shot("bulk-needs-reason")
		p.Fill(`#bulk-note`, "Superseded by the managed database migration")
		p.ClickAndWait(`[data-testid="bulk-apply"]`)
		p.WaitText(`[role="status"]`, "Changed 2 action items.")
		if n := p.Count(`[data-testid="action-row"]`); n != 2 {
			t.Fatalf("%d open items left", n)
		}

		// Inline edit: new due date and owner, without leaving the list.
		row := `[data-testid="action-row"]:nth-child(1)`
		id := p.Eval(`document.querySelector('` + row + `').dataset.id`)
		p.Click(row + ` [data-testid="row-edit"]`)
		p.WaitFor(`[data-testid="action-row-edit"]`)
		p.Fill(`[data-testid="action-row-edit"] input[name="due_date"]`, models.Today(time.Now(), nil).AddDays(14).String())
		p.Fill(`[data-testid="action-row-edit"] select[name="owner"]`, s.owner.Email)
		p.Shot("inline-edit")
		p.Click(`[data-testid="row-save"]`)
		p.WaitFor(`#action-row-` + id + `[data-testid="action-row"]`)
		if owner := p.Text(`#action-row-` + id + ` [data-testid="row-owner"]`); owner != "Omar Owner" {
			t.Fatalf("owner after inline edit: %q", owner)
		}
		p.Shot("after-inline-edit")

		// The item: comment and history.
		p.ClickAndWait(`#action-row-` + id + ` [data-testid="action-link"]`)
		p.WaitFor(`[data-testid="comment-form"]`)
		p.Fill(`#f-body`, "Moved to next sprint: the **restore tooling** lands first.")
		p.Click(`[data-testid="comment-submit"]`)
		p.WaitFor(`[data-testid="comment"]`)
		if txt := p.Text(`[data-testid="comment"]`); !strings.Contains(txt, "restore tooling") || !strings.Contains(txt, s.other.Name) {
			t.Fatalf("comment: %q", txt)
		}
		p.Shot("item-with-comment")
		p.Axe()

		// Export of the filtered list is offered.
		p.Go("/action-items?due=overdue")
		p.WaitFor(`[data-testid="export-csv"][href*="due=overdue"]`)
	})
}
