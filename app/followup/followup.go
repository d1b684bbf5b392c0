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
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
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

// ScheduleReminders runs one reminder pass at now: it records and enqueues
// every reminder that is due and not sent yet, and returns how many.
func ScheduleReminders(ctx context.Context, cfg Config, q *jobs.Queue, now time.Time) (int, error) {
	db := cfg.DB.WithContext(models.WithZone(ctx, cfg.loc()))
	settings, err := models.GetReminderSettings(ctx, db)
	if err != nil {
		return 0, err
	}
	// The widest window of any zone: overdue reminders a week late at most,
	// "before" reminders DaysBefore ahead, a day either side for zones.
	utc := models.Today(now, time.UTC)
	from, to := utc.AddDays(-(models.OverdueReminderWindow + 2)), utc.AddDays(settings.DaysBefore+2)
	sent := 0
	var after int64
	for {
		items, err := models.ReminderCandidates(ctx, db, from, to, after, 200)
		if err != nil {
			return sent, err
		}
		for i := range items {
			a := &items[i]
			after = a.ID
			ok, err := remind(ctx, cfg, db, q, settings, a, now)
			if err != nil {
				return sent, fmt.Errorf("followup: remind item %d: %w", a.ID, err)
			}
			if ok {
				sent++
			}
		}
		if len(items) < 200 {
			return sent, nil
		}
	}
}

// remind sends the reminder of a's current moment, unless it was sent.
func remind(ctx context.Context, cfg Config, db *gorm.DB, q *jobs.Queue, s models.ReminderSettings, a *models.ActionItem, now time.Time) (bool, error) {
	owner := a.Owner
	if owner == nil || owner.Disabled || a.DueDate == nil {
		return false, nil
	}
	day := s.ReminderDay(now, owner.Location(cfg.loc()))
	moment := s.ReminderMoment(*a.DueDate, day)
	if moment == "" {
		return false, nil
	}
	created := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		created, err = models.RecordReminder(ctx, tx, &models.ActionItemReminder{
			ActionItemID: a.ID, OwnerID: owner.ID, DueDate: *a.DueDate, Moment: moment, SendAt: models.UTC(now),
		})
		if err != nil || !created {
			return err
		}
		subject, text := reminderText(a, moment, day)
		key := notify.Key("reminder", "item", a.ID, "due", a.DueDate.String(), "moment", moment)
		msg := notify.Message{Key: key, Kind: models.DeliveryKindReminder, Subject: subject, Text: text, Link: cfg.itemURL(a.ID)}
		if _, _, err := notify.ToUser(ctx, tx, q, owner, msg); err != nil {
			return err
		}
		if a.Team != nil && !owner.MuteReminders {
			msg.Subject = subject + " (" + owner.Name + ")"
			if _, err := notify.ToTeam(ctx, tx, q, a.Team, msg); err != nil {
				return err
			}
		}
		return nil
	})
	return created, err
}

// reminderText is the subject and body of a reminder.
func reminderText(a *models.ActionItem, moment string, today models.Date) (string, string) {
	due := a.DueDate.Format("Monday 2 January 2006")
	days := today.DaysUntil(*a.DueDate)
	var subject, first string
	switch moment {
	case models.ReminderBefore:
		subject = fmt.Sprintf("Due in %s: %s", plural(days, "day"), a.Title)
		first = fmt.Sprintf("“%s” is due on %s, in %s.", a.Title, due, plural(days, "day"))
	case models.ReminderDue:
		subject = "Due today: " + a.Title
		first = fmt.Sprintf("“%s” is due today, %s.", a.Title, due)
	default:
		subject = "Overdue: " + a.Title
		first = fmt.Sprintf("“%s” was due on %s, %s ago.", a.Title, due, plural(-days, "day"))
	}
	facts := []string{"Priority: " + a.Priority, "Status: " + strings.ToLower(models.ActionStatusLabel(a.Status))}
	if a.Team != nil {
		facts = append(facts, "Team: "+a.Team.Name)
	}
	if a.Incident != nil {
		facts = append(facts, "From the postmortem of "+a.Incident.Key())
	}
	text := first + "\n\n" + strings.Join(facts, " · ") + "\n\n" +
		"Done already? Mark it done in Debrief and say what was done. Need more time? Change the due date; " +
		"a new date gets its own reminders. No longer worth doing? Close it as won't do, with the reason."
	return subject, text
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// SendDigests enqueues this week's digest of overdue items for every team
// that has any: a mail to each of its managers and a post to its channels.
// It returns the number of teams.
func SendDigests(ctx context.Context, cfg Config, q *jobs.Queue, now time.Time) (int, error) {
	db := cfg.DB.WithContext(ctx)
	loc := cfg.loc()
	today := models.Today(now, loc)
	year, week := now.In(loc).ISOWeek()
	weekKey := fmt.Sprintf("%d-W%02d", year, week)
	teams, err := models.ListTeams(ctx, db)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range teams {
		t := &teams[i]
		sent, err := digestTeam(ctx, cfg, db, q, t, today, weekKey)
		if err != nil {
			return n, fmt.Errorf("followup: digest of %s: %w", t.Slug, err)
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// digestLines caps the items a digest lists.
const digestLines = 40

func digestTeam(ctx context.Context, cfg Config, db *gorm.DB, q *jobs.Queue, t *models.Team, today models.Date, weekKey string) (bool, error) {
	aq := models.ActionQuery{Sort: "due", Loc: cfg.loc()}
	aq.TeamID, aq.Overdue, aq.Today, aq.Limit = t.ID, true, today, digestLines
	total, err := models.CountFoundActionItems(ctx, db, aq)
	if err != nil || total == 0 {
		return false, err
	}
	items, err := models.FindActionItems(ctx, db, aq)
	if err != nil {
		return false, err
	}
	members, err := models.TeamMembers(ctx, db, t.ID)
	if err != nil {
		return false, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s has %s past the due date:\n", t.Name, plural(int(total), "open action item"))
	for i := range items {
		a := &items[i]
		owner := "nobody"
		if a.Owner != nil {
			owner = a.Owner.Name
		}
		fmt.Fprintf(&b, "\n• %s — %s, due %s (%s overdue)", a.Title, owner, a.DueDate, plural(a.DueDate.DaysUntil(today), "day"))
	}
	if total > int64(len(items)) {
		fmt.Fprintf(&b, "\n\n…and %d more.", total-int64(len(items)))
	}
	b.WriteString("\n\nThe dashboard shows what is slipping and where; every number opens the items behind it.")
	msg := notify.Message{
		Key:     notify.Key("digest", "team", t.ID, "week", weekKey),
		Kind:    models.DeliveryKindDigest,
		Subject: fmt.Sprintf("%s: %s overdue this week", t.Name, plural(int(total), "action item")),
		Text:    b.String(),
		Link:    cfg.dashboardURL(t.Slug),
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		for _, m := range members {
			if m.Role != models.TeamRoleManager || m.User == nil || m.User.Disabled {
				continue
			}
			if _, _, err := notify.ToUser(ctx, tx, q, m.User, msg); err != nil {
				return err
			}
		}
		_, err := notify.ToTeam(ctx, tx, q, t, msg)
		return err
	})
	return err == nil, err
}
