package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/notify/notifytest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

var testActor = models.SystemActor("test")

func TestReadinessConsidersRiverMigrations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c := env.Client()
		c.Get("/readyz").Expect(t, http.StatusOK)
		if err := db.Exec("DELETE FROM river_migration WHERE version = (SELECT MAX(version) FROM river_migration)").Error; err != nil {
			t.Fatal(err)
		}
		r := c.Get("/readyz").Expect(t, http.StatusServiceUnavailable)
		if !strings.Contains(r.Body, "debrief migrate") {
			t.Fatalf("readyz: %s", r.Body)
		}
	})
}

// TestFailedDeliveryIsVisibleAndRetried: a rejected mail shows up as failed
// on the admin page with its error; an admin retries it and it is sent.
func TestFailedDeliveryIsVisibleAndRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		srv := notifytest.NewSMTPServer(t)
		env := apptest.New(t, db, apptest.WithMailer(srv.Mailer("debrief@example.com")))
		admin, _ := env.As(models.RoleAdmin)
		member, owner := env.As(models.RoleMember)

		srv.RejectNext(1, 554)
		d, _, err := notify.ToUser(ctx, db, env.Jobs, owner, notify.Message{Key: "reminder:item:9:due", Kind: models.DeliveryKindReminder, Subject: "Rotate certificates is due"})
		if err != nil {
			t.Fatal(err)
		}
		jobstest.Drain(t, env.Jobs)
		if _, _, err := notify.ToUser(ctx, db, env.Jobs, owner, notify.Message{Key: "digest:w1", Kind: models.DeliveryKindDigest, Subject: "Weekly digest"}); err != nil {
			t.Fatal(err)
		}
		jobstest.Drain(t, env.Jobs)

		member.Get("/admin/deliveries").Expect(t, http.StatusForbidden)
		doc := admin.Get("/admin/deliveries?status=failed").Expect(t, http.StatusOK).Doc(t)
		rows := doc.Find(apptest.TestID("delivery"))
		if rows.Length() != 1 || !strings.Contains(rows.Text(), "Rotate certificates is due") || !strings.Contains(rows.Find(apptest.TestID("delivery-error")).Text(), "554") {
			t.Fatalf("failed list: %d rows: %s", rows.Length(), rows.Text())
		}
		if got := strings.TrimSpace(doc.Find(apptest.TestID("count-failed") + " .value").Text()); got != "1" {
			t.Fatalf("failed count %q", got)
		}
		if rows.Find(apptest.TestID("retry")).Length() != 1 {
			t.Fatal("no retry button")
		}
		all := admin.Get("/admin/deliveries").Expect(t, http.StatusOK).Doc(t)
		if n := all.Find(apptest.TestID("delivery")).Length(); n != 2 {
			t.Fatalf("all: %d rows", n)
		}
		if n := admin.Get("/admin/deliveries?q=weekly&channel=email").Expect(t, http.StatusOK).Doc(t).Find(apptest.TestID("delivery")).Length(); n != 1 {
			t.Fatalf("search: %d rows", n)
		}

		admin.Form("/admin/deliveries/"+itoa(d.ID)+"/retry", nil).Expect(t, http.StatusSeeOther)
		admin.Form("/admin/deliveries/"+itoa(d.ID)+"/retry", nil).Expect(t, http.StatusConflict)
		jobstest.Drain(t, env.Jobs)
		got, _ := models.GetDelivery(ctx, db, d.ID)
		if got.Status != models.DeliverySent || got.Attempts != 2 {
			t.Fatalf("after retry: %+v", got)
		}
		if n := len(srv.Messages()); n != 2 {
			t.Fatalf("SMTP server got %d mails, want 2", n)
		}
		entries, _ := models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "delivery"})
		if len(entries) != 1 {
			t.Fatalf("retry not audited: %d", len(entries))
		}
	})
}

func TestTeamTargetsAndTestMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		srv := notifytest.NewSMTPServer(t)
		env := apptest.New(t, db, apptest.AllowPrivateWebhooks(), apptest.WithMailer(srv.Mailer("Debrief <debrief@example.com>")))
		admin, me := env.As(models.RoleAdmin)
		team, err := models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Storage", Slug: "storage"})
		if err != nil {
			t.Fatal(err)
		}
		doc := admin.Get("/admin/notifications").Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("mail-settings")).Text(), "debrief@example.com") {
			t.Fatal("mail settings not shown")
		}
		path := "/admin/notifications/teams/" + itoa(team.ID)
		r := admin.Form(path, url.Values{"slack_webhook_url": {"not a url"}, "webhook_url": {""}}).Expect(t, http.StatusUnprocessableEntity)
		form := r.Doc(t).Find(apptest.TestID("team-targets-storage"))
		if form.Find(apptest.TestID("error-slack_webhook_url")).Length() != 1 || form.Find(`input[name="slack_webhook_url"]`).AttrOr("value", "") != "not a url" {
			t.Fatalf("422 form: %s", form.Text())
		}
		rcv := notifytest.NewReceiver(t)
		admin.Form(path, url.Values{"slack_webhook_url": {rcv.URL + "/hook"}}).Expect(t, http.StatusSeeOther)
		got, _ := models.GetTeam(ctx, db, team.ID)
		if got.SlackWebhookURL == nil || *got.SlackWebhookURL != rcv.URL+"/hook" {
			t.Fatalf("stored %+v", got)
		}

		// A generic webhook gets a signing secret, which an admin can replace.
		admin.Form(path, url.Values{"slack_webhook_url": {rcv.URL + "/hook"}, "webhook_url": {"https://example.com/hook"}}).Expect(t, http.StatusSeeOther)
		before, _ := models.GetTeam(ctx, db, team.ID)
		if before.WebhookSecret == nil || !strings.Contains(admin.Get("/admin/notifications").Body, *before.WebhookSecret) {
			t.Fatal("secret not shown to the admin")
		}
		admin.Form(path+"/secret", nil).Expect(t, http.StatusSeeOther)
		after, _ := models.GetTeam(ctx, db, team.ID)
		if *after.WebhookSecret == *before.WebhookSecret {
			t.Fatal("secret not rotated")
		}
		admin.Form(path, url.Values{"slack_webhook_url": {rcv.URL + "/hook"}}).Expect(t, http.StatusSeeOther)
		// Without a webhook there is no secret to replace: said at the field.
		r = admin.Form(path+"/secret", nil).Expect(t, http.StatusUnprocessableEntity)
		if form := r.Doc(t).Find(apptest.TestID("team-targets-storage")); form.Find(apptest.TestID("error-webhook_url")).Length() != 1 ||
			form.Find(`input[name="slack_webhook_url"]`).AttrOr("value", "") != rcv.URL+"/hook" {
			t.Fatalf("secret without a webhook: %s", form.Text())
		}

		admin.Form("/admin/notifications/test", url.Values{"target": {"team:" + itoa(team.ID)}}).Expect(t, http.StatusSeeOther)
		admin.Form("/admin/notifications/test", url.Values{"target": {"me"}}).Expect(t, http.StatusSeeOther)
		jobstest.Drain(t, env.Jobs)
		if len(rcv.Posts()) != 1 || !strings.Contains(string(rcv.Posts()[0].Body), "Test message from Debrief") {
			t.Fatalf("slack posts: %d", len(rcv.Posts()))
		}
		if m := srv.Messages(); len(m) != 1 || m[0].To[0] != me.Email {
			t.Fatalf("test mail: %+v", m)
		}
	})
}

func TestMuteRemindersToggle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, u := env.As(models.RoleViewer)
		doc := c.Get("/account/notifications").Expect(t, http.StatusOK).Doc(t)
		if s := strings.TrimSpace(doc.Find(apptest.TestID("reminders-state")).Text()); s != "On" {
			t.Fatalf("state %q", s)
		}
		r := c.Form("/account/notifications/mute", url.Values{"mute": {"true"}, "next": {"/account/notifications"}}).Expect(t, http.StatusSeeOther)
		if r.Header.Get("Location") != "/account/notifications" {
			t.Fatalf("location %q", r.Header.Get("Location"))
		}
		got, _ := models.GetUser(context.Background(), db, u.ID)
		if !got.MuteReminders {
			t.Fatal("not muted")
		}
		doc = c.Get("/account/notifications").Expect(t, http.StatusOK).Doc(t)
		if s := strings.TrimSpace(doc.Find(apptest.TestID("reminders-state")).Text()); s != "Muted" {
			t.Fatalf("state %q", s)
		}
		// An off-site next is not followed.
		r = c.Form("/account/notifications/mute", url.Values{"mute": {"false"}, "next": {"//evil.example.com"}}).Expect(t, http.StatusSeeOther)
		if r.Header.Get("Location") != "/account/notifications" {
			t.Fatalf("location %q", r.Header.Get("Location"))
		}
	})
}

func TestCalendarFeedURL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleMember)
		c.Form("/account/calendar", url.Values{"next": {"/account/notifications"}}).Expect(t, http.StatusSeeOther)
		doc := c.Get("/account/notifications").Expect(t, http.StatusOK).Doc(t)
		feedURL := doc.Find(apptest.TestID("calendar-url")).AttrOr("value", "")
		if !strings.HasPrefix(feedURL, "http") || !strings.HasSuffix(feedURL, ".ics") {
			t.Fatalf("feed URL %q", feedURL)
		}
		// Shown once only.
		if c.Get("/account/notifications").Doc(t).Find(apptest.TestID("calendar-url")).Length() != 0 {
			t.Fatal("feed URL shown twice")
		}
		u, _ := url.Parse(feedURL)
		anon := env.Client() // a calendar app: no session
		r := anon.Get(u.Path).Expect(t, http.StatusOK)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("content type %q", r.Header.Get("Content-Type"))
		}
		cal, err := goical.NewDecoder(strings.NewReader(r.Body)).Decode()
		if err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, r.Body)
		}
		if n := len(cal.Events()); n != 0 {
			t.Fatalf("%d events before action items exist", n)
		}
		anon.Get(strings.TrimSuffix(u.Path, ".ics")).Expect(t, http.StatusNotFound)
		anon.Get("/calendar/cal_unknown.ics").Expect(t, http.StatusNotFound)

		// A new link replaces the old; turning it off ends both.
		c.Form("/account/calendar", nil).Expect(t, http.StatusSeeOther)
		anon.Get(u.Path).Expect(t, http.StatusNotFound)
		second := c.Get("/account/notifications").Doc(t).Find(apptest.TestID("calendar-url")).AttrOr("value", "")
		u2, _ := url.Parse(second)
		anon.Get(u2.Path).Expect(t, http.StatusOK)
		c.Form("/account/calendar/revoke", nil).Expect(t, http.StatusSeeOther)
		anon.Get(u2.Path).Expect(t, http.StatusNotFound)
	})
}
