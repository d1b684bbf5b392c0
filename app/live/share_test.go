package live_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestShareComputesOncePerTopicSequenceAndKey(t *testing.T) {
	b, err := live.New(dbtest.New(t, "sqlite"), live.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var calls atomic.Int64
	release := make(chan struct{})
	fn := func(context.Context) (string, error) {
		calls.Add(1)
		<-release
		return "list", nil
	}
	var wg sync.WaitGroup
	results := make(chan string, 50)
	for range 50 {
		wg.Go(func() {
			v, err := live.Share(ctx, b, "retro:1", 7, "presence", fn)
			if err != nil {
				t.Error(err)
			}
			results <- v
		})
	}
	// Wait until the first caller computes, then let it finish.
	for calls.Load() == 0 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	close(results)
	for v := range results {
		if v != "list" {
			t.Fatalf("got %q", v)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("computed %d times for one (topic, seq, key)", calls.Load())
	}
	// Another sequence number or key computes again.
	if _, err := live.Share(ctx, b, "retro:1", 8, "presence", fn); err != nil || calls.Load() != 2 {
		t.Fatalf("new seq: %d calls, %v", calls.Load(), err)
	}
	if _, err := live.Share(ctx, b, "retro:1", 8, "timer", fn); err != nil || calls.Load() != 3 {
		t.Fatalf("new key: %d calls", calls.Load())
	}
	// Errors are not kept.
	boom := errors.New("db down")
	fails := 0
	failing := func(context.Context) (int, error) { fails++; return 0, boom }
	for range 2 {
		if _, err := live.Share(ctx, b, "retro:1", 9, "x", failing); !errors.Is(err, boom) {
			t.Fatalf("err %v", err)
		}
	}
	if fails != 2 {
		t.Fatalf("an error was cached (%d calls)", fails)
	}
}
