package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Reminder moments of an action item, relative to its due date.
const (
	ReminderBefore  = "before"  // ReminderSettings.DaysBefore days before
	ReminderDue     = "due"     // on the due date
	ReminderOverdue = "overdue" // the first day after it
)

// OverdueReminderWindow is how many days after the due date an overdue
// reminder may still go out (when the reminder run missed the first
// day). Items overdue for longer appear in the weekly team digest only, so
// turning reminders on over old data does not flood anyone's inbox.
const OverdueReminderWindow = 7

// ActionItemReminder records that an item's owner was reminded at a moment
// of a due date. The unique key (item, owner, due date, moment) is what
// keeps a reminder from going out twice; a new due date or a new owner
// gets reminders of its own.
type ActionItemReminder struct {
	ID           int64
	ActionItemID int64
	OwnerID      int64
	DueDate      Date
	Moment       string
	SendAt       time.Time
	CreatedAt    time.Time
}

// ReminderSettings are the instance's reminder settings.
type ReminderSettings struct {
	// DaysBefore is how many days before the due date the first reminder
	// goes out (0: none before the due date).
	DaysBefore int
	// Hour is the hour of the day, in each owner's time zone, from which
	// reminders of that day go out.
	Hour int
}

// Setting keys and defaults of reminders.
const (
	settingReminderDays = "reminders.days_before"
	settingReminderHour = "reminders.hour"
	// DefaultReminderDays and DefaultReminderHour apply until an admin
	// changes them.
	DefaultReminderDays = 3
	DefaultReminderHour = 9
)

// GetReminderSettings returns the stored settings or the defaults.
func GetReminderSettings(ctx context.Context, db *gorm.DB) (ReminderSettings, error) {
	s := ReminderSettings{DaysBefore: DefaultReminderDays, Hour: DefaultReminderHour}
	for key, dst := range map[string]*int{settingReminderDays: &s.DaysBefore, settingReminderHour: &s.Hour} {
		v, err := GetSetting(ctx, db, key, "")
		if err != nil {
			return s, err
		}
		if n, err := strconv.Atoi(v); err == nil {
			*dst = n
		}
	}
	return s, nil
}

// SaveReminderSettings validates and stores the settings.
func SaveReminderSettings(ctx context.Context, db *gorm.DB, actor Actor, s ReminderSettings) error {
	v := &ValidationError{}
	if s.DaysBefore < 0 || s.DaysBefore > 30 {
		v.Add("days_before", "Enter a number of days from 0 (no reminder before the due date) to 30.")
	}
	if s.Hour < 0 || s.Hour > 23 {
		v.Add("hour", "Enter an hour from 0 to 23.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetReminderSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := PutSetting(ctx, tx, settingReminderDays, strconv.Itoa(s.DaysBefore)); err != nil {
			return err
		}
		if err := PutSetting(ctx, tx, settingReminderHour, strconv.Itoa(s.Hour)); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "setting", "reminders", "changed the reminder settings",
			Diff(before, s, "DaysBefore", "Hour"))
	})
	if err != nil {
		return fmt.Errorf("models: save reminder settings: %w", TranslateError(err))
	}
	return nil
}

// ReminderMoment is the moment of due on day today with the settings, or
// "" when no reminder is due that day.
func (s ReminderSettings) ReminderMoment(due, today Date) string {
	switch {
	case today == due:
		return ReminderDue
	case today.After(due):
		if due.DaysUntil(today) <= OverdueReminderWindow {
			return ReminderOverdue
		}
	case s.DaysBefore > 0 && !today.Before(due.AddDays(-s.DaysBefore)):
		return ReminderBefore
	}
	return ""
}

// ReminderDay is the day whose reminders are due at now for someone in
// loc: reminders of a day go out from Hour o'clock, so before that hour it
// is still the previous day's turn.
func (s ReminderSettings) ReminderDay(now time.Time, loc *time.Location) Date {
	return Today(now.Add(-time.Duration(s.Hour)*time.Hour), loc)
}

// ReminderCandidates returns open items with an owner and a due date in
// [from, to] (owner and team loaded), whose owner may need a reminder:
// items whose overdue reminder for the current owner and due date was
// already recorded are left out.
func ReminderCandidates(ctx context.Context, db *gorm.DB, from, to Date, afterID int64, limit int) ([]ActionItem, error) {
	var out []ActionItem
	err := db.WithContext(ctx).Model(&ActionItem{}).
		Where("action_items.status IN ? AND action_items.owner_id IS NOT NULL", openActionStatuses).
		Where("action_items.due_date >= ? AND action_items.due_date <= ?", from, to).
		Where("action_items.id > ?", afterID).
		Where("NOT EXISTS (SELECT 1 FROM action_item_reminders r WHERE r.action_item_id = action_items.id AND r.owner_id = action_items.owner_id AND r.due_date = action_items.due_date AND r.moment = ?)", ReminderOverdue).
		Preload("Owner").Preload("Team").Preload("Incident").
		Order("action_items.id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: reminder candidates: %w", TranslateError(err))
	}
	return out, nil
}

// RecordReminder stores r unless the same item, owner, due date and moment
// is recorded already; it reports whether r is new. Call it in the
// transaction that enqueues the notification.
func RecordReminder(ctx context.Context, tx *gorm.DB, r *ActionItemReminder) (bool, error) {
	r.CreatedAt = Now(tx)
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r)
	if res.Error != nil {
		return false, fmt.Errorf("models: record reminder: %w", TranslateError(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// ActionReminders lists the reminders recorded for an item, oldest first.
func ActionReminders(ctx context.Context, db *gorm.DB, id int64) ([]ActionItemReminder, error) {
	var out []ActionItemReminder
	if err := db.WithContext(ctx).Where("action_item_id = ?", id).Order("send_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: action item reminders: %w", TranslateError(err))
	}
	return out, nil
}
