// Package followup reminds owners of their action items and sends each
// team's managers a weekly digest of the team's overdue items, as
// background jobs on River through app/notify.
//
//   - Reminders: every hour (and when the leader starts) a pass looks at the
//     open items due soon or just overdue. For each owner it works out, in
//     the owner's time zone, which moment applies today — N days before the
//     due date (models.ReminderSettings), on the due date, or overdue — and
//     records it in action_item_reminders in the same transaction that
//     enqueues the notification. The record's unique key and notify's
//     idempotency key make each reminder go out once per item, owner, due
//     date and moment, across passes, restarts and instances.
//   - Digests: every Monday at 08:00 (instance zone) each team with overdue
//     items gets a digest: a mail to each manager and a post to the team's
//     channels, once per team and ISO week.
//
// Mail goes to the owner (muted owners get none: notify skips them); the
// item's team channels get the same reminder unless the owner muted
// reminders.
package followup

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
)

// Config is what the workers need.
type Config struct {
	DB *gorm.DB
	// BaseURL is Debrief's public URL, for links in messages.
	BaseURL string
	// Location is the instance's time zone (DEBRIEF_TIMEZONE): owners
	// without a zone of their own, digest weeks.
	Location *time.Location
	Logger   *slog.Logger
}

func (c Config) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Paths of the pages messages link to (the app's routes actions.show and
// actions.dashboard; a test keeps them equal).
func (c Config) itemURL(id int64) string {
	return strings.TrimRight(c.BaseURL, "/") + "/action-items/" + strconv.FormatInt(id, 10)
}

func (c Config) dashboardURL(teamSlug string) string {
	return strings.TrimRight(c.BaseURL, "/") + "/action-items/dashboard?team=" + teamSlug
}

// ItemPath and DashboardPath are the paths the messages link to.
func ItemPath(id int64) string { return Config{}.itemURL(id) }

// DashboardPath is the path of a team's dashboard.
func DashboardPath(teamSlug string) string { return Config{}.dashboardURL(teamSlug) }

// RemindArgs is the hourly reminder pass.
type RemindArgs struct{}

// Kind names the job in River's tables.
func (RemindArgs) Kind() string { return "followup_remind" }

// DigestArgs is the weekly digest run.
type DigestArgs struct{}

// Kind names the job in River's tables.
func (DigestArgs) Kind() string { return "followup_digest" }

// DigestSchedule describes when digests go out (for the admin page).
const DigestSchedule = "Monday at 08:00"

// AddWorkers registers the reminder and digest workers.
func AddWorkers(w *river.Workers, cfg Config) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	river.AddWorker(w, &remindWorker{cfg: cfg})
	river.AddWorker(w, &digestWorker{cfg: cfg})
}

// Periodic lists the periodic jobs: the reminder pass every hour (and at
// start), the digest every Monday at 08:00 in loc.
func Periodic(loc *time.Location) []*river.PeriodicJob {
	return []*river.PeriodicJob{
		jobs.NewPeriodic("followup.remind", jobs.Every(time.Hour), func() river.JobArgs { return RemindArgs{} }, true),
		jobs.NewPeriodic("followup.digest", jobs.Weekly(time.Monday, 8, 0, loc), func() river.JobArgs { return DigestArgs{} }, false),
	}
}

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	cfg Config
}

func (w *remindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	q := jobs.FromContext(ctx)
	n, err := ScheduleReminders(ctx, w.cfg, q, q.Now())
	if n > 0 {
		w.cfg.Logger.InfoContext(ctx, "reminders scheduled", "count", n)
	}
	return err
}

type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	cfg Config
}

func (w *digestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	q := jobs.FromContext(ctx)
	n, err := SendDigests(ctx, w.cfg, q, q.Now())
	if n > 0 {
		w.cfg.Logger.InfoContext(ctx, "digests enqueued", "teams", n)
	}
	return err
}
