// Package e2e drives Debrief in a real Chromium (chromedp, /usr/bin/chromium)
// through each user journey. Without Chromium the tests skip, except in CI
// (CI=true), where a missing browser is a failure.
package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
)

const chromiumPath = "/usr/bin/chromium"

//go:embed testdata/axe.min.js
var axeSource string

// Browsers is one Chromium process for a test; each NewUser gets its own
// isolated browser context (separate cookies), like separate people.
type Browsers struct {
	t     *testing.T
	env   *apptest.Env
	root  context.Context
	shots string
}

// Start launches Chromium for the test and points it at env.
func Start(t *testing.T, env *apptest.Env) *Browsers {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("e2e: %s is required in CI: %v", chromiumPath, err)
		}
		t.Skipf("e2e: %s not installed (apt-get install -y chromium); skipping browser test", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1360, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelRoot()
		cancelAlloc()
	})
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("e2e: start chromium: %v", err)
	}
	shots := t.TempDir()
	if d := os.Getenv("DEBRIEF_SCREENSHOTS"); d != "" {
		shots = d
		_ = os.MkdirAll(shots, 0o755)
	}
	return &Browsers{t: t, env: env, root: root, shots: shots}
}

// Page is one person's browser tab.
type Page struct {
	t    *testing.T
	b    *Browsers
	ctx  context.Context
	name string

	mu      sync.Mutex
	console []string // console errors, exceptions and CSP violations seen so far
}

// reportViolations writes every Content-Security-Policy violation to the
// console as an error, so that one the browser reports only as a
// securitypolicyviolation event (a blocked style attribute set by a script)
// fails the test too. Scripts added through the protocol are not subject to
// the page's CSP.
const reportViolations = `document.addEventListener("securitypolicyviolation", (e) => {
	console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
		" at " + (e.sourceFile || e.documentURI) + ":" + e.lineNumber + " " + (e.sample || ""));
});`

// NewPage opens a tab in a fresh, isolated browser context. Every console
// error, uncaught exception, browser log error (failed loads, CSP
// violations) and securitypolicyviolation of the tab fails the test when it
// ends.
func (b *Browsers) NewPage(name string) *Page {
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("e2e: new page %s: %v", name, err)
	}
	p := &Page{t: b.t, b: b, ctx: ctx, name: name}
	listenCtx, stopListening := context.WithCancel(ctx)
	done := make(chan struct{})
	messages := chromedp.Console(listenCtx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !answeredOnPurpose(m) {
				p.mu.Lock()
				p.console = append(p.console, consoleLine(m))
				p.mu.Unlock()
			}
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: reportViolations}); err != nil {
		b.t.Fatalf("e2e: new page %s: %v", name, err)
	}
	// Cleanups run last-in first-out: this one runs before the tab closes.
	b.t.Cleanup(func() {
		// Let events already sent by the browser arrive.
		time.Sleep(100 * time.Millisecond)
		stopListening()
		<-done
		for _, line := range p.ConsoleErrors() {
			b.t.Errorf("e2e[%s]: console error: %s", name, line)
		}
	})
	return p
}

// ConsoleErrors returns the console errors the tab has seen so far.
func (p *Page) ConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// TakeConsoleErrors returns the console errors seen so far and forgets them,
// for a test that provokes one on purpose.
func (p *Page) TakeConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.console
	p.console = nil
	return out
}

// refusal is the browser's own log line for a response the app gave on
// purpose and the page shows: a refused form (422), a conflict with both
// versions (409, swapped by htmx), a page the user may not see (403) or
// that does not exist (404). Chrome logs every such status as an error;
// a test of that journey provokes it, so it is no fault of the page.
var refusal = regexp.MustCompile(`^Failed to load resource: the server responded with a status of (403|404|409|422)\b`)

// answeredOnPurpose reports whether m is a refusal of a page or a form.
// A failed load of a static file (script, style sheet, image) is never one.
func answeredOnPurpose(m chromedp.ConsoleMessage) bool {
	return m.Source == "network" && refusal.MatchString(m.Text) && !strings.Contains(m.URL, "/static/")
}

func consoleLine(m chromedp.ConsoleMessage) string {
	line := m.String()
	if m.Source != "" {
		line = "[" + m.Source + "] " + line
	}
	if m.URL != "" {
		line += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
	}
	return line
}

func (p *Page) timeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, d)
}

func (p *Page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := p.timeout(20 * time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.Shot("failure-" + safeName(what))
		p.t.Fatalf("e2e[%s]: %s: %v\nat %s", p.name, what, err, p.Location())
	}
}

// Go navigates to a path of the app and waits for the page.
func (p *Page) Go(path string) {
	p.t.Helper()
	p.do("go "+path, chromedp.Navigate(p.b.env.URL(path)), chromedp.WaitReady(chromedp.CSS("body")))
}

// Click clicks the first element matching the CSS selector.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndWait clicks and waits for the next page load.
func (p *Page) ClickAndWait(sel string) {
	p.t.Helper()
	before := p.Eval(`String(performance.timeOrigin)`)
	p.Click(sel)
	p.WaitUntil(fmt.Sprintf(`document.readyState === "complete" && String(performance.timeOrigin) !== %q`, before))
}

// Type types text into a field, as a person would.
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	p.do("type into "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Fill replaces a field's value and fires input and change events.
func (p *Page) Fill(sel, value string) {
	p.t.Helper()
	p.do("wait "+sel, chromedp.WaitReady(chromedp.CSS(sel)))
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, value)
	p.Eval(js)
}

// Select chooses an option of a select by its value.
func (p *Page) Select(sel, value string) { p.Fill(sel, value) }

// Text returns the visible text of the first match.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	ctx, cancel := p.timeout(20 * time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.Shot("failure-text")
		p.t.Fatalf("e2e[%s]: text %s: %v", p.name, sel, err)
	}
	return s
}

// HTML returns the page's current HTML.
func (p *Page) HTML() string { return p.Eval(`document.documentElement.outerHTML`) }

// Location returns the current URL.
func (p *Page) Location() string {
	ctx, cancel := p.timeout(5 * time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Location())
	return s
}

// Path returns the path of the current URL.
func (p *Page) Path() string {
	loc := p.Location()
	loc = strings.TrimPrefix(loc, p.b.env.Server.URL)
	if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	return loc
}

// Eval evaluates JavaScript and returns the result as a string.
func (p *Page) Eval(js string) string {
	p.t.Helper()
	ctx, cancel := p.timeout(20 * time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js, awaitPromise))
	if err != nil {
		p.t.Fatalf("e2e[%s]: eval %.80s: %v", p.name, js, err)
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// tryEval is Eval that returns the error instead of failing the test.
func (p *Page) tryEval(js string) (string, error) {
	ctx, cancel := p.timeout(10 * time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js, awaitPromise))
	if err != nil {
		return "", err
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, _ := json.Marshal(v)
	return string(b), nil
}

func awaitPromise(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }

// WaitUntil polls a JavaScript condition until it is true.
func (p *Page) WaitUntil(cond string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		// An evaluation can fail while the page navigates; keep polling.
		ok, err := p.tryEval("!!(" + cond + ")")
		if err == nil && ok == "true" {
			return
		}
		if time.Now().After(deadline) {
			p.Shot("failure-wait")
			p.t.Fatalf("e2e[%s]: condition never held: %s (last error: %v)\nat %s", p.name, cond, err, p.Location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitFor waits until an element matching sel is present.
func (p *Page) WaitFor(sel string) {
	p.t.Helper()
	p.WaitUntil(fmt.Sprintf(`document.querySelector(%q)`, sel))
}

// WaitText waits until the element's text contains want.
func (p *Page) WaitText(sel, want string) {
	p.t.Helper()
	p.WaitUntil(fmt.Sprintf(`(document.querySelector(%q)||{}).innerText && document.querySelector(%q).innerText.includes(%q)`, sel, sel, want))
}

// Count returns how many elements match sel.
func (p *Page) Count(sel string) int {
	var n int
	fmt.Sscan(p.Eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, sel)), &n)
	return n
}

// Shot saves a full-page PNG named after the test and name.
func (p *Page) Shot(name string) string {
	ctx, cancel := p.timeout(20 * time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("e2e: screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(p.b.shots, safeName(p.t.Name())+"-"+safeName(p.name)+"-"+safeName(name)+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Logf("e2e: %v", err)
	}
	return path
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Axe runs axe-core on the current page and fails the test on serious or
// critical WCAG 2.1 A/AA violations.
func (p *Page) Axe() {
	p.t.Helper()
	ctx, cancel := p.timeout(60 * time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		p.t.Fatalf("e2e: load axe: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`, awaitPromise))
	if err != nil {
		p.t.Fatalf("e2e: run axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		p.t.Fatalf("e2e: axe result: %v", err)
	}
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				break
			}
			where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		p.t.Errorf("axe %s on %s: %s (%s)\n  %s", v.Impact, p.Path(), v.ID, v.Help, strings.Join(where, "\n  "))
	}
}

// SignIn signs the page in as u through the sign-in form.
func (p *Page) SignIn(u *models.User) {
	p.t.Helper()
	p.Go("/signin")
	p.Fill(`#f-email`, u.Email)
	p.Fill(`#f-password`, apptest.Password)
	p.ClickAndWait(`[data-testid="signin-form"] button[type="submit"]`)
	if p.Path() == "/signin" {
		p.t.Fatalf("e2e[%s]: sign-in as %s failed", p.name, u.Email)
	}
}

// Viewport sets the tab's viewport, as a phone of that size would.
func (p *Page) Viewport(width, height int64) {
	p.t.Helper()
	p.do(fmt.Sprintf("viewport %dx%d", width, height), chromedp.EmulateViewport(width, height, chromedp.EmulateMobile))
}
