package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func utc(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// seedIncident declares a SEV2 incident with a short timeline.
func seedIncident(t *testing.T, db *gorm.DB, commander *models.User, components ...int64) *models.Incident {
	t.Helper()
	ctx := context.Background()
	sev, err := models.GetSeverityByName(ctx, db, "SEV2")
	if err != nil {
		t.Fatal(err)
	}
	inc, err := models.CreateIncident(ctx, db, models.SystemActor("test"), models.IncidentInput{
		Title: "Checkout fails for EU customers", SeverityID: &sev.ID, CommanderID: &commander.ID, ComponentIDs: components,
		StartedAt: utc("2026-03-02T14:00:00Z"), DetectedAt: utc("2026-03-02T14:06:00Z"), MitigatedAt: utc("2026-03-02T14:52:00Z"),
		ResolvedAt: utc("2026-03-02T15:30:00Z"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.AddTimelineEvents(ctx, db, models.SystemActor("test"), inc.ID, []models.TimelineInput{
		{OccurredAt: utc("2026-03-02T14:06:00Z"), Kind: "detection", Text: "Error-rate alert for checkout-eu fired"},
		{OccurredAt: utc("2026-03-02T14:20:00Z"), Kind: "action", Text: "Rolled back the payment gateway to v41"},
		{OccurredAt: utc("2026-03-02T14:52:00Z"), Kind: "observation", Text: "Error rate back under 0.1%"},
	}); err != nil {
		t.Fatal(err)
	}
	return inc
}

// TestWritePostmortemTogether: the incident commander starts the
// postmortem with the defaults for its severity, writes a section that
// saves itself and gets a blameless hint (saved anyway), a colleague
// editing the same section from a stale page sees both texts instead of
// overwriting, a facilitator publishes, and the export and print view
// carry it all.
func TestWritePostmortemTogether(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect))
		ines := env.CreateUser(models.RoleMember, "Ines Commander")
		bob := env.CreateUser(models.RoleMember, "Bob Builder")
		fay := env.CreateUser(models.RoleFacilitator, "Fay Facilitator")
		inc := seedIncident(t, env.DB, ines)
		base := "/incidents/" + inc.Key() + "/postmortem"

		b := Start(t, env)
		p := b.NewPage("ines")
		p.SignIn(ines)
		p.Go("/incidents/" + inc.Key())
		p.ClickAndWait(`[data-testid="start-postmortem"]`)
		p.WaitText(`[data-testid="pm-defaults-why"]`, "SEV2: due 10 days")
		p.Shot("new")
		p.Axe()
		p.ClickAndWait(`[data-testid="pm-create"]`)
		p.WaitText(`[data-testid="pm-owner"]`, "Ines Commander")

		// Bob opens the page now, so his copy of the timeline section is
		// at version 1.
		q := b.NewPage("bob")
		q.SignIn(bob)
		q.Go(base)
		q.WaitFor(`#sec-timeline textarea`)

		// Ines writes; the section saves itself and a hint appears.
		p.Type(`#sec-timeline textarea`, "At 14:06 the alert fired. The on-call engineer should have rolled back sooner.")
		p.WaitFor(`#sec-timeline .save-state[data-state="saved"]`)
		p.WaitText(`#sec-timeline [data-testid="hints"]`, "should have")
		p.Click(`#sec-timeline [data-testid="hint"] summary`)
		p.Click(`#sec-timeline .pm-preview summary`)
		p.WaitText(`#sec-timeline [data-testid="section-preview"]`, "At 14:06 the alert fired.")
		p.Shot("hint")
		p.Axe()

		// Bob writes into his stale copy: a conflict with both texts.
		q.Type(`#sec-timeline textarea`, "Bob's notes on the rollback.")
		q.WaitFor(`#sec-timeline [data-testid="section-conflict"]`)
		if got := q.Text(`#sec-timeline [data-testid="conflict-theirs"]`); !strings.Contains(got, "should have rolled back sooner") {
			t.Fatalf("their text in the conflict: %q", got)
		}
		q.Shot("conflict")
		q.Axe()
		q.Click(`#sec-timeline [data-testid="use-theirs"]`)
		q.WaitUntil(`document.querySelector('#sec-timeline textarea').value.includes("should have rolled back sooner") && !document.querySelector('#sec-timeline [data-testid="section-conflict"]')`)

		// Ines rewords neutrally; the hint goes away.
		p.Fill(`#sec-timeline textarea`, "At 14:06 the alert fired. The runbook said to wait ten minutes before rolling back, so the on-call engineer waited.")
		p.WaitUntil(`!document.querySelector('#sec-timeline [data-testid="hints"]') && document.querySelector('#sec-timeline .save-state[data-state="saved"]')`)
		p.Fill(`#sec-summary textarea`, "EU checkout failed for 52 minutes after a gateway release.")
		p.WaitFor(`#sec-summary .save-state[data-state="saved"]`)
		p.Fill(`#pm-factors input[name="title"]`, "The gateway release went to both regions at once")
		p.Click(`[data-testid="add-factor"]`)
		p.WaitText(`[data-testid="factors"]`, "both regions at once")
		p.Click(`.pm-add-action summary`)
		p.Fill(`[data-testid="pm-action-form"] input[name="title"]`, "Release the gateway one region at a time")
		p.Fill(`[data-testid="pm-action-form"] input[name="due_date"]`, "2026-04-15")
		p.ClickAndWait(`[data-testid="pm-add-action"]`)
		p.WaitText(`[data-testid="pm-action-items"]`, "one region at a time")
		p.ClickAndWait(`[data-testid="pm-to-in_review"]`)
		p.WaitText(`[data-testid="pm-status"]`, "In review")
		p.Shot("in-review")

		f := b.NewPage("fay")
		f.SignIn(fay)
		f.Go(base)
		f.WaitFor(`[data-testid="review-hints"]`)
		acceptConfirms(f)
		f.ClickAndWait(`[data-testid="pm-to-published"]`)
		f.WaitFor(`[data-testid="pm-readonly"]`)
		if f.Count(`textarea.pm-text`) != 0 {
			t.Fatal("published postmortem still has editors")
		}
		f.Shot("published")
		f.Axe()

		f.Go(base + "/print")
		f.WaitText(`[data-testid="pm-print-view"]`, "one region at a time")
		f.Shot("print")
		f.Axe()
		md := f.Eval(`fetch("` + base + `/export.md").then(r => r.text())`)
		for _, want := range []string{"## Timeline narrative", "The runbook said to wait", "Rolled back the payment gateway to v41", "The gateway release went to both regions at once"} {
			if !strings.Contains(md, want) {
				t.Errorf("export lacks %q", want)
			}
		}
	})
}

// acceptConfirms answers "OK" to the page's confirmation questions
// (data-confirm) until it navigates.
func acceptConfirms(p *Page) { p.Eval(`window.confirm = () => true; true`) }
