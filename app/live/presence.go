package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Lease is one open stream's presence on a topic. Watch manages leases
// itself; use Join directly only for streams served some other way.
type Lease struct {
	b      *Broker
	id     string
	topic  string
	userID int64
}

// Join records that userID watches topic through this process, until the
// lease is left or expires (PresenceTTL without Renew). When the user had
// no other lease there, it publishes KindPresence (ID: the user).
func (b *Broker) Join(ctx context.Context, topic string, userID int64) (*Lease, error) {
	l := &Lease{b: b, id: newLeaseID(), topic: topic, userID: userID}
	return l, l.insert(ctx)
}

func (l *Lease) insert(ctx context.Context) error {
	now := l.b.opts.Now()
	return l.b.Transaction(ctx, func(tx *gorm.DB, pub *Publisher) error {
		arrived, err := models.InsertLivePresence(ctx, tx, &models.LivePresence{
			ID: l.id, Topic: l.topic, UserID: l.userID, Instance: l.b.opts.Instance,
			ConnectedAt: now, ExpiresAt: now.Add(l.b.opts.PresenceTTL),
		}, now)
		if err != nil || !arrived {
			return err
		}
		_, err = pub.Publish(l.topic, KindPresence, l.userID)
		return err
	})
}

// Renew extends the lease by PresenceTTL. If it had already expired and
// been swept (the process stalled), it is taken out again.
func (l *Lease) Renew(ctx context.Context) error {
	err := models.RenewLivePresence(ctx, l.b.db, l.id, l.b.opts.Now().Add(l.b.opts.PresenceTTL))
	if errors.Is(err, models.ErrNotFound) {
		return l.insert(ctx)
	}
	return err
}

// Leave ends the lease. When the user has no other lease on the topic it
// publishes KindPresence.
func (l *Lease) Leave(ctx context.Context) error {
	return l.b.Transaction(ctx, func(tx *gorm.DB, pub *Publisher) error {
		p, left, ok, err := models.DeleteLivePresence(ctx, tx, l.id, l.b.opts.Now())
		if err != nil || !ok || !left {
			return err
		}
		_, err = pub.Publish(p.Topic, KindPresence, p.UserID)
		return err
	})
}

// Present lists who watches the topic now, on any instance.
func (b *Broker) Present(ctx context.Context, topic string) ([]models.PresentUser, error) {
	return models.LivePresent(ctx, b.db, topic, b.opts.Now())
}

// ExpirePresence deletes stale leases (their streams died without leaving,
// say with a crashed instance) and publishes KindPresence on each topic
// that had one. Every instance runs it periodically; it is exported for
// tests and tools.
func (b *Broker) ExpirePresence(ctx context.Context) (int, error) {
	var n int
	err := b.Transaction(ctx, func(tx *gorm.DB, pub *Publisher) error {
		topics, err := models.ExpireLivePresence(ctx, tx, b.opts.Now())
		if err != nil {
			return err
		}
		n = len(topics)
		for _, t := range topics {
			if _, err := pub.Publish(t, KindPresence, 0); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

func (b *Broker) sweep(ctx context.Context) {
	t := time.NewTicker(b.opts.PresenceTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := b.ExpirePresence(ctx); err != nil && ctx.Err() == nil {
				b.log.Warn("live: expiring presence leases", "err", err)
			}
		}
	}
}

func newLeaseID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
