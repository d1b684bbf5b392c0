package e2e

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestPhoneLayout opens the home, incident, retro and review checklist
// pages at 390×844 (a common phone): nothing is wider than the screen and
// the main navigation stays one row.
func TestPhoneLayout(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	env := apptest.New(t, db)
	ctx := context.Background()
	fay := env.CreateUser(models.RoleAdmin, "Fay Facilitator")
	inc := retroSetup(t, db, fay)
	retro, err := models.CreateRetro(ctx, db, models.ActorOf(fay, ""), models.NewRetro{Title: "Checkout retro"})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.EnsureBuiltinTemplates(ctx, db); err != nil {
		t.Fatal(err)
	}
	review, err := models.CreateReview(ctx, db, models.ActorOf(fay, ""), models.NewReview{
		Component: "checkout-eu", TemplateKey: "operational-readiness", Title: "Checkout readiness", Facilitator: fay.Email,
	})
	if err != nil {
		t.Fatal(err)
	}

	b := Start(t, env)
	p := b.NewPage("phone")
	p.Viewport(390, 844)
	p.SignIn(fay)
	for _, page := range []struct{ name, path, ready string }{
		{"home", "/", `main h1`},
		{"incident", "/incidents/" + inc.Key(), `main h1`},
		{"retro", "/retros/" + strconv.FormatInt(retro.ID, 10), `main h1`},
		{"checklist", "/reviews/" + strconv.FormatInt(review.ID, 10), `[data-testid="checklist"]`},
	} {
		p.Go(page.path)
		p.WaitFor(page.ready)
		p.Shot(page.name)
		if w, _ := strconv.Atoi(p.Eval(`String(document.documentElement.scrollWidth)`)); w > 390 {
			t.Errorf("%s: page is %d px wide at 390 px: %s", page.name, w, p.Eval(widest))
		}
		if rows := p.Eval(navRows); rows != "1" {
			t.Errorf("%s: the main navigation takes %s rows at 390 px", page.name, rows)
		}
		if bad := p.Eval(headerMisfits); bad != "" {
			t.Errorf("%s: header entries off screen or wrapped at 390 px: %s", page.name, bad)
		}
	}
}

// navRows counts the rows the visible main navigation entries take.
const navRows = `String(new Set([...document.querySelectorAll('nav[aria-label="Main"] li')]
	.filter(li => li.getClientRects().length > 0)
	.map(li => Math.round(li.getBoundingClientRect().top))).size)`

// headerMisfits lists the header's links and buttons that reach past the
// screen's edges or whose label breaks over two lines.
const headerMisfits = `[...document.querySelectorAll(".site-header a:not(.brand), .site-header button")]
	.filter(e => e.getClientRects().length > 0)
	.filter(e => {
		const b = e.getBoundingClientRect(), r = document.createRange();
		r.selectNodeContents(e);
		const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
		return b.left < 0 || b.right > window.innerWidth || lines > 1;
	})
	.map(e => e.textContent.trim() + " " + Math.round(e.getBoundingClientRect().left) + "–" + Math.round(e.getBoundingClientRect().right)).join(", ")`

// widest names the elements that stick out to the right of the screen.
var widest = fmt.Sprintf(`[...document.querySelectorAll("body *")]
	.filter(e => e.getBoundingClientRect().right > %d && getComputedStyle(e).position !== "fixed")
	.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`, 390)
