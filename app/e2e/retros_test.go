package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// recordStreams makes the page keep every Server-Sent Event its
// EventSource receives (window.__sse), before any of the page's own
// scripts run.
func recordStreams(p *Page) {
	p.t.Helper()
	const js = `(() => {
		const Orig = window.EventSource;
		window.__sse = [];
		function Recording(url, opts) {
			const es = new Orig(url, opts);
			const add = es.addEventListener.bind(es);
			const seen = new Set();
			es.addEventListener = function (type, fn, o) {
				if (!seen.has(type)) {
					seen.add(type);
					add(type, (e) => window.__sse.push(type + "\n" + e.data));
				}
				return add(type, fn, o);
			};
			return es;
		}
		Recording.prototype = Orig.prototype;
		Recording.CONNECTING = 0; Recording.OPEN = 1; Recording.CLOSED = 2;
		window.EventSource = Recording;
	})();`
	if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		p.t.Fatalf("e2e: record streams: %v", err)
	}
}

// tapStream opens the retro's stream once more from the page (its cookies,
// its session) and keeps every byte of it in window.__raw: the stream as
// the server sends it to this person.
func tapStream(p *Page, path string) {
	p.Eval(fmt.Sprintf(`(() => { window.__raw = ""; fetch(%q, {headers: {Accept: "text/event-stream"}}).then(r => {
		const rd = r.body.getReader(); const dec = new TextDecoder();
		const pump = () => rd.read().then(({done, value}) => { if (done) return; window.__raw += dec.decode(value, {stream: true}); pump(); });
		pump(); }); return true })()`, path))
}

// clickInCard clicks the button matching btn inside the card matching card
// whose text contains text.
func clickInCard(p *Page, card, text, btn string) {
	p.t.Helper()
	p.WaitUntil(fmt.Sprintf(`[...document.querySelectorAll(%q)].some(c => c.innerText.includes(%q) && c.querySelector(%q) && !c.querySelector(%q).disabled)`, card, text, btn, btn))
	p.Eval(fmt.Sprintf(`(() => { const c = [...document.querySelectorAll(%q)].find(c => c.innerText.includes(%q)); c.querySelector(%q).click(); return true })()`, card, text, btn))
}

// groupNote puts the note with the text into the theme, as choosing it in
// the note's menu does.
func groupNote(p *Page, note, theme string) {
	p.t.Helper()
	p.WaitUntil(fmt.Sprintf(`[...document.querySelectorAll('#retro-groups [data-testid="note"]')].some(n => n.innerText.includes(%q) && [...n.querySelectorAll("option")].some(o => o.text === %q))`, note, theme))
	p.Eval(fmt.Sprintf(`(() => { const n = [...document.querySelectorAll('#retro-groups [data-testid="note"]')].find(n => n.innerText.includes(%q));
		const s = n.querySelector("select"); s.value = [...s.options].find(o => o.text === %q).value;
		s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, note, theme))
}

var countdownRe = regexp.MustCompile(`^[45]:[0-5]\d$`)

// TestLiveRetroInThreeBrowsers runs a whole retro with a facilitator and
// two participants, each in their own browser: presence, the shared timer,
// ready signals, earlier action items, a timeline proposal accepted into
// the incident, private notes that reach nobody else — not the page, not
// the stream — until the facilitator reveals them, grouping, votes within
// the budget, a finding, an action item, and the closing summary that
// lands in the postmortem.
func TestLiveRetroInThreeBrowsers(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect))
		runRetroJourney(t, env, env)
	})
}

// retroSetup makes the people, an earlier postmortem with open work on the
// same component, and the incident's postmortem.
func retroSetup(t *testing.T, db *gorm.DB, fay *models.User) *models.Incident {
	t.Helper()
	ctx := context.Background()
	sys := models.SystemActor("test")
	comp, err := models.CreateComponent(ctx, db, sys, models.ComponentInput{Name: "Checkout EU", Tier: 1})
	if err != nil {
		t.Fatal(err)
	}
	old, err := models.CreateIncident(ctx, db, sys, models.IncidentInput{Title: "Checkout slow", StartedAt: utc("2026-01-10T09:00:00Z"), ComponentIDs: []int64{comp.ID}})
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := models.DefaultPostmortemTemplate(ctx, db)
	oldPM, err := models.CreatePostmortem(ctx, db, models.ActorOf(fay, ""), old.ID, models.NewPostmortem{TemplateID: tpl.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.CreatePostmortemActionItem(ctx, db, models.ActorOf(fay, ""), oldPM.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Alert on checkout latency p99"}}); err != nil {
		t.Fatal(err)
	}
	inc := seedIncident(t, db, fay, comp.ID)
	if _, err := models.CreatePostmortem(ctx, db, models.ActorOf(fay, ""), inc.ID, models.NewPostmortem{TemplateID: tpl.ID, FacilitatorID: &fay.ID}); err != nil {
		t.Fatal(err)
	}
	return inc
}

// runRetroJourney runs the journey; the facilitator and Ada use onA, Bob
// uses onB (one Debrief, or two instances on one database).
func runRetroJourney(t *testing.T, onA, onB *apptest.Env) {
	fay := onA.CreateUser(models.RoleFacilitator, "Fay Facilitator")
	adaU := onA.CreateUser(models.RoleMember, "Ada Lovelace")
	bobU := onA.CreateUser(models.RoleMember, "Bob Builder")
	inc := retroSetup(t, onA.DB, fay)

	bA := Start(t, onA)
	bB := bA
	if onB != onA {
		bB = Start(t, onB)
	}
	f := bA.NewPage("fay")
	f.SignIn(fay)
	f.Go("/incidents/" + inc.Key() + "/postmortem")
	f.ClickAndWait(`[data-testid="pm-start-retro"]`)
	f.Shot("new")
	f.Axe()
	f.ClickAndWait(`[data-testid="create-retro"]`)
	retro := f.Path()
	if !strings.HasPrefix(retro, "/retros/") {
		t.Fatalf("after creating: at %s", retro)
	}
	f.WaitText(`[data-testid="live-state"]`, "Live")

	a := bA.NewPage("ada")
	a.SignIn(adaU)
	a.Go(retro)
	b := bB.NewPage("bob")
	recordStreams(b)
	b.SignIn(bobU)
	b.Go(retro)
	tapStream(b, retro+"/stream")
	for _, p := range []*Page{a, b} {
		p.WaitText(`[data-testid="live-state"]`, "Live")
	}

	// Presence: everyone is listed as here.
	f.WaitUntil(`[...document.querySelectorAll('[data-testid="person"].online')].map(e => e.innerText).join(" ").includes("Ada Lovelace") &&
		[...document.querySelectorAll('[data-testid="person"].online')].map(e => e.innerText).join(" ").includes("Bob Builder")`)

	// The shared timer.
	f.Click(`[data-testid="timer-5"]`)
	for _, p := range []*Page{a, b} {
		p.WaitFor(`[data-testid="countdown"]`)
		if got := p.Text(`[data-testid="countdown"]`); !countdownRe.MatchString(got) {
			t.Fatalf("%s's countdown shows %q", p.name, got)
		}
	}
	f.Shot("stage")

	// Review: the open item of the earlier postmortem on the same component.
	f.Click(`[data-testid="phase-next"]`)
	for _, p := range []*Page{a, b} {
		p.WaitText(`[data-testid="phase-current"]`, "Review past actions")
		p.WaitText(`[data-testid="review-items"]`, "Alert on checkout latency p99")
	}
	a.Click(`[data-testid="ready"]`)
	f.WaitFor(`[data-testid="person-ready"]`)
	f.WaitText(`[data-testid="ready-count"]`, "1 ready")

	// Walk the timeline: Bob proposes, Fay accepts into the incident.
	f.Click(`[data-testid="phase-next"]`)
	b.WaitText(`[data-testid="phase-current"]`, "Walk the timeline")
	// Ready signals lapse with the phase.
	f.WaitText(`[data-testid="phase-current"]`, "Walk the timeline")
	f.WaitUntil(`document.querySelectorAll('[data-testid="person-ready"]').length === 0`)
	b.Fill(`[data-testid="proposal-form"] input[name="occurred_at"]`, "2026-03-02T14:03")
	b.Fill(`[data-testid="proposal-form"] input[name="text"]`, "Support saw the first customer complaint")
	b.Click(`[data-testid="propose"]`)
	f.WaitText(`[data-testid="proposal"]`, "first customer complaint")
	f.Shot("timeline-proposal")
	f.Click(`[data-testid="accept-proposal"]`)
	for _, p := range []*Page{a, b, f} {
		p.WaitUntil(`[...document.querySelectorAll('[data-testid="timeline-row"]')].some(r => r.innerText.includes("first customer complaint"))`)
	}

	// Reflect: Ada's note stays hers until the reveal.
	f.Click(`[data-testid="phase-next"]`)
	secret := "Nobody owned the EU gateway config"
	a.WaitFor(`[data-testid="note-form"] textarea`)
	a.Eval(`document.querySelectorAll('[data-testid="note-form"] textarea')[1].focus(); true`)
	a.Type(`[data-testid="prompt"]:nth-child(2) [data-testid="note-text"]`, secret)
	a.Click(`[data-testid="prompt"]:nth-child(2) [data-testid="add-note"]`)
	a.WaitText(`[data-testid="prompt"]:nth-child(2) .note-list`, secret)
	b.WaitText(`[data-testid="prompt"]:nth-child(2) [data-testid="hidden-notes"]`, "1 note by others is hidden")
	f.WaitText(`[data-testid="writers"]`, "Ada Lovelace (1)")
	b.Type(`[data-testid="prompt"]:nth-child(1) [data-testid="note-text"]`, "The rollback runbook worked")
	b.Click(`[data-testid="prompt"]:nth-child(1) [data-testid="add-note"]`)
	b.WaitText(`[data-testid="prompt"]:nth-child(1) .note-list`, "The rollback runbook worked")
	b.WaitUntil(`window.__raw.includes("The rollback runbook worked") && window.__sse.some(e => e.includes("The rollback runbook worked"))`)
	if strings.Contains(b.HTML(), secret) {
		t.Fatal("Ada's note is in Bob's page before the reveal")
	}
	if strings.Contains(b.Eval(`window.__raw`), secret) || strings.Contains(b.Eval(`window.__sse.join("\n")`), secret) {
		t.Fatal("Ada's note is in Bob's stream before the reveal")
	}
	if strings.Contains(f.HTML(), secret) {
		t.Fatal("Ada's note is in the facilitator's page before the reveal")
	}
	b.Shot("reflect-hidden")
	b.Axe()

	f.Click(`[data-testid="reveal"]`)
	b.WaitText(`[data-testid="prompt"]:nth-child(2) .note-list`, secret)
	b.WaitUntil(fmt.Sprintf(`window.__raw.includes(%q) && window.__sse.some(e => e.includes(%q))`, secret, secret))
	if !strings.Contains(b.Text(`[data-testid="prompt"]:nth-child(2) .note-list`), "Ada Lovelace") {
		t.Error("a signed note does not name its author after the reveal")
	}
	b.Shot("reflect-revealed")

	// Group into themes.
	f.Click(`[data-testid="phase-next"]`)
	a.Fill(`[data-testid="theme-form"] input[name="title"]`, "Ownership gaps")
	a.Click(`[data-testid="add-theme"]`)
	b.WaitText(`[data-testid="groups"]`, "Ownership gaps")
	b.Fill(`[data-testid="theme-form"] input[name="title"]`, "What worked")
	b.Click(`[data-testid="add-theme"]`)
	// Each regroups once the other's change has reached their page (a
	// change that arrives while a menu is open re-renders it).
	allThemes := `[...document.querySelectorAll('#retro-groups select')].every(s => s.options.length === 3)`
	a.WaitUntil(allThemes)
	b.WaitUntil(allThemes)
	groupNote(b, secret, "Ownership gaps")
	a.WaitUntil(fmt.Sprintf(`[...document.querySelectorAll('[data-testid="theme"]')].some(t => t.innerText.includes("Ownership gaps") && t.innerText.includes(%q))`, secret))
	groupNote(a, "The rollback runbook worked", "What worked")
	f.WaitUntil(`!document.querySelector('[data-testid="ungrouped"] [data-testid="note"]')`)
	f.Shot("group")
	f.Axe()

	// Vote within the budget (3 each).
	f.Click(`[data-testid="phase-next"]`)
	for i := 0; i < 3; i++ {
		a.WaitText(`[data-testid="votes-left"]`, fmt.Sprintf("%d of 3 votes left", 3-i))
		clickInCard(a, `[data-testid="vote-theme"]`, "Ownership gaps", `[data-testid="vote"]`)
	}
	a.WaitText(`[data-testid="votes-left"]`, "0 of 3 votes left")
	if a.Eval(`String([...document.querySelectorAll('[data-testid="vote"]')].every(b => b.disabled))`) != "true" {
		t.Error("vote buttons stay enabled without votes left")
	}
	clickInCard(b, `[data-testid="vote-theme"]`, "What worked", `[data-testid="vote"]`)
	b.WaitText(`[data-testid="votes-left"]`, "2 of 3 votes left")
	a.Shot("vote")

	// Discuss: totals show, Bob records a finding on the top theme.
	f.Click(`[data-testid="phase-next"]`)
	b.WaitText(`[data-testid="discuss-theme"]:first-child [data-testid="theme-votes"]`, "3 votes")
	b.Fill(`[data-testid="discuss-theme"]:first-child [data-testid="factor-title"]`, "The gateway config has no owning team")
	b.Click(`[data-testid="discuss-theme"]:first-child [data-testid="add-retro-factor"]`)
	f.WaitText(`[data-testid="discuss-theme"]:first-child [data-testid="theme-factors"]`, "no owning team")

	// Action items with owner and due date.
	f.Click(`[data-testid="phase-next"]`)
	a.WaitFor(`[data-testid="retro-action-form"]`)
	a.Fill(`[data-testid="retro-action-form"] input[name="title"]`, "Give the gateway config an owning team")
	a.Select(`[data-testid="retro-action-form"] select[name="owner"]`, adaU.Email)
	a.Fill(`[data-testid="retro-action-form"] input[name="due_date"]`, "2026-04-30")
	a.Click(`[data-testid="add-retro-action"]`)
	for _, p := range []*Page{f, b} {
		p.WaitText(`[data-testid="retro-actions"]`, "Give the gateway config an owning team")
	}
	f.Shot("actions")

	// Close with the summary; the postmortem shows it.
	f.Click(`[data-testid="phase-next"]`)
	f.WaitFor(`[data-testid="summary-text"]`)
	if s := f.Eval(`document.querySelector('[data-testid="summary-text"]').value`); !strings.Contains(s, "**Ownership gaps** — 3 votes") {
		t.Fatalf("summary draft: %q", s)
	}
	f.Shot("close")
	acceptConfirms(f)
	f.ClickAndWait(`[data-testid="close-retro"]`)
	if !strings.HasSuffix(f.Path(), "/postmortem") {
		t.Fatalf("after closing: at %s", f.Path())
	}
	f.WaitText(`[data-testid="retro-summary"]`, "Ownership gaps")
	f.WaitText(`[data-testid="retro-summary"]`, "Give the gateway config an owning team")
	f.WaitText(`[data-testid="pm-action-items"]`, "Give the gateway config an owning team")
	f.WaitText(`[data-testid="factors"]`, "The gateway config has no owning team")
	f.Shot("postmortem-with-summary")
	for _, p := range []*Page{a, b} {
		p.WaitText(`[data-testid="retro-summary"]`, "Ownership gaps")
	}
	b.Shot("closed")
	ctx := context.Background()
	events, err := models.ListTimeline(ctx, onA.DB, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || e.Text == "Support saw the first customer complaint"
	}
	if !found {
		t.Error("the accepted proposal is not in the incident's timeline")
	}
}

// TestLiveRetroAcrossTwoInstances runs the same retro with two Debrief
// instances on one PostgreSQL database, as behind a load balancer: the
// facilitator and Ada use instance A, Bob's browser is connected to
// instance B. Ada's note, added through A, reaches Bob's browser on B
// (hidden until the reveal, then in full) through LISTEN/NOTIFY.
func TestLiveRetroAcrossTwoInstances(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		if dialect != models.DialectPostgres {
			return // one SQLite file serves one instance
		}
		dsn := dbtest.NewDSN(t, dialect)
		open := func() *gorm.DB {
			db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 8})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		a, b := apptest.New(t, open()), apptest.New(t, open())
		if a.App.Live().Instance() == b.App.Live().Instance() {
			t.Fatal("the instances share a name")
		}
		runRetroJourney(t, a, b)
	})
}
