package app_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/followup"
	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/notify/notifytest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// reminderWorld: a team whose chat webhook is an httptest receiver, an
// owner in UTC and items at every moment relative to today.
type reminderWorld struct {
	team         *models.Team
	owner, muted *models.User
	want         []string // subjects the owner must get
}

func seedReminders(t *testing.T, db *gorm.DB, env *apptest.Env, rcvURL string) *reminderWorld {
	t.Helper()
	ctx := context.Background()
	// Reminders from midnight, so the test does not depend on the hour it runs.
	if err := models.SaveReminderSettings(ctx, db, testActor, models.ReminderSettings{DaysBefore: 3, Hour: 0}); err != nil {
		t.Fatal(err)
	}
	w := &reminderWorld{}
	var err error
	if w.team, err = models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Storage", Slug: "storage"}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetTeamTargets(ctx, db, testActor, w.team.ID, models.TeamTargets{SlackWebhookURL: rcvURL + "/hook", AllowPrivate: true}); err != nil {
		t.Fatal(err)
	}
	w.owner = env.CreateUser(models.RoleMember, "Olive Owner")
	w.muted = env.CreateUser(models.RoleMember, "Mo Muted")
	if err := models.SetMuteReminders(ctx, db, testActor, w.muted.ID, true); err != nil {
		t.Fatal(err)
	}
	mine := func(title string, due int, status string) {
		a := item(t, db, models.ActionItemInput{Title: title, Owner: w.owner.Email, Team: "storage", DueDate: day(due)})
		if status != "" {
			setStatus(t, db, a.ID, status, "reason")
		}
	}
	mine("Due in three days", 3, "")
	mine("Due today", 0, "")
	mine("Was due yesterday", -1, models.ActionBlocked)
	mine("Due in two days", 2, "")     // inside the 3-day window: "before"
	mine("Due in ten days", 10, "")    // not yet
	mine("Overdue for weeks", -20, "") // the weekly digest's business
	mine("Closed but due today", 0, models.ActionDone)
	item(t, db, models.ActionItemInput{Title: "No due date", Owner: w.owner.Email})
	item(t, db, models.ActionItemInput{Title: "Nobody owns it", DueDate: day(0), Team: "storage"})
	item(t, db, models.ActionItemInput{Title: "Muted owner's item", Owner: w.muted.Email, DueDate: day(0), Team: "storage"})
	w.want = []string{"Due in 3 days: Due in three days", "Due today: Due today", "Overdue: Was due yesterday", "Due in 2 days: Due in two days"}
	return w
}

func subjects(msgs []notifytest.Received) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Subject)
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// TestRemindersReachOwnersExactlyOnce: the reminder job mails each owner
// once per item and moment (before, on, after the due date), posts the
// same to the team's chat webhook, skips muted owners, and running it
// again sends nothing more.
func TestRemindersReachOwnersExactlyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		smtpSrv := notifytest.NewSMTPServer(t)
		rcv := notifytest.NewReceiver(t)
		env := apptest.New(t, db, apptest.AllowPrivateWebhooks(), apptest.WithMailer(smtpSrv.Mailer("Debrief <debrief@example.com>")))
		w := seedReminders(t, db, env, rcv.URL)

		for i := 0; i < 3; i++ { // the hourly pass, again and again
			if _, err := env.Jobs.Insert(ctx, followup.RemindArgs{}, nil); err != nil {
				t.Fatal(err)
			}
			jobstest.Drain(t, env.Jobs)
		}
		msgs := smtpSrv.Messages()
		if got := subjects(msgs); strings.Join(got, "|") != strings.Join(sorted(w.want), "|") {
			t.Fatalf("mails %q\nwant  %q", got, sorted(w.want))
		}
		for _, m := range msgs {
			if len(m.To) != 1 || m.To[0] != w.owner.Email || !strings.Contains(m.Text, "http://debrief.test/action-items/") {
				t.Errorf("mail %q to %v:\n%s", m.Subject, m.To, m.Text)
			}
		}
		if posts := rcv.Accepted(); len(posts) != len(w.want) {
			t.Errorf("%d chat posts, want %d", len(posts), len(w.want))
		} else {
			for _, p := range posts {
				if !strings.Contains(string(p.Body), "(Olive Owner)") {
					t.Errorf("post %s", p.Body)
				}
			}
		}
		// The muted owner's reminder is recorded as skipped, not sent.
		skipped, err := models.ListDeliveries(ctx, db, models.DeliveryFilter{Status: models.DeliverySkipped})
		if err != nil || len(skipped) != 1 || skipped[0].Recipient != w.muted.Email {
			t.Fatalf("skipped %+v %v", skipped, err)
		}
		// The item page lists its reminders.
		c, _ := env.As(models.RoleViewer)
		items, _ := models.FindActionItems(ctx, db, models.ActionQuery{Text: "Due today"})
		doc := c.Get("/action-items/"+itoa(items[0].ID)).Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("reminders")).Text(), "On the due date") {
			t.Error("reminder not shown on the item")
		}

		// A new due date is a new moment: one more reminder.
		soon := must(models.FindActionItems(ctx, db, models.ActionQuery{Text: "Due in ten days"}))[0]
		if _, err := models.UpdateActionItem(ctx, db, testActor, soon.ID, soon.Version, models.ActionItemInput{
			Title: soon.Title, Owner: w.owner.Email, Team: "storage", DueDate: day(1)}); err != nil {
			t.Fatal(err)
		}
		env.Jobs.Insert(ctx, followup.RemindArgs{}, nil)
		jobstest.Drain(t, env.Jobs)
		if n := len(smtpSrv.Messages()); n != len(w.want)+1 {
			t.Errorf("%d mails after moving a due date, want %d", n, len(w.want)+1)
		}
	})
}

// followupQueue is a process's job queue with the notification and
// follow-up workers, as `debrief serve` builds it.
func followupQueue(t *testing.T, db *gorm.DB, mailer *notify.Mailer) *jobs.Queue {
	workers := river.NewWorkers()
	notify.AddWorkers(workers, notify.Config{DB: db, Mailer: mailer, Logger: apptest.TestLogger(t), AllowPrivate: true})
	followup.AddWorkers(workers, followup.Config{DB: db, BaseURL: "http://debrief.test", Logger: apptest.TestLogger(t)})
	return jobstest.New(t, db, workers, nil)
}

// TestReminderRestartNeitherLosesNorDuplicates: reminders scheduled by one
// process that stops before sending them are sent by the next one, once,
// even though the next one schedules again.
func TestReminderRestartNeitherLosesNorDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		smtpSrv := notifytest.NewSMTPServer(t)
		rcv := notifytest.NewReceiver(t)
		env := apptest.New(t, db, apptest.AllowPrivateWebhooks())
		w := seedReminders(t, db, env, rcv.URL)
		cfg := followup.Config{DB: db, BaseURL: "http://debrief.test"}

		first := followupQueue(t, db, smtpSrv.Mailer("debrief@example.com"))
		n, err := followup.ScheduleReminders(ctx, cfg, first, time.Now())
		if err != nil || n != len(w.want)+1 { // + the muted owner's, which is skipped when sent
			t.Fatalf("scheduled %d, %v", n, err)
		}
		if err := first.Close(); err != nil { // the process ends before any job ran
			t.Fatal(err)
		}
		if len(smtpSrv.Messages()) != 0 {
			t.Fatal("sent before the restart")
		}

		second := followupQueue(t, db, smtpSrv.Mailer("debrief@example.com"))
		if n, err := followup.ScheduleReminders(ctx, cfg, second, time.Now()); err != nil || n != 0 {
			t.Fatalf("after the restart scheduled %d again, %v", n, err)
		}
		jobstest.Drain(t, second)
		if got := subjects(smtpSrv.Messages()); strings.Join(got, "|") != strings.Join(sorted(w.want), "|") {
			t.Fatalf("mails %q, want %q", got, sorted(w.want))
		}
		if len(rcv.Accepted()) != len(w.want) {
			t.Fatalf("%d posts, want %d", len(rcv.Accepted()), len(w.want))
		}
	})
}

// TestFailingReceiversAreRetried: a mail server that answers 451 and a
// chat webhook that answers 503 get the reminder on a later attempt, once;
// a receiver that never recovers leaves a failed delivery admins see.
func TestFailingReceiversAreRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		smtpSrv := notifytest.NewSMTPServer(t)
		rcv := notifytest.NewReceiver(t)
		env := apptest.New(t, db, apptest.AllowPrivateWebhooks(), apptest.WithMailer(smtpSrv.Mailer("debrief@example.com")))
		w := seedReminders(t, db, env, rcv.URL)
		smtpSrv.RejectNext(2, 451)
		rcv.FailNext(3, http.StatusServiceUnavailable)
		env.Jobs.Insert(ctx, followup.RemindArgs{}, nil)
		jobstest.Drain(t, env.Jobs)
		if got := subjects(smtpSrv.Messages()); strings.Join(got, "|") != strings.Join(sorted(w.want), "|") {
			t.Fatalf("mails %q", got)
		}
		if len(rcv.Accepted()) != len(w.want) || len(rcv.Posts()) != len(w.want)+3 {
			t.Fatalf("posts: %d accepted of %d", len(rcv.Accepted()), len(rcv.Posts()))
		}
		retried, _ := models.ListDeliveries(ctx, db, models.DeliveryFilter{Status: models.DeliverySent})
		attempts := 0
		for _, d := range retried {
			attempts += d.Attempts
		}
		if attempts != 2*len(w.want)+2+3 {
			t.Errorf("%d attempts for %d sent deliveries", attempts, len(retried))
		}

		// The team webhook goes away for good: the next reminder fails visibly.
		rcv.FailNext(1000, http.StatusBadGateway)
		item(t, db, models.ActionItemInput{Title: "Another one due today", Owner: w.owner.Email, Team: "storage", DueDate: day(0)})
		env.Jobs.Insert(ctx, followup.RemindArgs{}, nil)
		jobstest.Drain(t, env.Jobs)
		failed, _ := models.ListDeliveries(ctx, db, models.DeliveryFilter{Status: models.DeliveryFailed})
		if len(failed) != 1 || failed[0].Channel != models.ChannelSlack || failed[0].Attempts != notify.DefaultMaxAttempts {
			t.Fatalf("failed %+v", failed)
		}
		admin, _ := env.As(models.RoleAdmin)
		if !strings.Contains(admin.Get("/admin/deliveries?status=failed").Body, "Due today: Another one due today") {
			t.Error("failed reminder not on the deliveries page")
		}
	})
}

// TestWeeklyDigestGoesToManagers: each manager of a team with overdue
// items gets one digest a week listing them, the team channel gets it too;
// members who do not manage get none, and neither do teams with nothing
// overdue.
func TestWeeklyDigestGoesToManagers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		smtpSrv := notifytest.NewSMTPServer(t)
		rcv := notifytest.NewReceiver(t)
		env := apptest.New(t, db, apptest.AllowPrivateWebhooks(), apptest.WithMailer(smtpSrv.Mailer("debrief@example.com")))
		boss := env.CreateUser(models.RoleMember, "Bea Boss")
		boss2 := env.CreateUser(models.RoleMember, "Cal Chief")
		dev := env.CreateUser(models.RoleMember, "Dev Eloper")
		if err := models.SetMuteReminders(ctx, db, testActor, boss2.ID, true); err != nil { // digests still come
			t.Fatal(err)
		}
		team, err := models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Storage", Slug: "storage",
			Members: []string{dev.Email}, Managers: []string{boss.Email, boss2.Email}})
		if err != nil {
			t.Fatal(err)
		}
		models.SetTeamTargets(ctx, db, testActor, team.ID, models.TeamTargets{SlackWebhookURL: rcv.URL + "/hook", AllowPrivate: true})
		if _, err := models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Calm", Slug: "calm", Managers: []string{boss.Email}}); err != nil {
			t.Fatal(err)
		}
		item(t, db, models.ActionItemInput{Title: "Fix the backups", Owner: dev.Email, Team: "storage", DueDate: day(-12)})
		item(t, db, models.ActionItemInput{Title: "Add the alert", Team: "storage", DueDate: day(-1)})
		item(t, db, models.ActionItemInput{Title: "Not yet due", Team: "storage", DueDate: day(5)})
		item(t, db, models.ActionItemInput{Title: "Calm team, due later", Team: "calm", DueDate: day(5)})

		for i := 0; i < 2; i++ { // the same week twice: still one digest
			env.Jobs.Insert(ctx, followup.DigestArgs{}, nil)
			jobstest.Drain(t, env.Jobs)
		}
		msgs := smtpSrv.Messages()
		var to []string
		for _, m := range msgs {
			to = append(to, m.To...)
			if m.Subject != "Storage: 2 action items overdue this week" || !strings.Contains(m.Text, "Fix the backups — Dev Eloper") ||
				!strings.Contains(m.Text, "Add the alert — nobody") || strings.Contains(m.Text, "Not yet due") ||
				!strings.Contains(m.Text, "/action-items/dashboard?team=storage") {
				t.Errorf("digest %q:\n%s", m.Subject, m.Text)
			}
		}
		if strings.Join(sorted(to), ",") != strings.Join(sorted([]string{boss.Email, boss2.Email}), ",") {
			t.Fatalf("digests to %v", to)
		}
		if len(rcv.Accepted()) != 1 {
			t.Fatalf("%d team posts", len(rcv.Accepted()))
		}
	})
}

// TestReminderSettingsPage: admins set the days before and the hour.
func TestReminderSettingsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		admin, _ := env.As(models.RoleAdmin)
		member, _ := env.As(models.RoleMember)
		member.Get("/admin/reminders").Expect(t, http.StatusForbidden)
		doc := admin.Get("/admin/reminders").Expect(t, http.StatusOK).Doc(t)
		if doc.Find(`input[name="days_before"]`).AttrOr("value", "") != "3" {
			t.Fatal("default days not shown")
		}
		r := admin.Form("/admin/reminders", url.Values{"days_before": {"45"}, "hour": {"x"}}).Expect(t, http.StatusUnprocessableEntity)
		doc = r.Doc(t)
		if doc.Find(apptest.TestID("error-hour")).Length() != 1 || doc.Find(`input[name="days_before"]`).AttrOr("value", "") != "45" {
			t.Fatal("bad input not kept with messages")
		}
		r = admin.Form("/admin/reminders", url.Values{"days_before": {"45"}, "hour": {"8"}}).Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-days_before")).Length() != 1 {
			t.Fatal("45 days accepted")
		}
		admin.Form("/admin/reminders", url.Values{"days_before": {"5"}, "hour": {"8"}}).Expect(t, http.StatusSeeOther)
		s, _ := models.GetReminderSettings(context.Background(), db)
		if s.DaysBefore != 5 || s.Hour != 8 {
			t.Fatalf("stored %+v", s)
		}
	})
}

// TestMessageLinksMatchRoutes keeps the links in reminders and digests
// equal to the app's routes.
func TestMessageLinksMatchRoutes(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	if got, want := followup.ItemPath(42), env.App.Path("actions.show", 42); got != want {
		t.Errorf("item link %q, route %q", got, want)
	}
	if got, want := followup.DashboardPath("storage"), env.App.Path("actions.dashboard")+"?team=storage"; got != want {
		t.Errorf("dashboard link %q, route %q", got, want)
	}
}
