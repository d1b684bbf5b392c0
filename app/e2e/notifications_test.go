package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/app/notify/notifytest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestAdminSeesAndRetriesFailedDeliveries: an admin points a team at a
// chat webhook that is down, sends a test message, finds it failed on the
// deliveries page with the receiver's answer, and retries it once the
// receiver is back.
func TestAdminSeesAndRetriesFailedDeliveries(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		db := dbtest.New(t, dialect)
		srv := notifytest.NewSMTPServer(t)
		env := apptest.New(t, db, apptest.AllowPrivateWebhooks(), apptest.WithMailer(srv.Mailer("Debrief <debrief@example.com>")))
		if _, err := models.CreateTeam(context.Background(), db, models.SystemActor("test"), models.NewTeam{Name: "Payments SRE", Slug: "payments-sre"}); err != nil {
			t.Fatal(err)
		}
		rcv := notifytest.NewReceiver(t)
		rcv.FailNext(100, http.StatusServiceUnavailable)

		b := Start(t, env)
		p := b.NewPage("admin")
		p.SignIn(env.CreateUser(models.RoleAdmin, "Ada Admin"))
		p.Go("/admin/notifications")
		p.WaitFor(`[data-testid="team-targets-payments-sre"]`)
		p.Fill(`[data-testid="team-targets-payments-sre"] input[name="slack_webhook_url"]`, "ftp://files.example.com/hook")
		p.ClickAndWait(`[data-testid="team-targets-payments-sre"] button.btn-primary`)
		p.WaitFor(`[data-testid="error-slack_webhook_url"]`)
		p.Shot("team-target-invalid")
		p.Fill(`[data-testid="team-targets-payments-sre"] input[name="slack_webhook_url"]`, rcv.URL+"/services/T0/B0")
		p.ClickAndWait(`[data-testid="team-targets-payments-sre"] button.btn-primary`)
		p.WaitText(`[role="status"]`, "Saved the notification targets of Payments SRE.")
		p.Shot("notification-settings")
		p.Axe()

		p.ClickAndWait(`[data-testid="team-targets-payments-sre"] button[name="target"]`)
		if got := p.Path(); got != "/admin/deliveries" {
			t.Fatalf("after test message: at %s", got)
		}
		jobstest.Drain(t, env.Jobs)
		p.Go("/admin/deliveries?status=failed")
		p.WaitFor(`[data-testid="delivery"][data-status="failed"]`)
		if e := p.Text(`[data-testid="delivery-error"]`); !strings.Contains(e, "503") {
			t.Fatalf("error shown: %q", e)
		}
		p.Shot("deliveries-failed")
		p.Axe()

		rcv.Heal()
		p.ClickAndWait(`[data-testid="retry"]`)
		jobstest.Drain(t, env.Jobs)
		p.Go("/admin/deliveries")
		p.WaitFor(`[data-testid="delivery"][data-status="sent"]`)
		if n := p.Count(`[data-testid="delivery"][data-status="failed"]`); n != 0 {
			t.Fatalf("%d still failed", n)
		}
		p.Shot("deliveries-after-retry")
		if n := len(rcv.Accepted()); n != 1 {
			t.Fatalf("receiver accepted %d posts, want 1", n)
		}
	})
}

// TestUserMutesRemindersAndSubscribesToCalendar: a member mutes reminders,
// makes a calendar link that a calendar app can read, and turns it off.
func TestUserMutesRemindersAndSubscribesToCalendar(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		db := dbtest.New(t, dialect)
		env := apptest.New(t, db)
		u := env.CreateUser(models.RoleMember, "Sam Owner")
		b := Start(t, env)
		p := b.NewPage("member")
		p.SignIn(u)
		p.Go("/account/notifications")
		p.WaitFor(`[data-testid="reminders"]`)
		p.Shot("account-notifications")
		p.Axe()

		p.ClickAndWait(`[data-testid="mute-toggle"]`)
		p.WaitText(`[data-testid="reminders-state"]`, "Muted")
		if got, _ := models.GetUser(context.Background(), db, u.ID); !got.MuteReminders {
			t.Fatal("not muted in the database")
		}

		p.ClickAndWait(`[data-testid="calendar-new"]`)
		p.WaitFor(`[data-testid="calendar-url"]`)
		feed := p.Eval(`document.querySelector('[data-testid="calendar-url"]').value`)
		p.Shot("calendar-link")
		p.Axe()
		res, err := http.Get(feed)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}

		p.ClickAndWait(`[data-testid="calendar-revoke"]`)
		p.WaitText(`[role="status"]`, "no longer works")
		p.Shot("calendar-revoked")
		res, err = http.Get(feed)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("revoked feed: %d", res.StatusCode)
		}
	})
}
