package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestConsoleErrorsAreCaught checks the harness itself: an inline style
// the CSP blocks, a console.error and an uncaught exception are each seen,
// so every browser test fails on them.
func TestConsoleErrorsAreCaught(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	b := Start(t, env)
	p := b.NewPage("visitor")
	p.SignIn(env.CreateUser(models.RoleViewer, "Vera Viewer"))
	p.Go("/")
	p.WaitFor(`[data-testid="home-hero"]`)
	if errs := p.TakeConsoleErrors(); len(errs) > 0 {
		t.Fatalf("home page: console errors: %v", errs)
	}
	p.Eval(`(() => { document.querySelector("main").insertAdjacentHTML("beforeend", '<p style="color: red">inline</p>'); return true })()`)
	p.Eval(`(() => { console.error("boom"); setTimeout(() => { throw new Error("uncaught") }, 0); return true })()`)
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = strings.Join(p.ConsoleErrors(), "\n"); strings.Contains(got, "uncaught") {
			break
		}
	}
	p.TakeConsoleErrors()
	for _, want := range []string{"style-src", "boom", "uncaught"} {
		if !strings.Contains(got, want) {
			t.Errorf("console errors do not mention %q:\n%s", want, got)
		}
	}
}
