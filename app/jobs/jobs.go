// Package jobs runs Debrief's background jobs on River (riverqueue) over the
// app's own database, SQLite or PostgreSQL. It is the small layer the
// features build on:
//
//   - Workers are plain River workers (river.Worker[T]) added to a
//     river.Workers bundle with river.AddWorker before New.
//   - Jobs are enqueued with Queue.InsertTx inside the gorm transaction that
//     makes the change they belong to, so a job exists exactly when the change
//     was committed; Queue.Insert enqueues outside a transaction.
//   - Periodic jobs (digests, sweeps) are declared with NewPeriodic and a
//     schedule (Every, Daily, Weekly). River elects one leader among all
//     instances on the database, and only the leader enqueues periodic jobs.
//   - Inside a worker, FromContext returns the Queue to enqueue follow-up jobs.
//
// One Queue per process: `debrief serve` starts it after the schema check and
// stops it after the HTTP server has drained. Tests use jobstest.Drain to
// run jobs to completion deterministically.
//
// River's own tables are migrated by migrations.Apply (rivermigrate), beside
// Debrief's goose migrations.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Client is the River client type Debrief uses: both drivers work on
// database/sql transactions.
type Client = river.Client[*sql.Tx]

// Config tunes a Queue. The zero value is an insert-only queue with
// production defaults.
type Config struct {
	// Workers are the job workers this process runs. A Queue without
	// workers can insert jobs but not be started.
	Workers *river.Workers
	// Periodic jobs are enqueued on schedule by the elected leader.
	Periodic []*river.PeriodicJob
	Logger   *slog.Logger
	// Concurrency is how many jobs run at once in this process (default 10).
	Concurrency int
	// PollInterval is how often to look for new jobs when no notification
	// arrives (SQLite always polls; default 1s). Tests use a short one.
	PollInterval time.Duration
	// RetryPolicy decides when a failed job runs again; nil is River's
	// exponential backoff (attempt⁴ seconds, with jitter).
	RetryPolicy river.ClientRetryPolicy
	// Now is the app's clock (tests move it forward); nil is the real
	// time. River itself always runs on the real time — stubbing its clock
	// makes its stuck-job rescuer misfire — so a test clock only decides
	// which scheduled jobs jobstest.Drain releases early. Keep test clocks
	// at or after the real time (apptest.Clock's zero value plus Advance).
	Now func() time.Time
	// TestOnly skips River's start-up jitter (tests only).
	TestOnly bool
}

// Queue is Debrief's job queue: a River client on the app's database.
type Queue struct {
	client   *Client
	db       *gorm.DB
	dialect  string
	own      *sql.DB       // SQLite: River's own one-connection pool
	listener *pgxpool.Pool // PostgreSQL: LISTEN/NOTIFY for prompt pick-up
	canWork  bool
	log      *slog.Logger
	now      func() time.Time

	mu      sync.Mutex
	started bool
}

// New makes the queue for db. On SQLite River gets its own connection to
// the same file with a single connection (River's advice), while gorm keeps
// its pool; on PostgreSQL it shares gorm's pool and listens for new jobs on
// one extra connection.
func New(db *gorm.DB, cfg Config) (*Queue, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 10
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	q := &Queue{db: db, dialect: db.Dialector.Name(), log: cfg.Logger, now: cfg.Now}
	rc := &river.Config{
		Logger:            cfg.Logger.With("component", "river"),
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, river.FetchCooldownDefault),
		PeriodicJobs:      cfg.Periodic,
		RetryPolicy:       cfg.RetryPolicy,
		TestOnly:          cfg.TestOnly,
		// River refuses to insert kinds it has no worker for; an insert-only
		// queue (a CLI command) enqueues kinds that `serve` works.
		SkipUnknownJobCheck: cfg.Workers == nil,
	}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Concurrency}}
		rc.WorkerMiddleware = []rivertype.WorkerMiddleware{&queueInContext{q: q}}
		q.canWork = true
	}
	var (
		client *Client
		err    error
	)
	switch q.dialect {
	case "sqlite":
		d, ok := db.Dialector.(*sqlite.Dialector)
		if !ok || d.DSN == "" {
			return nil, errors.New("jobs: the SQLite database has no file DSN to open River's connection with")
		}
		own, oerr := sql.Open("sqlite", d.DSN)
		if oerr != nil {
			return nil, fmt.Errorf("jobs: open River's SQLite connection: %w", oerr)
		}
		own.SetMaxOpenConns(1)
		q.own = own
		rc.PollOnly = true
		client, err = river.NewClient(riversqlite.New(own), rc)
		if err != nil {
			_ = own.Close()
			return nil, fmt.Errorf("jobs: %w", err)
		}
	case "postgres":
		sqlDB, derr := db.DB()
		if derr != nil {
			return nil, fmt.Errorf("jobs: %w", derr)
		}
		driver := riverdatabasesql.New(sqlDB)
		if d, ok := db.Dialector.(*postgres.Dialector); ok && d.Config != nil && d.Config.DSN != "" && q.canWork {
			pc, perr := pgxpool.ParseConfig(d.Config.DSN)
			if perr != nil {
				return nil, fmt.Errorf("jobs: listener: %w", perr)
			}
			pc.MaxConns = 2
			if q.listener, perr = pgxpool.NewWithConfig(context.Background(), pc); perr != nil {
				return nil, fmt.Errorf("jobs: listener: %w", perr)
			}
			driver = riverdatabasesql.NewWithPgxListener(sqlDB, q.listener)
		} else {
			rc.PollOnly = true
		}
		client, err = river.NewClient(driver, rc)
		if err != nil {
			q.closePools()
			return nil, fmt.Errorf("jobs: %w", err)
		}
	default:
		return nil, fmt.Errorf("jobs: unknown dialect %q", q.dialect)
	}
	q.client = client
	return q, nil
}

// Start begins working jobs (and, on the leader, enqueueing periodic ones).
// Calling it again on a started queue does nothing.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return nil
	}
	if !q.canWork {
		return errors.New("jobs: this queue has no workers and can only insert")
	}
	// Jobs outlive the request or command that started the queue; Stop
	// ends them.
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.started = true
	return nil
}

// Stop stops fetching new jobs and waits for running ones to finish. When
// ctx ends first, running jobs are cancelled (their contexts end) and Stop
// waits briefly for them to return; a cancelled job runs again later.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.started {
		return nil
	}
	err := q.client.Stop(ctx)
	if err != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err2 := q.client.StopAndCancel(hard); err2 != nil {
			return fmt.Errorf("jobs: stop: %w", errors.Join(err, err2))
		}
	}
	q.started = false
	return nil
}

// Close stops the queue if needed and releases its own connections. The
// app's gorm pool stays open.
func (q *Queue) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := q.Stop(ctx)
	q.closePools()
	return err
}

func (q *Queue) closePools() {
	if q.own != nil {
		_ = q.own.Close()
		q.own = nil
	}
	if q.listener != nil {
		q.listener.Close()
		q.listener = nil
	}
}

// ErrNotInTransaction is returned by InsertTx for a handle that is not
// inside a transaction.
var ErrNotInTransaction = errors.New("jobs: InsertTx needs a gorm transaction (db.Transaction or db.Begin)")

// InsertTx enqueues a job inside the gorm transaction tx: the job becomes
// visible when tx commits and vanishes if it rolls back. opts may be nil;
// use InsertOpts.ScheduledAt to run it later and UniqueOpts to drop
// duplicates.
func (q *Queue) InsertTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, ErrNotInTransaction
	}
	res, err := q.client.InsertTx(ctx, sqlTx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// Insert enqueues a job on its own, outside any transaction.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// Client is the underlying River client, for what this package does not
// wrap (job lists, cancelling, subscriptions).
func (q *Queue) Client() *Client { return q.client }

// Now is the queue's clock: Config.Now, or the real time.
func (q *Queue) Now() time.Time {
	if q.now != nil {
		return q.now()
	}
	return models.SystemClock()
}

// DB is the database the queue runs on.
func (q *Queue) DB() *gorm.DB { return q.db }

type queueKey struct{}

// queueInContext gives workers their Queue through FromContext.
type queueInContext struct {
	river.WorkerMiddlewareDefaults
	q *Queue
}

func (m *queueInContext) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	return doInner(context.WithValue(ctx, queueKey{}, m.q))
}

// FromContext returns the Queue running the current job, inside a worker's
// Work method; nil elsewhere.
func FromContext(ctx context.Context) *Queue {
	q, _ := ctx.Value(queueKey{}).(*Queue)
	return q
}
