package e2e

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/live"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestLiveUpdatesCheck: two admins open the live updates page in their own
// browsers; each sees the other arrive and leave, and a test event sent by
// one appears in both, through htmx's SSE extension.
func TestLiveUpdatesCheck(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect))
		b := Start(t, env)
		ada, bob := b.NewPage("ada"), b.NewPage("bob")
		ada.SignIn(env.CreateUser(models.RoleAdmin, "Ada Admin"))
		bob.SignIn(env.CreateUser(models.RoleAdmin, "Bob Admin"))

		ada.Go("/admin/live")
		ada.WaitText(`[data-testid="live-presence"]`, "Ada Admin")
		bob.Go("/admin/live")
		bob.WaitText(`[data-testid="live-presence"]`, "Ada Admin")
		ada.WaitText(`[data-testid="live-presence"]`, "Bob Admin")

		ada.Click(`[data-testid="live-ping"]`)
		ada.WaitText(`#live-ping-status`, "Sent test event")
		for _, p := range []*Page{ada, bob} {
			p.WaitText(`[data-testid="live-pings"]`, "reached this stream after")
		}
		bob.Click(`[data-testid="live-ping"]`)
		ada.WaitUntil(`document.querySelectorAll('[data-testid="live-ping-item"]').length === 2`)
		ada.Shot("live-check")
		ada.Axe()

		// Bob leaves the page: Ada's list drops him.
		bob.Go("/")
		ada.WaitUntil(`!document.querySelector('[data-testid="live-presence"]').innerText.includes("Bob Admin")`)
		ada.Shot("live-check-after-bob-left")
	})
}

// TestRevokedViewerLeavesTheLivePage: an admin watching a live page whose
// role is taken away by another admin is sent to the sign-in page by the
// stream itself within a heartbeat, without touching the page.
func TestRevokedViewerLeavesTheLivePage(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		env := apptest.New(t, dbtest.New(t, dialect), func(_ *app.Config, d *app.Deps) {
			d.Live = live.Options{Heartbeat: 200 * time.Millisecond}
		})
		b := Start(t, env)
		adaU := env.CreateUser(models.RoleAdmin, "Ada Admin")
		ada := b.NewPage("ada")
		ada.SignIn(adaU)
		ada.Go("/admin/live")
		ada.WaitText(`[data-testid="live-presence"]`, "Ada Admin")

		bob := env.Client().SignIn(env.CreateUser(models.RoleAdmin, "Bob Admin"))
		bob.Form("/admin/users/"+strconv.FormatInt(adaU.ID, 10), url.Values{"name": {adaU.Name}, "role": {"member"}}).Expect(t, http.StatusSeeOther)
		ada.WaitUntil(`location.pathname === "/signin"`)
	})
}
