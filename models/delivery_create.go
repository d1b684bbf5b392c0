package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NewDelivery is the input of CreateDelivery.
type NewDelivery struct {
	Key       string
	Kind      string
	Channel   Channel
	Recipient string
	UserID    int64 // 0: none
	TeamID    int64 // 0: none
	Subject   string
	Body      string
	Link      string
	// SendAfter is the earliest time to send; zero means now.
	SendAfter time.Time
}

// MaxDeliveryKeyLength bounds idempotency keys.
const MaxDeliveryKeyLength = 300

func (in *NewDelivery) validate() error {
	v := &ValidationError{}
	in.Key = strings.TrimSpace(in.Key)
	in.Subject = CleanLine(in.Subject)
	in.Body = CleanText(in.Body)
	in.Recipient = strings.TrimSpace(in.Recipient)
	switch {
	case in.Key == "":
		v.Add("key", "An idempotency key is required.")
	case len(in.Key) > MaxDeliveryKeyLength:
		v.Add("key", fmt.Sprintf("Use at most %d characters for the idempotency key.", MaxDeliveryKeyLength))
	}
	if in.Kind == "" {
		v.Add("kind", "A kind is required (reminder, digest, …).")
	}
	if !in.Channel.Valid() {
		v.Add("channel", "Choose email, slack or webhook.")
	}
	if in.Recipient == "" {
		v.Add("recipient", "A recipient is required.")
	}
	if in.Subject == "" {
		v.Add("subject", "A subject is required.")
	}
	if in.Channel != ChannelEmail && in.TeamID == 0 {
		v.Add("team_id", "Slack and webhook deliveries go to a team.")
	}
	return v.Err()
}

// CreateDelivery records a notification to send unless one with the same
// idempotency key exists. It returns the stored row and whether it was
// created now; call it inside the transaction that also enqueues the job
// that sends it, so both happen or neither.
func CreateDelivery(ctx context.Context, db *gorm.DB, in NewDelivery) (*Delivery, bool, error) {
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	now := Now(db)
	d := &Delivery{
		IdempotencyKey: in.Key, Kind: in.Kind, Channel: in.Channel, Recipient: in.Recipient,
		Subject: in.Subject, Body: in.Body, Link: in.Link, Status: DeliveryPending,
		SendAfter: now, CreatedAt: now, UpdatedAt: now,
	}
	if !in.SendAfter.IsZero() {
		d.SendAfter = UTC(in.SendAfter)
	}
	if in.UserID != 0 {
		d.UserID = &in.UserID
	}
	if in.TeamID != 0 {
		d.TeamID = &in.TeamID
	}
	res := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "idempotency_key"}},
		DoNothing: true,
	}).Create(d)
	if res.Error != nil {
		return nil, false, fmt.Errorf("models: create delivery: %w", TranslateError(res.Error))
	}
	if res.RowsAffected == 1 && d.ID != 0 {
		return d, true, nil
	}
	existing, err := GetDeliveryByKey(ctx, db, in.Key)
	if err != nil {
		return nil, false, err
	}
	return existing, false, nil
}
