package models

import "time"

// DeliveryStatus is where a notification stands.
//
//	pending ──claim──▶ sending ──▶ sent
//	   ▲                  │
//	   └── temporary error┤──▶ failed (last attempt, permanent error or
//	                      │            an interrupted earlier attempt)
//	pending ──▶ skipped (recipient muted reminders)
//	failed ──admin retry──▶ pending
type DeliveryStatus string

// The delivery states.
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySending DeliveryStatus = "sending"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed"
	DeliverySkipped DeliveryStatus = "skipped"
)

// deliveryStatuses lists every state, for filters.
var deliveryStatuses = []DeliveryStatus{DeliveryPending, DeliverySending, DeliverySent, DeliveryFailed, DeliverySkipped}

// Channel is how a notification travels.
type Channel string

// The channels.
const (
	ChannelEmail   Channel = "email"
	ChannelSlack   Channel = "slack"
	ChannelWebhook Channel = "webhook"
)

// channels lists every channel, for filters.
var channels = []Channel{ChannelEmail, ChannelSlack, ChannelWebhook}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, x := range channels {
		if x == c {
			return true
		}
	}
	return false
}

// Delivery kinds used by Debrief. A user who mutes reminders gets no
// deliveries of kind DeliveryKindReminder; other kinds are not muted.
const (
	DeliveryKindReminder = "reminder"
	DeliveryKindDigest   = "digest"
	DeliveryKindTest     = "test"
)

// Delivery is one notification to one recipient over one channel. Its
// IdempotencyKey is unique: the same key is never delivered twice.
type Delivery struct {
	ID             int64
	IdempotencyKey string
	Kind           string
	Channel        Channel
	// Recipient is an email address (email) or a team slug (slack,
	// webhook: the URL is looked up when sending, so it is never shown).
	Recipient     string
	UserID        *int64
	TeamID        *int64
	Subject       string
	Body          string
	Link          string
	Status        DeliveryStatus
	Attempts      int
	LastError     string
	SendAfter     time.Time
	LastAttemptAt *time.Time
	SentAt        *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}
