package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// LiveEvents publishes live events inside the transaction of a LiveTx.
// Events name what changed (kind and the object's id) and carry no content.
type LiveEvents interface {
	// Publish bumps the topic's sequence number in the transaction and
	// queues the event; it is delivered only if the transaction commits.
	Publish(topic, kind string, id int64) error
}

// LiveTx runs a change and the live events that announce it in one
// transaction. app/live implements it over its broker (delivery on commit,
// across instances); Quiet runs it without delivering anything. Functions
// that take a LiveTx open their own transaction through it: call them at
// the outermost level, not inside another transaction of the same change.
type LiveTx interface {
	Transaction(ctx context.Context, fn func(tx *gorm.DB, ev LiveEvents) error) error
}

// Quiet is a LiveTx on db for callers without live updates (tests, the
// demo seeder, commands): a plain transaction in which events bump their
// topic's sequence number, as they would live, but are delivered to
// nobody. A browser that watches sees the change on its next full
// refresh.
func Quiet(db *gorm.DB) LiveTx { return quietTx{db: db} }

type quietTx struct{ db *gorm.DB }

func (q quietTx) Transaction(ctx context.Context, fn func(tx *gorm.DB, ev LiveEvents) error) error {
	return q.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(tx, quietEvents{ctx: ctx, tx: tx})
	})
}

type quietEvents struct {
	ctx context.Context
	tx  *gorm.DB
}

func (e quietEvents) Publish(topic, _ string, _ int64) error {
	_, err := NextLiveSeq(e.ctx, e.tx, topic)
	return err
}

// LiveTopic is the sequence number of one live topic (for example a retro
// session). Every published change bumps it inside the writing transaction,
// so the number a browser last saw tells whether it missed anything.
// app/live reads and bumps it; features do not touch it directly.
type LiveTopic struct {
	Topic     string `gorm:"primaryKey"`
	Seq       int64
	UpdatedAt time.Time
}

// TableName names the table.
func (LiveTopic) TableName() string { return "live_topics" }

// NextLiveSeq bumps the topic's sequence number and returns the new value.
// Call it inside the transaction that makes the change: on PostgreSQL the
// row stays locked until commit, so the numbers of one topic are handed
// out (and committed, and notified) in order.
func NextLiveSeq(ctx context.Context, tx *gorm.DB, topic string) (int64, error) {
	var seq int64
	err := tx.WithContext(ctx).Raw(`INSERT INTO live_topics (topic, seq, updated_at) VALUES (?, 1, ?)
		ON CONFLICT (topic) DO UPDATE SET seq = live_topics.seq + 1, updated_at = excluded.updated_at
		RETURNING seq`, topic, Now(tx)).Scan(&seq).Error
	if err != nil {
		return 0, fmt.Errorf("models: bump live sequence of %s: %w", topic, TranslateError(err))
	}
	return seq, nil
}

// LiveSeq returns the topic's current sequence number, 0 for a topic that
// never had an event.
func LiveSeq(ctx context.Context, db *gorm.DB, topic string) (int64, error) {
	var seqs []int64
	err := db.WithContext(ctx).Model(&LiveTopic{}).Where("topic = ?", topic).Pluck("seq", &seqs).Error
	if err != nil {
		return 0, fmt.Errorf("models: read live sequence of %s: %w", topic, TranslateError(err))
	}
	if len(seqs) == 0 {
		return 0, nil
	}
	return seqs[0], nil
}

// LivePresence is a lease held by one open live stream: who watches which
// topic, through which Debrief instance, until when. The stream renews it
// with its heartbeat; a lease past ExpiresAt belongs to a stream that died
// without saying goodbye (a crashed instance, a lost network).
type LivePresence struct {
	ID          string `gorm:"primaryKey"`
	Topic       string
	UserID      int64
	Instance    string
	ConnectedAt time.Time
	ExpiresAt   time.Time
}

// TableName names the table.
func (LivePresence) TableName() string { return "live_presence" }

// InsertLivePresence stores a new lease. It reports whether the user had no
// other live lease on the topic (the user just arrived).
func InsertLivePresence(ctx context.Context, tx *gorm.DB, p *LivePresence, now time.Time) (arrived bool, err error) {
	var others int64
	if err := tx.WithContext(ctx).Model(&LivePresence{}).
		Where("topic = ? AND user_id = ? AND expires_at > ?", p.Topic, p.UserID, UTC(now)).
		Count(&others).Error; err != nil {
		return false, fmt.Errorf("models: count presence: %w", TranslateError(err))
	}
	p.ConnectedAt, p.ExpiresAt = UTC(p.ConnectedAt), UTC(p.ExpiresAt)
	if err := tx.WithContext(ctx).Create(p).Error; err != nil {
		return false, fmt.Errorf("models: insert presence: %w", TranslateError(err))
	}
	return others == 0, nil
}

// RenewLivePresence moves a lease's expiry. ErrNotFound means the lease is
// gone (it expired and was swept): the caller inserts a new one.
func RenewLivePresence(ctx context.Context, db *gorm.DB, id string, expires time.Time) error {
	res := db.WithContext(ctx).Model(&LivePresence{}).Where("id = ?", id).Update("expires_at", UTC(expires))
	if res.Error != nil {
		return fmt.Errorf("models: renew presence: %w", TranslateError(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: renew presence %s: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteLivePresence ends a lease. It returns the lease's topic and whether
// its user has no other live lease there (the user left); ok is false when
// the lease was already gone.
func DeleteLivePresence(ctx context.Context, tx *gorm.DB, id string, now time.Time) (p LivePresence, left, ok bool, err error) {
	var gone []LivePresence
	if err := tx.WithContext(ctx).Raw(`DELETE FROM live_presence WHERE id = ? RETURNING *`, id).Scan(&gone).Error; err != nil {
		return p, false, false, fmt.Errorf("models: delete presence: %w", TranslateError(err))
	}
	if len(gone) == 0 {
		return p, false, false, nil
	}
	p = gone[0]
	var others int64
	if err := tx.WithContext(ctx).Model(&LivePresence{}).
		Where("topic = ? AND user_id = ? AND expires_at > ?", p.Topic, p.UserID, UTC(now)).
		Count(&others).Error; err != nil {
		return p, false, true, fmt.Errorf("models: count presence: %w", TranslateError(err))
	}
	return p, others == 0, true, nil
}

// ExpireLivePresence deletes every lease that expired before now and
// returns the topics they were on (each once).
func ExpireLivePresence(ctx context.Context, tx *gorm.DB, now time.Time) ([]string, error) {
	var topics []string
	if err := tx.WithContext(ctx).Raw(`DELETE FROM live_presence WHERE expires_at <= ? RETURNING topic`, UTC(now)).
		Scan(&topics).Error; err != nil {
		return nil, fmt.Errorf("models: expire presence: %w", TranslateError(err))
	}
	seen := map[string]bool{}
	out := topics[:0]
	for _, t := range topics {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// PresentUser is one person with at least one live stream on a topic.
type PresentUser struct {
	UserID int64
	Name   string
	// Connections counts the person's open streams (tabs, devices).
	Connections int
	// Since is when the person's oldest open stream connected.
	Since time.Time
}

// LivePresent lists who has a live lease on the topic at now, on any
// instance, by name.
func LivePresent(ctx context.Context, db *gorm.DB, topic string, now time.Time) ([]PresentUser, error) {
	var rows []struct {
		UserID      int64
		Name        string
		Connections int
		Since       string
	}
	// Since is scanned as text: SQLite returns MIN() of a DATETIME column as
	// a plain string, which database/sql cannot put into a time.Time.
	err := db.WithContext(ctx).Raw(`SELECT p.user_id, u.name, COUNT(*) AS connections, MIN(p.connected_at) AS since
		FROM live_presence p JOIN users u ON u.id = p.user_id
		WHERE p.topic = ? AND p.expires_at > ?
		GROUP BY p.user_id, u.name ORDER BY u.name, p.user_id`, topic, UTC(now)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: list presence on %s: %w", topic, TranslateError(err))
	}
	out := make([]PresentUser, 0, len(rows))
	for _, r := range rows {
		out = append(out, PresentUser{UserID: r.UserID, Name: r.Name, Connections: r.Connections, Since: parseDBTime(r.Since)})
	}
	return out, nil
}

// parseDBTime reads a timestamp as either dialect prints it as text.
func parseDBTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
