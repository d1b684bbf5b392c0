package live_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/live/sse"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newUser(t *testing.T, db *gorm.DB, name string) *models.User {
	t.Helper()
	u, err := models.CreateUser(context.Background(), db, models.SystemActor("test"), models.NewUser{
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Name: name, Role: models.RoleMember,
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// watchServer serves /stream?topic=…&user=… with Watch; Snapshot sends
// "snapshot" with the number of snapshots so far, Render sends the kind.
type watchServer struct {
	*httptest.Server
	b         *live.Broker
	snapshots atomic.Int64
	ended     chan error
}

func newWatchServer(t *testing.T, b *live.Broker) *watchServer {
	t.Helper()
	ws := &watchServer{b: b, ended: make(chan error, 16)}
	ws.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := live.NewStream(w, b.Options().Retry)
		var uid int64
		_, _ = fmt.Sscan(r.URL.Query().Get("user"), &uid)
		topic := r.URL.Query().Get("topic")
		err := b.Watch(r.Context(), st, live.CursorFrom(r), live.Watcher{
			Topic:  topic,
			UserID: uid,
			Snapshot: func(ctx context.Context, _ int64) ([]live.Message, error) {
				n := ws.snapshots.Add(1)
				return []live.Message{{Event: "snapshot", Data: fmt.Sprintf("<div id=\"board\">\nsnapshot %d\n</div>", n)}}, nil
			},
			Render: func(ctx context.Context, ev live.Event) ([]live.Message, error) {
				if ev.Kind == "hidden" {
					return nil, nil // nothing this viewer may see
				}
				return []live.Message{{Event: ev.Kind, Data: fmt.Sprint(ev.ID)}}, nil
			},
		})
		ws.ended <- err
	}))
	t.Cleanup(ws.Close)
	return ws
}

type sseClient struct {
	res    *http.Response
	rd     *sse.Reader
	cancel context.CancelFunc
}

func (ws *watchServer) open(t *testing.T, query, lastID string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ws.URL+"/stream?"+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	return &sseClient{res: res, rd: sse.NewReader(res.Body), cancel: cancel}
}

func (c *sseClient) next(t *testing.T) sse.Received {
	t.Helper()
	type result struct {
		m   sse.Received
		err error
	}
	ch := make(chan result, 1)
	go func() { m, err := c.rd.Next(); ch <- result{m, err} }()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("read stream: %v", r.err)
		}
		return r.m
	case <-time.After(guard):
		t.Fatal("no message on the stream")
	}
	return sse.Received{}
}

func (ws *watchServer) waitEnded(t *testing.T) error {
	t.Helper()
	select {
	case err := <-ws.ended:
		return err
	case <-time.After(guard):
		t.Fatal("stream handler did not return")
	}
	return nil
}

func TestWatchSnapshotsNewClientsThenStreamsEventsWithIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		ws := newWatchServer(t, b)
		if _, err := b.Publish(ctx, "retro:1", "note.added", 1); err != nil {
			t.Fatal(err)
		}
		c := ws.open(t, "topic=retro:1", "")
		if c.res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("content type %q", c.res.Header.Get("Content-Type"))
		}
		m := c.next(t)
		if m.Event != "snapshot" || m.ID != "1" || m.Data != "<div id=\"board\">\nsnapshot 1\n</div>" {
			t.Fatalf("first message %+v", m)
		}
		if c.rd.Retry != int(b.Options().Retry.Milliseconds()) {
			t.Fatalf("retry %d", c.rd.Retry)
		}
		// The subscription exists before the snapshot is sent, so this
		// event cannot fall between them.
		if _, err := b.Publish(ctx, "retro:1", "note.added", 2); err != nil {
			t.Fatal(err)
		}
		if m := c.next(t); m.Event != "note.added" || m.Data != "2" || m.ID != "2" {
			t.Fatalf("event %+v", m)
		}
		// An event this viewer may not see still moves the id.
		if _, err := b.Publish(ctx, "retro:1", "hidden", 3); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Publish(ctx, "retro:1", "note.added", 4); err != nil {
			t.Fatal(err)
		}
		if m := c.next(t); m.Data != "4" || m.ID != "4" {
			t.Fatalf("after hidden: %+v", m)
		}
	})
}

func TestWatchSkipsTheSnapshotForACurrentCursorAndRefreshesAStaleOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		ws := newWatchServer(t, b)
		u := newUser(t, db, "Grace Hopper")
		for i := range 3 {
			if _, err := b.Publish(ctx, "retro:1", "note.added", int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		// Current (Last-Event-ID 3): no snapshot; the first thing sent is the
		// viewer's own arrival (presence, seq 4).
		c := ws.open(t, fmt.Sprintf("topic=retro:1&user=%d", u.ID), "3")
		if m := c.next(t); m.Event != live.KindPresence || m.ID != "4" || m.Data != fmt.Sprint(u.ID) {
			t.Fatalf("current cursor: %+v", m)
		}
		if ws.snapshots.Load() != 0 {
			t.Fatal("snapshot sent to an up-to-date client")
		}
		// Stale (?since=2 from an old page): snapshot at the current number.
		c2 := ws.open(t, "topic=retro:1&since=2", "")
		if m := c2.next(t); m.Event != "snapshot" || m.ID != "4" {
			t.Fatalf("stale cursor: %+v", m)
		}
		// A cursor from the future (a restored database) is stale too.
		c3 := ws.open(t, "topic=retro:1", "99")
		if m := c3.next(t); m.Event != "snapshot" || m.ID != "4" {
			t.Fatalf("future cursor: %+v", m)
		}
	})
}

func TestWatchRefreshesAfterAGapOrAResync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		ws := newWatchServer(t, b)
		c := ws.open(t, "topic=retro:1", "")
		if m := c.next(t); m.Event != "snapshot" || m.ID != "0" {
			t.Fatalf("first %+v", m)
		}
		// An event from further ahead than the next number means some were
		// lost on the way: the client gets a snapshot, not the event.
		b.Hub().Deliver(live.Event{Topic: "retro:1", Kind: "note.added", ID: 9, Seq: 2})
		if m := c.next(t); m.Event != "snapshot" || m.Data != "<div id=\"board\">\nsnapshot 2\n</div>" || m.ID != "0" {
			t.Fatalf("after gap %+v", m)
		}
		b.Hub().Resync()
		if m := c.next(t); m.Event != "snapshot" || m.Data != "<div id=\"board\">\nsnapshot 3\n</div>" {
			t.Fatalf("after resync %+v", m)
		}
		if _, err := b.Publish(ctx, "retro:1", "note.added", 5); err != nil {
			t.Fatal(err)
		}
		if m := c.next(t); m.Event != "note.added" || m.ID != "1" {
			t.Fatalf("then %+v", m)
		}
	})
}

func TestWatchEndsOnShutdownAndOnDisconnectAndLeavesPresence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		b := newBroker(t, db, live.Options{})
		ws := newWatchServer(t, b)
		ada, bob := newUser(t, db, "Ada Lovelace"), newUser(t, db, "Bob Kahn")
		c1 := ws.open(t, fmt.Sprintf("topic=retro:1&user=%d", ada.ID), "")
		c1.next(t) // snapshot
		c1.next(t) // Ada's arrival
		c2 := ws.open(t, fmt.Sprintf("topic=retro:1&user=%d", bob.ID), "")
		c2.next(t)
		c2.next(t)
		if m := c1.next(t); m.Event != live.KindPresence || m.Data != fmt.Sprint(bob.ID) {
			t.Fatalf("Ada sees %+v, want Bob's arrival", m)
		}
		present, err := b.Present(ctx, "retro:1")
		if err != nil || len(present) != 2 || present[0].Name != "Ada Lovelace" || present[1].Name != "Bob Kahn" {
			t.Fatalf("present %+v %v", present, err)
		}

		// Bob closes his tab: his handler ends, his lease goes, Ada is told.
		c2.cancel()
		if err := ws.waitEnded(t); err != nil {
			t.Fatal(err)
		}
		if m := c1.next(t); m.Event != live.KindPresence || m.Data != fmt.Sprint(bob.ID) {
			t.Fatalf("Ada sees %+v, want Bob leaving", m)
		}
		if present, _ := b.Present(ctx, "retro:1"); len(present) != 1 || present[0].UserID != ada.ID {
			t.Fatalf("present after Bob left %+v", present)
		}

		// Server shutdown ends Ada's stream (the response completes).
		b.Shutdown()
		if err := ws.waitEnded(t); err != nil {
			t.Fatal(err)
		}
		if _, err := c1.rd.Next(); err != io.EOF {
			t.Fatalf("after shutdown: %v, want EOF", err)
		}
		if present, _ := b.Present(ctx, "retro:1"); len(present) != 0 {
			t.Fatalf("present after shutdown %+v", present)
		}
		// New streams are not started while shutting down.
		c3 := ws.open(t, "topic=retro:1", "")
		if _, err := c3.rd.Next(); err != io.EOF {
			t.Fatalf("stream during shutdown: %v", err)
		}
		if err := ws.waitEnded(t); !errors.Is(err, live.ErrShutdown) {
			t.Fatalf("Watch during shutdown: %v, want ErrShutdown", err)
		}
	})
}

func TestHeartbeatKeepsTheConnectionAndTheLeaseAlive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
		ttl := time.Minute
		b := newBroker(t, db, live.Options{Now: clk.Now, Heartbeat: 5 * time.Millisecond, PresenceTTL: ttl})
		ws := newWatchServer(t, b)
		u := newUser(t, db, "Ada Lovelace")
		c := ws.open(t, fmt.Sprintf("topic=retro:1&user=%d", u.ID), "0")
		// Read raw lines: heartbeats are comments, which Reader skips.
		br := bufio.NewReader(c.res.Body)
		heartbeats := 0
		waitHeartbeat := func() {
			t.Helper()
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					t.Fatal(err)
				}
				if line == ": heartbeat\n" {
					heartbeats++
					return
				}
			}
		}
		waitHeartbeat()
		// Two hours pass: without renewals the lease would be stale, but the
		// heartbeats that follow renew it from the new time. (Heartbeats
		// read here may have been written before the clock moved, so keep
		// reading until a renewal shows.)
		clk.Advance(2 * time.Hour)
		var p models.LivePresence
		for {
			waitHeartbeat()
			if err := db.Where("topic = ?", "retro:1").Take(&p).Error; err != nil {
				t.Fatal(err)
			}
			if p.ExpiresAt.Equal(clk.Now().Add(ttl)) {
				break
			}
			if heartbeats > 10000 {
				t.Fatalf("lease never renewed: expires %v", p.ExpiresAt)
			}
		}
		present, err := b.Present(ctx, "retro:1")
		if err != nil || len(present) != 1 {
			t.Fatalf("present %+v %v", present, err)
		}
		if p.Instance != b.Instance() {
			t.Fatalf("instance %q", p.Instance)
		}
	})
}

func TestStaleLeasesExpireAndAreAnnounced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
		b := newBroker(t, db, live.Options{Now: clk.Now, PresenceTTL: time.Minute})
		ada, bob := newUser(t, db, "Ada Lovelace"), newUser(t, db, "Bob Kahn")
		sub := b.Subscribe("retro:1")
		defer sub.Close()
		la, err := b.Join(ctx, "retro:1", ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.Kind != live.KindPresence || ev.ID != ada.ID {
			t.Fatalf("join: %+v", ev)
		}
		// Ada's second tab: no new arrival.
		la2, err := b.Join(ctx, "retro:1", ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(40 * time.Second)
		if _, err := b.Join(ctx, "retro:1", bob.ID); err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.ID != bob.ID {
			t.Fatalf("second event %+v, want Bob's arrival", ev)
		}
		present, _ := b.Present(ctx, "retro:1")
		if len(present) != 2 || present[0].Connections != 2 || !present[0].Since.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("present %+v", present)
		}
		// Ada's instance stalls: 30 s later her leases are stale, Bob's not.
		clk.Advance(30 * time.Second)
		if present, _ := b.Present(ctx, "retro:1"); len(present) != 1 || present[0].UserID != bob.ID {
			t.Fatalf("present with stale leases %+v", present)
		}
		n, err := b.ExpirePresence(ctx)
		if err != nil || n != 1 {
			t.Fatalf("expired topics %d %v", n, err)
		}
		if ev := recvKind(t, sub); ev.Kind != live.KindPresence {
			t.Fatalf("expiry event %+v", ev)
		}
		// Ada's instance wakes up: renewing a swept lease takes it again.
		if err := la.Renew(ctx); err != nil {
			t.Fatal(err)
		}
		if ev := recvKind(t, sub); ev.ID != ada.ID {
			t.Fatalf("rejoin event %+v", ev)
		}
		if present, _ := b.Present(ctx, "retro:1"); len(present) != 2 {
			t.Fatalf("present after renew %+v", present)
		}
		// Leaving a lease that is already gone is fine.
		if err := la2.Leave(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
