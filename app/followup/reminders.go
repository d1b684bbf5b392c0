package followup

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

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
		subject = fmt.Sprintf("Due in %s: %s", views.Plural(days, "day", "days"), a.Title)
		first = fmt.Sprintf("“%s” is due on %s, in %s.", a.Title, due, views.Plural(days, "day", "days"))
	case models.ReminderDue:
		subject = "Due today: " + a.Title
		first = fmt.Sprintf("“%s” is due today, %s.", a.Title, due)
	default:
		subject = "Overdue: " + a.Title
		first = fmt.Sprintf("“%s” was due on %s, %s ago.", a.Title, due, views.Plural(-days, "day", "days"))
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
