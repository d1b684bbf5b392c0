package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

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

// GetDelivery loads a delivery by ID.
func GetDelivery(ctx context.Context, db *gorm.DB, id int64) (*Delivery, error) {
	var d Delivery
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		return nil, fmt.Errorf("models: get delivery %d: %w", id, TranslateError(err))
	}
	return &d, nil
}

// GetDeliveryByKey loads a delivery by its idempotency key.
func GetDeliveryByKey(ctx context.Context, db *gorm.DB, key string) (*Delivery, error) {
	var d Delivery
	if err := db.WithContext(ctx).Where("idempotency_key = ?", key).Take(&d).Error; err != nil {
		return nil, fmt.Errorf("models: get delivery by key: %w", TranslateError(err))
	}
	return &d, nil
}

// ClaimDelivery moves a pending delivery to sending and counts the attempt,
// committed before anything is sent. It returns the delivery and whether
// this caller claimed it; a delivery in any other state is returned
// unclaimed (sent, skipped and failed ones are done; a sending one was
// claimed by an attempt that never finished).
func ClaimDelivery(ctx context.Context, db *gorm.DB, id int64) (*Delivery, bool, error) {
	now := Now(db)
	res := db.WithContext(ctx).Model(&Delivery{}).
		Where("id = ? AND status = ?", id, DeliveryPending).
		Updates(map[string]any{
			"status": DeliverySending, "attempts": gorm.Expr("attempts + 1"),
			"last_attempt_at": now, "updated_at": now,
		})
	if res.Error != nil {
		return nil, false, fmt.Errorf("models: claim delivery %d: %w", id, TranslateError(res.Error))
	}
	d, err := GetDelivery(ctx, db, id)
	if err != nil {
		return nil, false, err
	}
	return d, res.RowsAffected == 1, nil
}

// MarkDeliverySent records a successful send of a claimed delivery.
func MarkDeliverySent(ctx context.Context, db *gorm.DB, id int64) error {
	now := Now(db)
	return finishDelivery(ctx, db, id, DeliverySending, map[string]any{
		"status": DeliverySent, "sent_at": now, "last_error": "", "updated_at": now,
	})
}

// MarkDeliveryError records a failed attempt of a claimed delivery: back
// to pending for another try, or failed for good when final.
func MarkDeliveryError(ctx context.Context, db *gorm.DB, id int64, msg string, final bool) error {
	st := DeliveryPending
	if final {
		st = DeliveryFailed
	}
	return finishDelivery(ctx, db, id, DeliverySending, map[string]any{
		"status": st, "last_error": truncate(msg, 2000), "updated_at": Now(db),
	})
}

// FailDelivery marks a delivery in state from as failed with a reason
// (for example an attempt that was interrupted while sending).
func FailDelivery(ctx context.Context, db *gorm.DB, id int64, from DeliveryStatus, msg string) error {
	return finishDelivery(ctx, db, id, from, map[string]any{
		"status": DeliveryFailed, "last_error": truncate(msg, 2000), "updated_at": Now(db),
	})
}

// SkipDelivery marks a claimed delivery as skipped with the reason.
func SkipDelivery(ctx context.Context, db *gorm.DB, id int64, reason string) error {
	return finishDelivery(ctx, db, id, DeliverySending, map[string]any{
		"status": DeliverySkipped, "last_error": reason, "updated_at": Now(db),
	})
}

func finishDelivery(ctx context.Context, db *gorm.DB, id int64, from DeliveryStatus, set map[string]any) error {
	res := db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND status = ?", id, from).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("models: update delivery %d: %w", id, TranslateError(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: update delivery %d: %w", id, StateErrorf("The delivery is no longer %s.", from))
	}
	return nil
}

// RetryDelivery puts a failed delivery back to pending, to be sent again
// now; the caller enqueues the job that sends it in the same transaction.
// Only failed deliveries can be retried, so two admins clicking at once
// give one retry.
func RetryDelivery(ctx context.Context, db *gorm.DB, actor Actor, id int64) (*Delivery, error) {
	var out *Delivery
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		res := tx.Model(&Delivery{}).Where("id = ? AND status = ?", id, DeliveryFailed).
			Updates(map[string]any{"status": DeliveryPending, "send_after": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		d, err := GetDelivery(ctx, tx, id)
		if err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return StateErrorf("Only failed deliveries can be retried; this one is %s.", d.Status)
		}
		out = d
		return Audit(ctx, tx, actor, AuditStateChange, "delivery", id, "retried "+string(d.Channel)+" delivery to "+d.Recipient,
			map[string]Change{"status": {From: DeliveryFailed, To: DeliveryPending}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: retry delivery %d: %w", id, TranslateError(err))
	}
	return out, nil
}

// DeliveryFilter narrows ListDeliveries.
type DeliveryFilter struct {
	Status  DeliveryStatus
	Channel Channel
	Kind    string
	// Query matches the recipient, subject or idempotency key.
	Query    string
	BeforeID int64 // paging: rows older than this ID
	Limit    int   // default 50, at most 500
}

// ListDeliveries returns deliveries, newest first.
func ListDeliveries(ctx context.Context, db *gorm.DB, f DeliveryFilter) ([]Delivery, error) {
	q := db.WithContext(ctx).Model(&Delivery{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + strings.ToLower(s) + "%"
		q = q.Where("lower(recipient) LIKE ? OR lower(subject) LIKE ? OR lower(idempotency_key) LIKE ?", like, like, like)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var out []Delivery
	if err := q.Order("id DESC").Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list deliveries: %w", TranslateError(err))
	}
	return out, nil
}

// DeliveryCounts returns how many deliveries are in each state.
func DeliveryCounts(ctx context.Context, db *gorm.DB) (map[DeliveryStatus]int64, error) {
	var rows []struct {
		Status DeliveryStatus
		N      int64
	}
	if err := db.WithContext(ctx).Model(&Delivery{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: count deliveries: %w", TranslateError(err))
	}
	out := map[DeliveryStatus]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// DeliveryKinds lists the kinds present, for filters.
func DeliveryKinds(ctx context.Context, db *gorm.DB) ([]string, error) {
	var out []string
	if err := db.WithContext(ctx).Model(&Delivery{}).Distinct("kind").Order("kind").Pluck("kind", &out).Error; err != nil {
		return nil, fmt.Errorf("models: delivery kinds: %w", TranslateError(err))
	}
	return out, nil
}

// StaleDeliveries returns IDs of deliveries that should have been worked
// by now: pending since before pendingBefore, or sending since before
// sendingBefore (an attempt that never reported back). Oldest first.
func StaleDeliveries(ctx context.Context, db *gorm.DB, pendingBefore, sendingBefore time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := db.WithContext(ctx).Model(&Delivery{}).
		Where("(status = ? AND send_after < ?) OR (status = ? AND last_attempt_at < ?)",
			DeliveryPending, UTC(pendingBefore), DeliverySending, UTC(sendingBefore)).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: stale deliveries: %w", TranslateError(err))
	}
	return ids, nil
}
