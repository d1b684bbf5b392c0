package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Options tune a Broker; the zero value is right for production.
type Options struct {
	Logger *slog.Logger
	// Now is the clock for presence leases (tests move it).
	Now func() time.Time
	// Buffer is each subscriber's channel size (64).
	Buffer int
	// Instance names this process in presence rows (host:pid:random).
	Instance string
	// Channel is the PostgreSQL NOTIFY channel ("debrief_live").
	Channel string
	// Heartbeat is how often a stream sends a keep-alive comment and
	// renews its presence lease (15 s).
	Heartbeat time.Duration
	// PresenceTTL is how long a lease lives without renewal (3 heartbeats).
	PresenceTTL time.Duration
	// Retry is the reconnection delay suggested to browsers (2 s).
	Retry time.Duration
	// ReconnectMin and ReconnectMax bound the listener's backoff (100 ms, 5 s).
	ReconnectMin, ReconnectMax time.Duration
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Instance == "" {
		host, _ := os.Hostname()
		b := make([]byte, 3)
		_, _ = rand.Read(b)
		o.Instance = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.Channel == "" {
		o.Channel = "debrief_live"
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	if o.PresenceTTL <= 0 {
		o.PresenceTTL = 3 * o.Heartbeat
	}
	if o.Retry <= 0 {
		o.Retry = 2 * time.Second
	}
	if o.ReconnectMin <= 0 {
		o.ReconnectMin = 100 * time.Millisecond
	}
	if o.ReconnectMax <= 0 {
		o.ReconnectMax = 5 * time.Second
	}
}

// Broker is live updates for one process: the hub, publishing in
// transactions, the PostgreSQL listener, presence, and Watch for streams.
// Build it with New, Start it, Shutdown it when the HTTP server begins
// shutting down (that ends every stream), Close it at exit.
type Broker struct {
	db       *gorm.DB
	hub      *Hub
	opts     Options
	log      *slog.Logger
	postgres bool
	dsn      string

	// commitMu orders SQLite commits with their in-process delivery, so
	// subscribers see one topic's events in sequence order.
	commitMu sync.Mutex

	published  atomic.Uint64
	listening  atomic.Bool
	reconnects atomic.Uint64
	listenPID  atomic.Uint32

	shared shareCache

	startOnce sync.Once
	stop      context.CancelFunc
	wg        sync.WaitGroup
}

// New builds a broker on db. On PostgreSQL it needs the DSN gorm was opened
// with (it opens its own LISTEN connection); on SQLite it delivers in
// process only.
func New(db *gorm.DB, opts Options) (*Broker, error) {
	opts.defaults()
	b := &Broker{db: db, hub: NewHub(opts.Buffer), opts: opts, log: opts.Logger}
	if models.SQL(db).ListenNotify() {
		dsn, err := postgresDSN(db)
		if err != nil {
			return nil, err
		}
		b.postgres, b.dsn = true, dsn
	} else {
		b.listening.Store(true)
	}
	return b, nil
}

// Hub is the broker's in-process hub.
func (b *Broker) Hub() *Hub { return b.hub }

// Instance is this process's name in presence rows.
func (b *Broker) Instance() string { return b.opts.Instance }

// Postgres reports whether events cross instances through PostgreSQL
// LISTEN/NOTIFY (false: this process's hub alone serves them).
func (b *Broker) Postgres() bool { return b.postgres }

// Options returns the effective options.
func (b *Broker) Options() Options { return b.opts }

// Start runs the background work: the PostgreSQL listener and the sweeper
// of expired presence leases. On PostgreSQL it waits (up to wait) for the
// first LISTEN, so events published right after start are not missed; if
// PostgreSQL does not answer by then the listener keeps trying in the
// background. Start is idempotent.
func (b *Broker) Start(ctx context.Context, wait time.Duration) {
	b.startOnce.Do(func() {
		ctx, b.stop = context.WithCancel(context.WithoutCancel(ctx))
		ready := make(chan struct{})
		if b.postgres {
			b.wg.Add(1)
			go func() {
				defer b.wg.Done()
				b.listen(ctx, ready)
			}()
		} else {
			close(ready)
		}
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.sweep(ctx)
		}()
		select {
		case <-ready:
		case <-time.After(wait):
			b.log.Warn("live: PostgreSQL listener not connected yet; retrying in the background")
		}
	})
}

// Shutdown ends every subscription (and so every stream served by Watch)
// and refuses new ones. Call it when the HTTP server starts shutting down,
// so open streams do not hold the shutdown up.
func (b *Broker) Shutdown() { b.hub.Close() }

// Close stops the background work and ends every subscription.
func (b *Broker) Close() {
	b.hub.Close()
	if b.stop != nil {
		b.stop()
	}
	b.wg.Wait()
}

// Subscribe starts receiving a topic's events on this process. Close the
// subscription when the client leaves. Most handlers use Watch instead.
func (b *Broker) Subscribe(topic string) *Subscription { return b.hub.Subscribe(topic) }

// Seq returns the topic's current sequence number (0 before its first
// event). Read it before loading the state it describes: then the state is
// at least as new as the number, and replaying an event the state already
// shows is harmless.
func (b *Broker) Seq(ctx context.Context, topic string) (int64, error) {
	return models.LiveSeq(ctx, b.db, topic)
}

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

// Stats are the broker's figures for metrics and tests.
type Stats struct {
	HubStats
	// Published counts committed events.
	Published uint64
	// Listening is true while the PostgreSQL LISTEN connection is up
	// (always on SQLite).
	Listening bool
	// Reconnects counts LISTEN connections made after the first.
	Reconnects uint64
	// ListenerPID is the PostgreSQL backend of the LISTEN connection.
	ListenerPID uint32
}

// Stats returns current figures.
func (b *Broker) Stats() Stats {
	return Stats{
		HubStats:    b.hub.Stats(),
		Published:   b.published.Load(),
		Listening:   b.listening.Load(),
		Reconnects:  b.reconnects.Load(),
		ListenerPID: b.listenPID.Load(),
	}
}
