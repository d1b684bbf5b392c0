package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// uploadFile sets the files of a file input.
func (p *Page) uploadFile(sel, path string) {
	p.t.Helper()
	p.do("upload into "+sel, chromedp.WaitReady(chromedp.CSS(sel)), chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path}))
}

// TestIncidentJourney: declare an incident, add timeline events (one
// batch by pasting a chat log), set timestamps, read the durations, then
// import a CSV through the UI with its preview.
func TestIncidentJourney(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		testIncidentJourney(t, apptest.New(t, dbtest.New(t, dialect)))
	})
}

func testIncidentJourney(t *testing.T, env *apptest.Env) {
	ctx := context.Background()
	sre := env.CreateUser(models.RoleMember, "Sam Responder")
	zone := "Europe/Berlin"
	if _, err := models.UpdateUser(ctx, env.DB, models.SystemActor("test"), sre.ID, models.UserUpdate{TimeZone: &zone}); err != nil {
		t.Fatal(err)
	}
	b := Start(t, env)
	p := b.NewPage("sre")
	p.SignIn(sre)

	p.Go("/incidents")
	p.WaitFor(`[data-testid="incidents-empty"]`)
	p.Shot("01-empty-list")
	p.Axe()

	// Declare.
	p.ClickAndWait(`[data-testid="declare"]`)
	p.WaitFor(`[data-testid="incident-form"]`)
	p.Fill(`#f-title`, "Checkout fails for EU customers")
	p.Select(`#f-severity`, p.Eval(`[...document.querySelectorAll("#f-severity option")].find(o => o.textContent.startsWith("SEV2")).value`))
	p.Fill(`#f-started-at`, "2026-03-01T10:00")
	p.Fill(`#f-tags`, "payments, deploy")
	p.Fill(`#f-impact`, "About **12%** of EU checkouts failed with a 502.")
	p.Shot("02-declare-form")
	p.Axe()
	p.ClickAndWait(`[data-testid="incident-form"] button[type="submit"]`)
	if got := p.Path(); got != "/incidents/INC-1" {
		t.Fatalf("after declaring: at %s", got)
	}
	p.WaitText(`[data-testid="incident-title"]`, "Checkout fails for EU customers")
	if z := p.Text(`[data-testid="zone-note"]`); !strings.Contains(z, "Europe/Berlin") {
		t.Errorf("zone note %q", z)
	}

	// One event typed inline (htmx swaps the timeline).
	p.Fill(`#tl-add-occurred-at`, "2026-03-01T10:04")
	p.Select(`#tl-add-kind`, "detection")
	p.Fill(`#tl-add-text`, "Alert: checkout 5xx above 5% in eu-west-1")
	p.Click(`[data-testid="timeline-add"]`)
	p.WaitUntil(`document.querySelectorAll('[data-testid="timeline-event"]').length === 1`)

	// A chat log pasted, previewed, then added.
	p.Click(`[data-testid="paste-area"] > summary`)
	p.Fill(`#tl-paste-log`, "10:06 sam: rolling back deploy 4711\n  (the canary looked fine)\n10:12 ana: error rate back under 1%\n10:20 sam: status page updated")
	p.Click(`[data-testid="paste-preview"]`)
	p.WaitUntil(`document.querySelectorAll('[data-testid="paste-row"]').length === 3`)
	p.Shot("03-paste-preview")
	p.Axe()
	p.Click(`[data-testid="paste-save"]`)
	p.WaitUntil(`document.querySelectorAll('[data-testid="timeline-event"]').length === 4`)

	// A milestone event sets the mitigated time; the durations follow.
	p.Fill(`#tl-add-occurred-at`, "2026-03-01T10:12")
	p.Select(`#tl-add-kind`, "milestone")
	p.Select(`#tl-add-milestone`, "mitigated")
	p.Fill(`#tl-add-text`, "Customer impact over")
	p.Click(`[data-testid="timeline-add"]`)
	p.WaitText(`[data-testid="time_to_mitigate-value"]`, "12m 00s")

	// The other timestamps through the edit form.
	p.ClickAndWait(`[data-testid="edit-incident"]`)
	p.Fill(`#f-detected-at`, "2026-03-01T10:04")
	p.Fill(`#f-acknowledged-at`, "2026-03-01T10:05")
	p.Fill(`#f-resolved-at`, "2026-03-01T09:00")
	p.ClickAndWait(`[data-testid="incident-form"] button[type="submit"]`)
	p.WaitFor(`[data-testid="error-resolved_at"]`)
	p.Shot("04-timestamp-error")
	p.Fill(`#f-resolved-at`, "2026-03-01T11:30")
	p.Select(`#f-status`, "resolved")
	p.ClickAndWait(`[data-testid="incident-form"] button[type="submit"]`)
	p.WaitFor(`[data-testid="durations"]`)
	for sel, want := range map[string]string{
		"time_to_detect-value": "4m 00s", "time_to_acknowledge-value": "5m 00s",
		"time_to_mitigate-value": "12m 00s", "time_to_resolve-value": "1h 30m",
	} {
		if got := p.Text(`[data-testid="` + sel + `"]`); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := p.Text(`[data-testid="status"]`); got != "Resolved" {
		t.Errorf("status %q", got)
	}
	if got := p.Text(`[data-testid="event-time"]`); got != "10:04" {
		t.Errorf("first event shown at %q, want 10:04 Berlin time", got)
	}
	p.Shot("05-incident")
	p.Axe()

	// Import a CSV through the UI: upload, preview, confirm.
	csvPath := filepath.Join(t.TempDir(), "history.csv")
	csvText := "key,title,severity,status,started_at,resolved_at,components,tags,impact,summary\n" +
		"OLD-1,Search index stale,SEV3,resolved,2025-11-02T08:00:00Z,2025-11-02T09:15:00Z,search,indexing,Results were a day old.,Re-indexed.\n" +
		"OLD-2,Login slow,SEV2,resolved,2025-12-10T14:30:00Z,2025-12-10T15:00:00Z,login,latency; database,p99 above 4 s.,Added an index.\n" +
		"OLD-3,Webhook backlog,SEV4,closed,2026-01-20T22:00:00Z,,queue,queue,,\n"
	if err := os.WriteFile(csvPath, []byte(csvText), 0o600); err != nil {
		t.Fatal(err)
	}
	p.Go("/incidents")
	p.ClickAndWait(`[data-testid="import-link"]`)
	p.WaitFor(`[data-testid="import-form"]`)
	p.uploadFile(`#f-file`, csvPath)
	p.Shot("06-import-form")
	p.Axe()
	p.ClickAndWait(`[data-testid="import-upload"]`)
	p.WaitFor(`[data-testid="import-previewed"]`)
	if got := p.Count(`[data-testid="preview-row"]`); got != 3 {
		t.Fatalf("%d preview rows", got)
	}
	if got := p.Text(`[data-testid="count-create"]`); got != "3" {
		t.Errorf("new incidents %q", got)
	}
	p.Shot("07-import-preview")
	p.Axe()
	p.ClickAndWait(`[data-testid="import-confirm"]`)
	p.WaitText(`[data-testid="import-report"]`, "3 incidents created")
	p.Shot("08-import-report")

	p.Go("/incidents")
	p.WaitFor(`[data-testid="incident-table"]`)
	if got := p.Count(`[data-testid="incident-row"]`); got != 4 {
		t.Errorf("%d incidents listed, want 4", got)
	}
	p.Shot("09-list")
	p.Axe()
	p.Go("/incidents?tag=database")
	p.WaitFor(`[data-testid="incident-table"]`)
	if got := p.Count(`[data-testid="incident-row"]`); got != 1 {
		t.Errorf("tag filter: %d rows", got)
	}

	// Admins: severities and PagerDuty.
	admin := b.NewPage("admin")
	admin.SignIn(env.CreateUser(models.RoleAdmin, "Ada Admin"))
	admin.Go("/admin/severities")
	admin.WaitFor(`[data-testid="severities"]`)
	admin.Shot("10-severities")
	admin.Axe()
	admin.Go("/admin/integrations")
	admin.Fill(`#f-name`, "PagerDuty production")
	admin.ClickAndWait(`[data-testid="integration-form"] button[type="submit"]`)
	admin.WaitFor(`[data-testid="webhook-url"]`)
	admin.Shot("11-pagerduty")
	admin.Axe()
}
