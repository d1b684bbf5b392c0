package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestReviewJourney: create a component → start a review from the built-in
// readiness template → answer questions, one not applicable with a reason
// → see them saved after a reload → record a finding and an action item
// from an unmet answer → complete with sign-off → start a second review and
// change answers (meeting a colleague's edit on the way) → the compare page
// shows the differences.
func TestReviewJourney(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		testReviewJourney(t, apptest.New(t, dbtest.New(t, dialect)))
	})
}

func q(key string) string { return `[data-testid="question"][data-key="` + key + `"]` }

func (p *Page) answer(key, state string) {
	p.t.Helper()
	p.Click(q(key) + ` [data-testid="state-` + state + `"]`)
	p.waitSaved(key)
}

// waitSaved waits until the question's save state says saved (the text
// itself is drawn by CSS).
func (p *Page) waitSaved(key string) {
	p.t.Helper()
	p.WaitUntil(fmt.Sprintf(`(document.querySelector(%q)||{dataset:{}}).dataset.state === "saved"`, q(key)+` [data-testid="save-state"]`))
}

// View saves a screenshot of the visible part of the page (the review
// pages are too long to judge from a full-page shot).
func (p *Page) View(name string) {
	p.t.Helper()
	ctx, cancel := p.timeout(20 * time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("e2e: screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(p.b.shots, safeName(p.t.Name())+"-"+safeName(p.name)+"-"+safeName(name)+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Logf("e2e: %v", err)
	}
}

// ScrollTo scrolls an element into the middle of the viewport.
func (p *Page) ScrollTo(sel string) {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`(() => { document.querySelector(%q).scrollIntoView({block: "center"}); return true })()`, sel))
}

func testReviewJourney(t *testing.T, env *apptest.Env) {
	b := Start(t, env)
	fran := env.CreateUser(models.RoleFacilitator, "Fran Facilitator")
	sam := env.CreateUser(models.RoleMember, "Sam Member")
	p := b.NewPage("fran")
	p.SignIn(fran)

	// A component, from the Reviews section.
	p.Go("/reviews")
	p.WaitFor(`[data-testid="nav-components"]`)
	p.Shot("01-reviews-empty")
	p.Axe()
	p.ClickAndWait(`[data-testid="nav-components"]`)
	p.ClickAndWait(`[data-testid="new-component"]`)
	p.Fill(`#f-name`, "Postgres fleet")
	p.Select(`#f-tier`, "1")
	p.Fill(`#f-description`, "The **primary** OLTP clusters behind checkout and billing.")
	p.Fill(`#f-links`, "Grafana | https://grafana.example.com/d/pg | dashboard\nRunbook | https://wiki.example.com/pg | runbook")
	p.Fill(`#f-tags`, "database, stateful")
	p.ClickAndWait(`[data-testid="component-form"] button[type="submit"]`)
	p.WaitText(`[data-testid="component-name"]`, "Postgres fleet")
	p.Shot("02-component")
	p.Axe()

	// Start a review from the built-in readiness template.
	p.ClickAndWait(`[data-testid="start-review"]`)
	if got := p.Eval(`document.querySelector('#f-template').value`); got != "operational-readiness" {
		t.Fatalf("template preselected: %q", got)
	}
	p.Fill(`#f-scheduled-for`, "2030-03-02")
	p.Click(`input[name="participants"][value="` + sam.Email + `"]`)
	p.ClickAndWait(`[data-testid="review-form"] button[type="submit"]`)
	p.WaitFor(`[data-testid="checklist"]`)
	review := p.Path()
	p.View("03-review-new")
	p.Axe()

	// Answer: met, not met, partly met, and not applicable with a reason.
	p.answer("owner-team", "met")
	p.answer("restore-tested", "not_met")
	p.answer("oncall-rotation", "partial")
	p.Click(q("dependency-tracing") + ` [data-testid="state-not_applicable"]`)
	p.WaitText(q("dependency-tracing")+` .answer-errors`, "needs a reason")
	p.Type(`#a-dependency-tracing-reason`, "Single-process service: there are no downstream calls to trace.")
	p.waitSaved("dependency-tracing")
	p.Click(q("restore-tested") + ` [data-testid="more"]`)
	p.Type(`#a-restore-tested-notes`, "Last restore attempt was 2023; nobody timed it.")
	p.waitSaved("restore-tested")
	p.WaitText(`[data-testid="answered"]`, "4/36")
	p.ScrollTo(q("dependency-tracing"))
	p.View("04-answers")

	// Saved after a reload.
	p.Go(review)
	p.WaitFor(`[data-testid="checklist"]`)
	checked := func(key, state string) bool {
		return p.Eval(`document.querySelector('`+q(key)+` [data-testid="state-`+state+`"]').checked`) == "true"
	}
	for key, state := range map[string]string{"owner-team": "met", "restore-tested": "not_met", "oncall-rotation": "partial", "dependency-tracing": "not_applicable"} {
		if !checked(key, state) {
			t.Fatalf("%s not %s after reload", key, state)
		}
	}
	if got := p.Eval(`document.querySelector('#a-dependency-tracing-reason').value`); !strings.Contains(got, "no downstream calls") {
		t.Fatalf("reason after reload: %q", got)
	}
	if got := p.Text(`[data-testid="risk-high"]`); got != "2" {
		t.Fatalf("high risks %q", got)
	}
	p.View("05-reloaded-top")

	// A finding from the unmet answer, then its action item.
	p.ClickAndWait(q("restore-tested") + ` [data-testid="record-finding"]`)
	if got := p.Eval(`document.querySelector('#f-question-key').value`); got != "restore-tested" {
		t.Fatalf("finding not prefilled from the answer: %q", got)
	}
	p.Fill(`#f-title`, "Restores of the fleet were never tested")
	p.Select(`#f-risk`, "critical")
	p.ClickAndWait(`[data-testid="finding-form"] button[type="submit"]`)
	p.WaitFor(`[data-testid="finding-title"]`)
	p.Fill(`[data-testid="action-form"] #f-title`, "Run a timed restore drill of the fleet")
	p.Select(`[data-testid="action-form"] #f-owner`, sam.Email)
	p.Fill(`[data-testid="action-form"] #f-due-date`, "2030-04-30")
	p.ClickAndWait(`[data-testid="action-form"] button[type="submit"]`)
	p.WaitText(`[data-testid="action-table"]`, "Run a timed restore drill")
	p.Shot("06-finding")
	p.Axe()

	// Answer the rest and sign off.
	p.Go(review)
	p.WaitFor(`[data-testid="checklist"]`)
	p.Eval(`(() => { document.querySelectorAll('[data-testid="question"]').forEach(q => {
		if (!q.querySelector('input[name=state]:checked')) q.querySelector('[data-testid="state-met"]').click(); }); return true })()`)
	p.WaitText(`[data-testid="answered"]`, "36/36")
	p.ClickAndWait(`[data-testid="transition-submit"]`)
	p.WaitText(`[data-testid="review-status"]`, "Awaiting sign-off")
	p.ClickAndWait(`[data-testid="sign-off"]`)
	p.Click(`[data-testid="decision-ready_with_conditions"]`)
	p.Fill(`#f-decision-notes`, "Ready once the restore drill has run and was timed.")
	p.Shot("07-signoff")
	p.Axe()
	p.ClickAndWait(`[data-testid="signoff-form"] button[type="submit"]`)
	p.WaitText(`[data-testid="review-status"]`, "Completed")
	p.WaitText(`[data-testid="review-decision"]`, "Ready with conditions")
	p.View("08-completed")
	p.ClickAndWait(`[data-testid="readout"]`)
	p.WaitText(`[data-testid="readout-high"]`, "Restores of the fleet were never tested")
	p.Shot("09-readout")
	p.Axe()

	// A second review: change answers; a colleague edits the same answer.
	p.Go("/components/postgres-fleet")
	p.ClickAndWait(`[data-testid="start-review"]`)
	p.Select(`#f-template`, "operational-readiness")
	p.Fill(`#f-title`, "Postgres fleet — after the migration")
	p.ClickAndWait(`[data-testid="review-form"] button[type="submit"]`)
	p.WaitFor(`[data-testid="checklist"]`)
	second := p.Path()
	p.answer("owner-team", "not_met")
	p.answer("restore-tested", "met")

	s := b.NewPage("sam")
	s.SignIn(sam)
	s.Go(second)
	s.WaitFor(`[data-testid="checklist"]`)
	p.answer("load-tested", "partial")                       // Fran saves first …
	s.Click(q("load-tested") + ` [data-testid="state-met"]`) // … Sam, from the older version, too
	s.WaitFor(q("load-tested") + ` [data-testid="conflict"]`)
	s.ScrollTo(q("load-tested"))
	s.View("10-conflict")
	if txt := s.Text(q("load-tested") + ` [data-testid="conflict"]`); !strings.Contains(txt, "Fran Facilitator") || !strings.Contains(txt, "Partly met") || !strings.Contains(txt, "Met") {
		t.Fatalf("conflict view: %q", txt)
	}
	s.Axe()
	s.Click(q("load-tested") + ` [data-testid="keep-mine"]`)
	s.WaitUntil(`!document.querySelector('` + q("load-tested") + ` [data-testid="conflict"]')`)
	s.Go(second)
	s.WaitFor(`[data-testid="checklist"]`)
	if s.Eval(`document.querySelector('`+q("load-tested")+` [data-testid="state-met"]').checked`) != "true" {
		t.Fatal("keep mine did not save Sam's answer")
	}

	// Compare the two reviews.
	p.Go("/components/postgres-fleet")
	p.ClickAndWait(`[data-testid="compare-latest"]`)
	p.WaitFor(`[data-testid="compare-questions"]`)
	for key, change := range map[string]string{"owner-team": "regressed", "restore-tested": "improved"} {
		if p.Count(`[data-testid="diff-row"][data-key="`+key+`"][data-change="`+change+`"]`) != 1 {
			t.Errorf("compare: %s is not %s", key, change)
		}
	}
	if got := p.Text(`[data-testid="carried-findings"]`); !strings.Contains(got, "Restores of the fleet were never tested") {
		t.Errorf("carried findings: %q", got)
	}
	p.Shot("11-compare")
	p.Axe()
	p.Go("/reviews")
	p.WaitFor(`[data-testid="review-table"]`)
	p.Shot("12-reviews-index")
	p.Go("/review-templates/operational-readiness/versions/1")
	p.WaitFor(`[data-testid="template-question"]`)
	p.Shot("13-template")
	p.Axe()
}
