// Package notify sends Debrief's notifications — mail over SMTP, posts to
// a team's Slack-compatible incoming webhook and signed calls to a team's
// generic webhook — as background jobs with retries.
//
// Every notification is a row in the deliveries table with an idempotency
// key. Enqueueing inserts the row and its job in the caller's transaction;
// the same key again is a no-op, so a notification goes out at most once
// for the same item and moment, however often and from however many
// instances it is enqueued, and across restarts. A failed delivery stays
// visible (admin page /admin/deliveries) and can be retried from there.
//
//	// In the transaction that notices an item is due (e.g. a reminder job):
//	key := notify.Key("reminder", "item", item.ID, "due", item.Due.Format("2006-01-02"), "moment", "3d-before")
//	_, err := notify.ToUser(ctx, tx, q, owner, notify.Message{
//		Key:     key,
//		Kind:    models.DeliveryKindReminder, // muted users get none
//		Subject: "Due in 3 days: " + item.Title,
//		Text:    "The action item you own is due on Monday 1 December.",
//		Link:    baseURL + "/action-items/42",
//		SendAt:  dueMorning.AddDate(0, 0, -3), // zero: now
//	})
//
// Register the sender once per process with AddWorkers before jobs.New.
package notify

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/models"
)

// Message is what to tell someone. Text is plain text; blank lines
// separate paragraphs, and Slack renders *bold* and _italic_ in it.
type Message struct {
	// Key identifies the notification: the same key is delivered at most
	// once per recipient and channel. Build it with Key from what makes
	// the notification unique (kind, item, moment).
	Key string
	// Kind is models.DeliveryKindReminder, DeliveryKindDigest, … Users who
	// muted reminders get no DeliveryKindReminder.
	Kind    string
	Subject string
	Text    string
	// Link is an absolute URL to open in Debrief (optional).
	Link string
	// SendAt is the earliest time to send; zero means now.
	SendAt time.Time
}

// Key joins parts into an idempotency key, e.g. Key("reminder", "item", 42,
// "due", "2026-12-01", "moment", "3d-before") →
// "reminder:item:42:due:2026-12-01:moment:3d-before".
func Key(parts ...any) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = strings.ReplaceAll(fmt.Sprint(p), ":", "_")
	}
	return strings.Join(s, ":")
}

// DefaultMaxAttempts is how often a delivery is tried before it is marked
// failed. With River's backoff (attempt⁴ seconds) the last try comes about
// 80 minutes after the first.
const DefaultMaxAttempts = 8

// ToUser enqueues m as a mail to the user, in tx (a gorm transaction; a
// plain handle gets its own). It returns the delivery — an earlier one
// when the key was enqueued before — and whether it is new.
func ToUser(ctx context.Context, tx *gorm.DB, q *jobs.Queue, u *models.User, m Message) (*models.Delivery, bool, error) {
	return Enqueue(ctx, tx, q, models.NewDelivery{
		Key:     m.Key + "|email|user:" + fmt.Sprint(u.ID),
		Kind:    m.Kind,
		Channel: models.ChannelEmail, Recipient: u.Email, UserID: u.ID,
		Subject: m.Subject, Body: m.Text, Link: m.Link, SendAfter: m.SendAt,
	})
}

// ToTeam enqueues m to each target the team has configured — its Slack
// webhook and its generic webhook — and returns the deliveries (none when
// the team has no targets).
func ToTeam(ctx context.Context, tx *gorm.DB, q *jobs.Queue, t *models.Team, m Message) ([]*models.Delivery, error) {
	var out []*models.Delivery
	for _, ch := range TeamChannels(t) {
		d, _, err := Enqueue(ctx, tx, q, models.NewDelivery{
			Key:     m.Key + "|" + string(ch) + "|team:" + fmt.Sprint(t.ID),
			Kind:    m.Kind,
			Channel: ch, Recipient: t.Slug, TeamID: t.ID,
			Subject: m.Subject, Body: m.Text, Link: m.Link, SendAfter: m.SendAt,
		})
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}

// TeamChannels lists the channels a team has configured.
func TeamChannels(t *models.Team) []models.Channel {
	var out []models.Channel
	if t.SlackWebhookURL != nil && *t.SlackWebhookURL != "" {
		out = append(out, models.ChannelSlack)
	}
	if t.WebhookURL != nil && *t.WebhookURL != "" {
		out = append(out, models.ChannelWebhook)
	}
	return out
}

// Enqueue records a delivery and enqueues the job that sends it, both in
// tx, unless a delivery with the same key exists. Prefer ToUser and ToTeam.
func Enqueue(ctx context.Context, tx *gorm.DB, q *jobs.Queue, in models.NewDelivery) (*models.Delivery, bool, error) {
	var (
		d       *models.Delivery
		created bool
	)
	err := inTx(ctx, tx, func(tx *gorm.DB) error {
		var err error
		d, created, err = models.CreateDelivery(ctx, tx, in)
		if err != nil || !created {
			return err
		}
		return enqueueJob(ctx, tx, q, d)
	})
	if err != nil {
		return nil, false, fmt.Errorf("notify: %w", err)
	}
	return d, created, nil
}

// Retry puts a failed delivery back in the queue (an admin's retry).
func Retry(ctx context.Context, db *gorm.DB, q *jobs.Queue, actor models.Actor, id int64) (*models.Delivery, error) {
	var d *models.Delivery
	err := inTx(ctx, db, func(tx *gorm.DB) error {
		var err error
		if d, err = models.RetryDelivery(ctx, tx, actor, id); err != nil {
			return err
		}
		return enqueueJob(ctx, tx, q, d)
	})
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return d, nil
}

// deliverUnique allows one unfinished job per delivery: the sweep can
// re-enqueue every stale delivery without doubling a job that still waits.
var deliverUnique = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}}

func enqueueJob(ctx context.Context, tx *gorm.DB, q *jobs.Queue, d *models.Delivery) error {
	opts := &river.InsertOpts{MaxAttempts: DefaultMaxAttempts, UniqueOpts: deliverUnique}
	if d.SendAfter.After(models.Now(tx)) {
		opts.ScheduledAt = d.SendAfter
	}
	_, err := q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: d.ID}, opts)
	return err
}

// inTx runs fn in db's transaction, or in a new one when db is not in one.
func inTx(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	if _, ok := db.Statement.ConnPool.(*sql.Tx); ok {
		return fn(db.WithContext(ctx))
	}
	return db.WithContext(ctx).Transaction(fn)
}

// Config is what the delivery worker needs.
type Config struct {
	DB *gorm.DB
	// Mailer sends mail; nil when SMTP is not configured (mail deliveries
	// then fail with a message saying so).
	Mailer *Mailer
	// HTTP posts to webhooks; nil gets a client with a 15 s timeout that
	// refuses private addresses (unless AllowPrivate). Redirects are never
	// followed, whichever client.
	HTTP   *http.Client
	Logger *slog.Logger
	// AllowPrivate lets webhooks reach private, loopback and link-local
	// addresses (DEBRIEF_WEBHOOK_ALLOW_PRIVATE; tests with receivers on
	// 127.0.0.1).
	AllowPrivate bool
}

// AddWorkers registers the delivery and sweep workers.
func AddWorkers(w *river.Workers, cfg Config) {
	if cfg.HTTP == nil {
		cfg.HTTP = webhookClient(cfg.AllowPrivate)
	} else {
		c := *cfg.HTTP
		c.CheckRedirect = noRedirects
		cfg.HTTP = &c
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	river.AddWorker(w, &deliverWorker{cfg: cfg})
	river.AddWorker(w, &sweepWorker{cfg: cfg})
}

// Periodic lists notify's periodic jobs for jobs.Config.Periodic: the
// sweep, every 15 minutes.
func Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		jobs.NewPeriodic("notify.sweep", jobs.Every(15*time.Minute), func() river.JobArgs { return SweepArgs{} }, false),
	}
}

// SweepArgs is the job that re-enqueues deliveries whose job went missing
// (a wiped job table, a job discarded by a crash loop): each pending
// delivery due more than SweepGrace ago and each attempt silent for
// longer than SweepSendingGrace gets a job again, unless one still waits.
type SweepArgs struct{}

// Kind names the job in River's tables.
func (SweepArgs) Kind() string { return "notify_sweep" }

// Grace periods of the sweep.
const (
	SweepGrace        = 10 * time.Minute
	SweepSendingGrace = 2 * time.Hour
)

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	cfg Config
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	q := jobs.FromContext(ctx)
	now := q.Now()
	ids, err := models.StaleDeliveries(ctx, w.cfg.DB, now.Add(-SweepGrace), now.Add(-SweepSendingGrace), 1000)
	if err != nil {
		return err
	}
	requeued := 0
	for _, id := range ids {
		err := w.cfg.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res, err := q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: id}, &river.InsertOpts{MaxAttempts: DefaultMaxAttempts, UniqueOpts: deliverUnique})
			if err == nil && !res.UniqueSkippedAsDuplicate {
				requeued++
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	if requeued > 0 {
		w.cfg.Logger.WarnContext(ctx, "re-enqueued deliveries that had no job", "count", requeued)
	}
	return nil
}
