// Package jobstest runs background jobs to completion in tests, on SQLite
// and PostgreSQL alike.
//
//	workers := river.NewWorkers()
//	river.AddWorker(workers, &MyWorker{})
//	q := jobstest.New(t, db, workers, clock.Now)
//	// … code under test enqueues jobs with q.InsertTx …
//	jobstest.Drain(t, q) // returns when no job is due any more
//
// Drain is deterministic about outcomes: it returns only when every job
// that is due by the queue's clock — including jobs those jobs enqueued and
// retries of failed ones — has finished. Jobs scheduled later stay put until
// the clock passes their time and Drain runs again.
package jobstest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
)

// New makes a queue for tests on db with the workers, a short poll
// interval and retries that come at once (so a test of retries does not
// wait for backoff), and closes it when the test ends. now is the test's
// clock (nil: real time); Drain releases scheduled jobs once it passes
// their time. The queue is not started: Drain starts it.
func New(t testing.TB, db *gorm.DB, workers *river.Workers, now func() time.Time, opts ...func(*jobs.Config)) *jobs.Queue {
	t.Helper()
	cfg := jobs.Config{
		Workers:      workers,
		PollInterval: 20 * time.Millisecond,
		RetryPolicy:  ImmediateRetry{},
		Now:          now,
		TestOnly:     true,
		Logger:       testLogger(t),
	}
	for _, o := range opts {
		o(&cfg)
	}
	q, err := jobs.New(db, cfg)
	if err != nil {
		t.Fatalf("jobstest: %v", err)
	}
	t.Cleanup(func() {
		if err := q.Close(); err != nil {
			t.Errorf("jobstest: close: %v", err)
		}
	})
	return q
}

// ImmediateRetry retries a failed job right away: tests exercise the retry
// path without waiting for River's exponential backoff.
type ImmediateRetry struct{}

// NextRetry is now.
func (ImmediateRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().UTC() }

// settleLimit bounds how long Drain waits for work to settle; reaching it
// means a job hangs, which fails the test rather than hanging it.
const settleLimit = 2 * time.Minute

// Drain starts q if needed and waits until no job is due by q's clock:
// none available or running, and none scheduled or awaiting retry at or
// before q.Now(). Scheduled jobs that are due are made available at once
// instead of waiting for River's scheduler tick.
func Drain(t testing.TB, q *jobs.Queue) {
	t.Helper()
	if err := DrainErr(context.Background(), q); err != nil {
		t.Fatalf("jobstest: drain: %v", err)
	}
}

// DrainErr is Drain returning an error instead of failing a test.
func DrainErr(ctx context.Context, q *jobs.Queue) error {
	if err := q.Start(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, settleLimit)
	defer cancel()
	client := q.Client()
	for {
		res, err := client.JobList(ctx, river.NewJobListParams().
			States(rivertype.JobStateAvailable, rivertype.JobStateRunning,
				rivertype.JobStateScheduled, rivertype.JobStateRetryable).
			First(10_000))
		if err != nil {
			return err
		}
		busy := false
		now := q.Now()
		for _, j := range res.Jobs {
			switch j.State {
			case rivertype.JobStateAvailable, rivertype.JobStateRunning:
				busy = true
			case rivertype.JobStateScheduled, rivertype.JobStateRetryable:
				if !j.ScheduledAt.After(now) {
					busy = true
					if _, err := client.JobRetry(ctx, j.ID); err != nil {
						return err
					}
				}
			}
		}
		if !busy {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs still due after %s: %w", settleLimit, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("DEBRIEF_TEST_LOG") == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
