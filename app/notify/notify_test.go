package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/notify/notifytest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

const from = "Debrief <debrief@example.com>"

var sys = models.SystemActor("test")

// fixture is one "process": a queue with the delivery worker.
type fixture struct {
	t    *testing.T
	db   *gorm.DB
	q    *jobs.Queue
	smtp *notifytest.SMTPServer
}

func newFixture(t *testing.T, db *gorm.DB, smtp *notifytest.SMTPServer, now func() time.Time) *fixture {
	w := river.NewWorkers()
	// The receivers listen on 127.0.0.1.
	cfg := notify.Config{DB: db, Logger: apptest.TestLogger(t), AllowPrivate: true}
	if smtp != nil {
		cfg.Mailer = smtp.Mailer(from)
	}
	notify.AddWorkers(w, cfg)
	return &fixture{t: t, db: db, q: jobstest.New(t, db, w, now), smtp: smtp}
}

func (f *fixture) user(email string) *models.User {
	f.t.Helper()
	u, err := models.CreateUser(context.Background(), f.db, sys, models.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: models.RoleMember}, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) toUser(u *models.User, m notify.Message) *models.Delivery {
	f.t.Helper()
	var d *models.Delivery
	err := f.db.Transaction(func(tx *gorm.DB) error {
		var err error
		d, _, err = notify.ToUser(context.Background(), tx, f.q, u, m)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) delivery(id int64) *models.Delivery {
	f.t.Helper()
	d, err := models.GetDelivery(context.Background(), f.db, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func reminder(item int, moment string) notify.Message {
	return notify.Message{
		Key:     notify.Key("reminder", "item", item, "moment", moment),
		Kind:    models.DeliveryKindReminder,
		Subject: fmt.Sprintf("Item %d is due (%s)", item, moment),
		Text:    "The action item you own is due.",
		Link:    fmt.Sprintf("https://debrief.example.com/action-items/%d", item),
	}
}

func subjects(msgs []notifytest.Received) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To[0]+" "+m.Subject)
	}
	return out
}

func TestMailIsSentExactlyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := notifytest.NewSMTPServer(t)
		f := newFixture(t, db, srv, nil)
		ada, bob := f.user("ada@example.com"), f.user("bob@example.com")
		d := f.toUser(ada, reminder(1, "due"))
		f.toUser(ada, reminder(1, "due")) // duplicate enqueue: nothing new
		f.toUser(bob, notify.Message{Key: notify.Key("digest", "week", "2026-W10"), Kind: models.DeliveryKindDigest, Subject: "Weekly digest", Text: "3 items are overdue."})
		jobstest.Drain(t, f.q)
		f.toUser(ada, reminder(1, "due")) // after sending: still nothing new
		jobstest.Drain(t, f.q)

		got := subjects(srv.Messages())
		want := []string{"ada@example.com Item 1 is due (due)", "bob@example.com Weekly digest"}
		if strings.Join(got, "|") != strings.Join(want, "|") && strings.Join(got, "|") != want[1]+"|"+want[0] {
			t.Fatalf("mails: %q, want %q", got, want)
		}
		for _, m := range srv.Messages() {
			if m.From != "debrief@example.com" || m.Header.Get("Auto-Submitted") != "auto-generated" || m.MessageID == "" {
				t.Errorf("headers: from %q, %v", m.From, m.Header)
			}
			if m.To[0] == ada.Email && !strings.Contains(m.Text, "https://debrief.example.com/action-items/1") {
				t.Errorf("body lacks the link: %q", m.Text)
			}
		}
		if got := f.delivery(d.ID); got.Status != models.DeliverySent || got.Attempts != 1 || got.SentAt == nil {
			t.Fatalf("delivery: %+v", got)
		}
	})
}

func TestSTARTTLSAndAuthentication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := notifytest.NewSMTPServer(t, notifytest.WithSTARTTLS(), notifytest.WithAuth("debrief", "s3cret pass"))
		f := newFixture(t, db, srv, nil)
		f.toUser(f.user("tls@example.com"), reminder(7, "due"))
		jobstest.Drain(t, f.q)
		msgs := srv.Messages()
		if len(msgs) != 1 || !msgs[0].TLS || msgs[0].Auth != "debrief" {
			t.Fatalf("want one mail over TLS with auth, got %+v", msgs)
		}
	})
}

func TestMutedUsersGetNoReminders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := notifytest.NewSMTPServer(t)
		f := newFixture(t, db, srv, nil)
		u := f.user("quiet@example.com")
		if err := models.SetMuteReminders(context.Background(), db, sys, u.ID, true); err != nil {
			t.Fatal(err)
		}
		r := f.toUser(u, reminder(3, "overdue"))
		dg := f.toUser(u, notify.Message{Key: "digest:1", Kind: models.DeliveryKindDigest, Subject: "Digest"})
		jobstest.Drain(t, f.q)
		if got := subjects(srv.Messages()); len(got) != 1 || !strings.HasSuffix(got[0], "Digest") {
			t.Fatalf("mails: %q", got)
		}
		if got := f.delivery(r.ID); got.Status != models.DeliverySkipped || !strings.Contains(got.LastError, "muted") {
			t.Fatalf("reminder: %+v", got)
		}
		if f.delivery(dg.ID).Status != models.DeliverySent {
			t.Fatal("digest not sent")
		}
	})
}

func TestSlackAndSignedWebhookPosts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		slack, hook := notifytest.NewReceiver(t), notifytest.NewReceiver(t)
		f := newFixture(t, db, nil, nil)
		team, err := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "Platform", Slug: "platform"})
		if err != nil {
			t.Fatal(err)
		}
		team, err = models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: slack.URL + "/services/T1", WebhookURL: hook.URL + "/debrief", AllowPrivate: true})
		if err != nil {
			t.Fatal(err)
		}
		m := notify.Message{Key: notify.Key("digest", "team", team.ID, "week", "2026-W10"), Kind: models.DeliveryKindDigest,
			Subject: "2 overdue items <@here>", Text: "• Rotate certs & keys\n• Add alert", Link: "https://debrief.example.com/action-items?team=platform"}
		var ds []*models.Delivery
		for range 2 { // the second call is a duplicate
			err = db.Transaction(func(tx *gorm.DB) error {
				ds, err = notify.ToTeam(ctx, tx, f.q, team, m)
				return err
			})
			if err != nil || len(ds) != 2 {
				t.Fatalf("enqueue: %v %d", err, len(ds))
			}
		}
		jobstest.Drain(t, f.q)

		sp := slack.Posts()
		if len(sp) != 1 {
			t.Fatalf("slack got %d posts", len(sp))
		}
		var body struct{ Text string }
		if err := json.Unmarshal(sp[0].Body, &body); err != nil {
			t.Fatal(err)
		}
		want := "*2 overdue items &lt;@here&gt;*\n• Rotate certs &amp; keys\n• Add alert\n<https://debrief.example.com/action-items?team=platform|Open in Debrief>"
		if body.Text != want {
			t.Fatalf("slack text:\n%s\nwant\n%s", body.Text, want)
		}

		hp := hook.Posts()
		if len(hp) != 1 {
			t.Fatalf("webhook got %d posts", len(hp))
		}
		ts, _ := strconv.ParseInt(hp[0].Header.Get(notify.HeaderTimestamp), 10, 64)
		if !notify.VerifySignature(*team.WebhookSecret, ts, hp[0].Body, hp[0].Header.Get(notify.HeaderSignature)) {
			t.Fatalf("bad signature %q", hp[0].Header.Get(notify.HeaderSignature))
		}
		if notify.VerifySignature("wrong", ts, hp[0].Body, hp[0].Header.Get(notify.HeaderSignature)) {
			t.Fatal("signature verifies with the wrong secret")
		}
		var p notify.WebhookPayload
		if err := json.Unmarshal(hp[0].Body, &p); err != nil || p.Team != "platform" || p.Kind != "digest" || p.IdempotencyKey != hp[0].Header.Get("Idempotency-Key") {
			t.Fatalf("payload %+v %v", p, err)
		}
	})
}

func TestFailuresAreRetriedThenVisible(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		srv := notifytest.NewSMTPServer(t)
		rcv := notifytest.NewReceiver(t)
		f := newFixture(t, db, srv, nil)
		u := f.user("retry@example.com")

		// Temporary SMTP failures: retried until accepted.
		srv.RejectNext(2, 451)
		flaky := f.toUser(u, reminder(1, "due"))
		jobstest.Drain(t, f.q)
		if got := f.delivery(flaky.ID); got.Status != models.DeliverySent || got.Attempts != 3 {
			t.Fatalf("flaky mail: %+v", got)
		}
		// A permanent SMTP rejection: failed at once, not retried.
		srv.RejectNext(1, 550)
		rejected := f.toUser(u, reminder(2, "due"))
		jobstest.Drain(t, f.q)
		if got := f.delivery(rejected.ID); got.Status != models.DeliveryFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "550") {
			t.Fatalf("rejected mail: %+v", got)
		}

		// A webhook that keeps failing: every attempt used, then failed.
		team, _ := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "Ops", Slug: "ops"})
		team, _ = models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: rcv.URL, AllowPrivate: true})
		rcv.FailNext(100, http.StatusServiceUnavailable)
		var ds []*models.Delivery
		err := db.Transaction(func(tx *gorm.DB) (err error) {
			ds, err = notify.ToTeam(ctx, tx, f.q, team, notify.Message{Key: "digest:ops", Kind: models.DeliveryKindDigest, Subject: "Digest"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		jobstest.Drain(t, f.q)
		got := f.delivery(ds[0].ID)
		if got.Status != models.DeliveryFailed || got.Attempts != notify.DefaultMaxAttempts || !strings.Contains(got.LastError, "503") {
			t.Fatalf("failing webhook: %+v", got)
		}
		if n := len(rcv.Posts()); n != notify.DefaultMaxAttempts {
			t.Fatalf("receiver got %d posts, want %d", n, notify.DefaultMaxAttempts)
		}
		failed, _ := models.ListDeliveries(ctx, db, models.DeliveryFilter{Status: models.DeliveryFailed})
		if len(failed) != 2 {
			t.Fatalf("failed deliveries visible: %d", len(failed))
		}

		// An admin retries once the receiver works again: sent once more.
		rcv2 := notifytest.NewReceiver(t)
		if _, err := models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: rcv2.URL, AllowPrivate: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := notify.Retry(ctx, db, f.q, sys, got.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := notify.Retry(ctx, db, f.q, sys, got.ID); err == nil {
			t.Fatal("a pending delivery was retried again")
		}
		jobstest.Drain(t, f.q)
		if got := f.delivery(got.ID); got.Status != models.DeliverySent || len(rcv2.Posts()) != 1 {
			t.Fatalf("after retry: %+v, %d posts", got, len(rcv2.Posts()))
		}
	})
}

// TestRestartNeitherLosesNorDuplicates: notifications scheduled while one
// process runs are sent by the next one, exactly once, whatever was
// enqueued twice or while no process ran.
func TestRestartNeitherLosesNorDuplicates(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		dsn := dbtest.NewDSN(t, dialect)
		open := func() *gorm.DB {
			db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 4, Logger: apptest.TestLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		srv := notifytest.NewSMTPServer(t)
		clock := &apptest.Clock{}

		// Process A: one reminder now, two later.
		a := newFixture(t, open(), srv, clock.Now)
		u := a.user("owner@example.com")
		a.toUser(u, reminder(1, "3d-before"))
		later := reminder(1, "due")
		later.SendAt = clock.Now().Add(72 * time.Hour)
		a.toUser(u, later)
		later2 := reminder(2, "due")
		later2.SendAt = clock.Now().Add(72 * time.Hour)
		a.toUser(u, later2)
		jobstest.Drain(t, a.q)
		if got := subjects(srv.Messages()); len(got) != 1 {
			t.Fatalf("before restart: %q", got)
		}
		if err := a.q.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}

		// No process runs: enqueue a new one and duplicates of every one.
		b := newFixture(t, open(), srv, clock.Now)
		b.toUser(u, reminder(1, "3d-before"))
		b.toUser(u, later)
		b.toUser(u, reminder(3, "overdue"))

		// Process B starts three days later.
		clock.Advance(72 * time.Hour)
		jobstest.Drain(t, b.q)
		b.toUser(u, later2)
		jobstest.Drain(t, b.q)

		count := map[string]int{}
		for _, s := range subjects(srv.Messages()) {
			count[s]++
		}
		want := map[string]int{
			"owner@example.com Item 1 is due (3d-before)": 1,
			"owner@example.com Item 1 is due (due)":       1,
			"owner@example.com Item 2 is due (due)":       1,
			"owner@example.com Item 3 is due (overdue)":   1,
		}
		if fmt.Sprint(count) != fmt.Sprint(want) {
			t.Fatalf("mails after restart: %v, want %v", count, want)
		}
	})
}

// TestInterruptedSendIsNotRepeated: a delivery whose attempt stopped while
// sending (the process died after claiming it) is not sent again blindly;
// it is marked failed for an admin to look at.
func TestInterruptedSendIsNotRepeated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		srv := notifytest.NewSMTPServer(t)
		f := newFixture(t, db, srv, nil)
		d, _, err := models.CreateDelivery(ctx, db, models.NewDelivery{Key: "k", Kind: "reminder", Channel: models.ChannelEmail, Recipient: "x@example.com", Subject: "S"})
		if err != nil {
			t.Fatal(err)
		}
		if _, claimed, err := models.ClaimDelivery(ctx, db, d.ID); err != nil || !claimed {
			t.Fatal("claim", err)
		}
		// The rescued job of the dead process runs again.
		err = db.Transaction(func(tx *gorm.DB) error {
			_, err := f.q.InsertTx(ctx, tx, notify.DeliverArgs{DeliveryID: d.ID}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		jobstest.Drain(t, f.q)
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d mails sent", n)
		}
		if got := f.delivery(d.ID); got.Status != models.DeliveryFailed || !strings.Contains(got.LastError, "may or may not have arrived") {
			t.Fatalf("%+v", got)
		}
	})
}

func TestMailWithoutSMTPFailsVisibly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db, nil, nil)
		d := f.toUser(f.user("nosmtp@example.com"), reminder(1, "due"))
		jobstest.Drain(t, f.q)
		if got := f.delivery(d.ID); got.Status != models.DeliveryFailed || !strings.Contains(got.LastError, "DEBRIEF_SMTP_URL") {
			t.Fatalf("%+v", got)
		}
	})
}

func TestParseSMTPURL(t *testing.T) {
	good := []struct {
		in   string
		want notify.SMTPConfig
	}{
		{"smtp://mail.example.com", notify.SMTPConfig{Host: "mail.example.com", Port: 587}},
		{"smtp://u%40x:p%3Ass@mail.example.com:2525", notify.SMTPConfig{Host: "mail.example.com", Port: 2525, Username: "u@x", Password: "p:ss"}},
		{"smtps://u:p@mail.example.com", notify.SMTPConfig{Host: "mail.example.com", Port: 465, Username: "u", Password: "p", ImplicitTLS: true}},
		{"smtp://mail.example.com?starttls=required", notify.SMTPConfig{Host: "mail.example.com", Port: 587, RequireTLS: true}},
	}
	for _, g := range good {
		got, err := notify.ParseSMTPURL(g.in)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(g.want) {
			t.Errorf("%s: %+v %v, want %+v", g.in, got, err, g.want)
		}
	}
	for _, bad := range []string{"http://mail.example.com", "smtp://", "smtp://host:99999", "smtp://host/path", "smtp://host?tls=off", "smtps://host?starttls=required", "mail.example.com"} {
		if _, err := notify.ParseSMTPURL(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	c, _ := notify.ParseSMTPURL("smtps://user:secret@mail.example.com")
	if r := c.Redacted(); strings.Contains(r, "secret") || r != "smtps://user@mail.example.com:465" {
		t.Errorf("redacted %q", r)
	}
}

// TestSweepRequeuesDeliveriesWithoutAJob: a delivery whose job vanished is
// sent by the periodic sweep, once, and a fresh one is left alone.
func TestSweepRequeuesDeliveriesWithoutAJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		srv := notifytest.NewSMTPServer(t)
		clock := &apptest.Clock{}
		f := newFixture(t, db, srv, clock.Now)
		orphan, _, err := models.CreateDelivery(ctx, db, models.NewDelivery{Key: "orphan", Kind: "digest", Channel: models.ChannelEmail, Recipient: "orphan@example.com", Subject: "Orphan"})
		if err != nil {
			t.Fatal(err)
		}
		// A normally enqueued one already sent: the sweep must not resend it.
		f.toUser(f.user("sent@example.com"), reminder(1, "due"))
		jobstest.Drain(t, f.q)
		clock.Advance(notify.SweepGrace + time.Minute)
		fresh, _, err := models.CreateDelivery(ctx, db, models.NewDelivery{Key: "fresh", Kind: "digest", Channel: models.ChannelEmail, Recipient: "fresh@example.com", Subject: "Fresh", SendAfter: clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			err = db.Transaction(func(tx *gorm.DB) error {
				_, err := f.q.InsertTx(ctx, tx, notify.SweepArgs{}, nil)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			jobstest.Drain(t, f.q)
		}
		if got := subjects(srv.Messages()); len(got) != 2 || got[1] != "orphan@example.com Orphan" {
			t.Fatalf("mails: %q", got)
		}
		if f.delivery(orphan.ID).Status != models.DeliverySent || f.delivery(fresh.ID).Status != models.DeliveryPending {
			t.Fatalf("orphan %s, fresh %s", f.delivery(orphan.ID).Status, f.delivery(fresh.ID).Status)
		}
	})
}
