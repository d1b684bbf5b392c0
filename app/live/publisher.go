package live

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Transaction runs fn in a database transaction and delivers the events fn
// publishes if, and only if, it commits. It is the only way to publish
// sequenced events. Call it at the outermost level: not inside another
// transaction (models functions that open their own transactions are fine
// inside fn; they become savepoints). An error or panic in fn rolls back.
//
//	err := broker.Transaction(ctx, func(tx *gorm.DB, pub *live.Publisher) error {
//		note, err := models.AddNote(ctx, tx, actor, in)
//		if err != nil {
//			return err
//		}
//		_, err = pub.Publish(live.Topic("retro", in.RetroID), "note.added", note.ID)
//		return err
//	})
func (b *Broker) Transaction(ctx context.Context, fn func(tx *gorm.DB, pub *Publisher) error) (err error) {
	tx := b.db.WithContext(ctx).Begin()
	if tx.Error != nil {
		return fmt.Errorf("live: begin: %w", models.TranslateError(tx.Error))
	}
	pub := &Publisher{b: b, tx: tx}
	committed := false
	defer func() {
		pub.close()
		if !committed {
			tx.Rollback()
		}
	}()
	if err := fn(tx, pub); err != nil {
		return err
	}
	if b.postgres {
		// PostgreSQL sends the notifications at commit, in commit order.
		if err := tx.Commit().Error; err != nil {
			return fmt.Errorf("live: commit: %w", models.TranslateError(err))
		}
		committed = true
		b.published.Add(uint64(len(pub.events)))
		return nil
	}
	b.commitMu.Lock()
	defer b.commitMu.Unlock()
	if err := tx.Commit().Error; err != nil {
		return fmt.Errorf("live: commit: %w", models.TranslateError(err))
	}
	committed = true
	for _, ev := range pub.events {
		b.hub.Deliver(ev)
	}
	b.published.Add(uint64(len(pub.events)))
	return nil
}

// Publish publishes one sequenced event in a transaction of its own, for
// changes made outside a transaction (a timer that ran out, say).
func (b *Broker) Publish(ctx context.Context, topic, kind string, id int64) (Event, error) {
	var ev Event
	err := b.Transaction(ctx, func(_ *gorm.DB, pub *Publisher) error {
		var err error
		ev, err = pub.Publish(topic, kind, id)
		return err
	})
	return ev, err
}

// ErrPublisherDone is returned by a Publisher used after its transaction.
var ErrPublisherDone = errors.New("live: publisher used outside its transaction")

// Publisher publishes events inside one Broker.Transaction.
type Publisher struct {
	b      *Broker
	tx     *gorm.DB
	mu     sync.Mutex
	events []Event
	done   bool
}

// Publish bumps the topic's sequence number and publishes the event with
// it; the event is delivered when the transaction commits. It returns the
// event with its Seq.
func (p *Publisher) Publish(topic, kind string, id int64) (Event, error) {
	ev := Event{Topic: topic, Kind: kind, ID: id}
	if err := ev.Validate(); err != nil {
		return ev, err
	}
	if err := p.check(); err != nil {
		return ev, err
	}
	seq, err := models.NextLiveSeq(p.tx.Statement.Context, p.tx, topic)
	if err != nil {
		return ev, err
	}
	ev.Seq = seq
	return ev, p.queue(ev)
}

// Signal publishes an event outside the topic's sequence (Seq 0), also
// delivered on commit: for things a client may miss without harm, such as
// "someone is typing". Watch passes it to Render without checking order.
func (p *Publisher) Signal(topic, kind string, id int64) error {
	ev := Event{Topic: topic, Kind: kind, ID: id}
	if err := ev.Validate(); err != nil {
		return err
	}
	if err := p.check(); err != nil {
		return err
	}
	return p.queue(ev)
}

func (p *Publisher) check() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return ErrPublisherDone
	}
	return nil
}

func (p *Publisher) queue(ev Event) error {
	if p.b.postgres {
		payload, err := ev.encode()
		if err != nil {
			return err
		}
		if err := p.tx.Exec("SELECT pg_notify(?, ?)", p.b.opts.Channel, payload).Error; err != nil {
			return fmt.Errorf("live: notify: %w", models.TranslateError(err))
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, ev)
	return nil
}

func (p *Publisher) close() {
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
}
