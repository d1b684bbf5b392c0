package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

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
