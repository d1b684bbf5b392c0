package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// log records which worker ran which job, across queues.
type log struct {
	mu   sync.Mutex
	runs map[string][]string // job name → queue names that ran it
	fail map[string]int      // job name → failures still to give
}

func newLog() *log { return &log{runs: map[string][]string{}, fail: map[string]int{}} }

func (l *log) record(name, by string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs[name] = append(l.runs[name], by)
	if l.fail[name] > 0 {
		l.fail[name]--
		return errors.New("simulated failure")
	}
	return nil
}

func (l *log) count(name string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.runs[name])
}

type noteArgs struct {
	Name string `json:"name"`
	// Then is enqueued by the worker as a follow-up job.
	Then string `json:"then,omitempty"`
}

func (noteArgs) Kind() string { return "test_note" }

type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	log *log
	by  string
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	if err := w.log.record(job.Args.Name, w.by); err != nil {
		return err
	}
	if job.Args.Then != "" {
		q := jobs.FromContext(ctx)
		if q == nil {
			return errors.New("no queue in the worker's context")
		}
		return q.DB().Transaction(func(tx *gorm.DB) error {
			_, err := q.InsertTx(ctx, tx, noteArgs{Name: job.Args.Then}, nil)
			return err
		})
	}
	return nil
}

func workersFor(l *log, by string) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &noteWorker{log: l, by: by})
	return w
}

func insert(t *testing.T, q *jobs.Queue, db *gorm.DB, args noteArgs, opts *river.InsertOpts) {
	t.Helper()
	err := db.Transaction(func(tx *gorm.DB) error {
		_, err := q.InsertTx(context.Background(), tx, args, opts)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInsertTxFollowsTheTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLog()
		q := jobstest.New(t, db, workersFor(l, "a"), nil)
		ctx := context.Background()

		// Rolled back: the job never existed.
		boom := errors.New("roll back")
		err := db.Transaction(func(tx *gorm.DB) error {
			if _, err := q.InsertTx(ctx, tx, noteArgs{Name: "rolled-back"}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		// Committed, with a follow-up job enqueued by the worker.
		insert(t, q, db, noteArgs{Name: "first", Then: "follow-up"}, nil)
		if _, err := q.InsertTx(ctx, db, noteArgs{Name: "x"}, nil); !errors.Is(err, jobs.ErrNotInTransaction) {
			t.Fatalf("InsertTx outside a transaction: %v", err)
		}
		jobstest.Drain(t, q)
		for name, want := range map[string]int{"rolled-back": 0, "first": 1, "follow-up": 1} {
			if got := l.count(name); got != want {
				t.Errorf("%s ran %d times, want %d", name, got, want)
			}
		}
	})
}

func TestScheduledJobsWaitForTheirTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLog()
		clock := &apptest.Clock{} // the real time, moved by Advance
		q := jobstest.New(t, db, workersFor(l, "a"), clock.Now)
		insert(t, q, db, noteArgs{Name: "later"}, &river.InsertOpts{ScheduledAt: clock.Now().Add(3 * time.Hour)})
		insert(t, q, db, noteArgs{Name: "now"}, nil)
		jobstest.Drain(t, q)
		if l.count("now") != 1 || l.count("later") != 0 {
			t.Fatalf("before: now=%d later=%d", l.count("now"), l.count("later"))
		}
		clock.Advance(3 * time.Hour)
		jobstest.Drain(t, q)
		if l.count("later") != 1 {
			t.Fatalf("after: later=%d", l.count("later"))
		}
	})
}

func TestFailedJobsAreRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLog()
		l.fail["flaky"] = 2
		q := jobstest.New(t, db, workersFor(l, "a"), nil)
		insert(t, q, db, noteArgs{Name: "flaky"}, &river.InsertOpts{MaxAttempts: 5})
		jobstest.Drain(t, q)
		if got := l.count("flaky"); got != 3 {
			t.Fatalf("ran %d times, want 3 (two failures, one success)", got)
		}
	})
}

// TestSeveralInstancesShareTheQueue: two queues (two processes) on one
// database run each job exactly once between them.
func TestSeveralInstancesShareTheQueue(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		dsn := dbtest.NewDSN(t, dialect)
		open := func() *gorm.DB {
			db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 4, Logger: apptest.TestLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		l := newLog()
		dbA, dbB := open(), open()
		a := jobstest.New(t, dbA, workersFor(l, "a"), nil)
		b := jobstest.New(t, dbB, workersFor(l, "b"), nil)
		ctx := context.Background()
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := b.Start(ctx); err != nil {
			t.Fatal(err)
		}
		const n = 40
		for i := range n {
			q, db := a, dbA
			if i%2 == 1 {
				q, db = b, dbB
			}
			insert(t, q, db, noteArgs{Name: fmt.Sprint("job-", i)}, nil)
		}
		jobstest.Drain(t, a)
		jobstest.Drain(t, b)
		for i := range n {
			if got := l.count(fmt.Sprint("job-", i)); got != 1 {
				t.Errorf("job-%d ran %d times", i, got)
			}
		}
	})
}

func TestPeriodicJobRunsOnTheLeader(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ran := make(chan string, 4)
		w := river.NewWorkers()
		river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[noteArgs]) error {
			ran <- job.Args.Name
			return nil
		}))
		q := jobstest.New(t, db, w, nil, func(c *jobs.Config) {
			c.Periodic = append(c.Periodic, jobs.NewPeriodic("test.daily", jobs.Daily(6, 0, time.UTC), func() river.JobArgs {
				return noteArgs{Name: "periodic"}
			}, true))
		})
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ran:
			if got != "periodic" {
				t.Fatalf("ran %q", got)
			}
		case <-time.After(time.Minute):
			t.Fatal("the periodic job never ran (no leader elected?)")
		}
	})
}

func TestWallClockSchedules(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		sched river.PeriodicSchedule
		from  time.Time
		want  time.Time
	}{
		{"daily later today", jobs.Daily(9, 30, time.UTC), time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)},
		{"daily at the time is tomorrow", jobs.Daily(9, 30, time.UTC), time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)},
		{"daily across DST keeps local time", jobs.Daily(8, 0, berlin), time.Date(2026, 3, 28, 12, 0, 0, 0, berlin), time.Date(2026, 3, 29, 8, 0, 0, 0, berlin)},
		{"weekly Monday from Tuesday", jobs.Weekly(time.Monday, 7, 0, time.UTC), time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 7, 0, 0, 0, time.UTC)},
		{"weekly Monday from Monday early", jobs.Weekly(time.Monday, 7, 0, time.UTC), time.Date(2026, 3, 2, 6, 59, 0, 0, time.UTC), time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		if got := c.sched.Next(c.from); !got.Equal(c.want) {
			t.Errorf("%s: Next(%s) = %s, want %s", c.name, c.from, got, c.want)
		}
	}
}
