package views

import (
	"time"
)

// DeliveriesModel is the admin list of notifications.
type DeliveriesModel struct {
	Filter   Form // status, channel, kind, q
	Counts   []DeliveryCount
	Rows     []DeliveryRow
	Kinds    []string
	OlderURL string // next page, "" on the last
}

// DeliveryCount is one status with its count, linking to the filtered list.
type DeliveryCount struct {
	Status string
	Count  int64
	Href   string
}

// DeliveryRow is one delivery as the admin page shows it.
type DeliveryRow struct {
	ID        int64
	Kind      string
	Channel   string
	Recipient string
	Subject   string
	Status    string
	Attempts  int
	LastError string
	Created   time.Time
	SendAfter time.Time
	SentAt    *time.Time
	CanRetry  bool
}

// NotificationSettingsModel is the admin page of mail and team targets.
type NotificationSettingsModel struct {
	MailConfigured bool
	SMTP           string // redacted URL
	MailFrom       string
	Teams          []TeamTargetsRow
}

// TeamTargetsRow is one team's form.
type TeamTargetsRow struct {
	ID            int64
	Name, Slug    string
	Form          Form // slack_webhook_url, webhook_url
	WebhookSecret string
	// HasTargets is true when a Slack or webhook URL is stored.
	HasTargets bool
}

// NotificationPrefs is a user's own notification settings, rendered by the
// MuteRemindersForm and CalendarFeedCard fragments (for the account page).
type NotificationPrefs struct {
	MuteReminders bool
	// CalendarActive is true while the user has a feed URL; CalendarURL is
	// the full URL, known only right after it was made.
	CalendarActive  bool
	CalendarPrefix  string
	CalendarCreated time.Time
	CalendarUsed    *time.Time
	CalendarURL     string
	// Next is where the forms return to (the page that shows them).
	Next string
}

func statusBadge(status string) string {
	switch status {
	case "sent":
		return "badge badge-ok"
	case "failed":
		return "badge badge-bad"
	case "pending", "sending":
		return "badge badge-info"
	}
	return "badge badge-outline"
}
