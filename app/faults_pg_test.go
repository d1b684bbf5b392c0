//go:build unix

package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/live/sse"
	"github.com/debrief-sre/debrief/migrations"
	"github.com/debrief-sre/debrief/models"
)

// reconnectingStream reads an SSE stream as a browser does: when the
// stream ends or cannot be opened it tries again, sending Last-Event-ID.
type reconnectingStream struct {
	mu         sync.Mutex
	data       []string // every event's data, in order
	events     []string // every event's name, in order
	opens      int
	lastID     string
	hc         *http.Client
	url        string
	cookieHdrs http.Header
}

func (s *reconnectingStream) run(ctx context.Context) {
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
		req.Header.Set("Accept", "text/event-stream")
		s.mu.Lock()
		if s.lastID != "" {
			req.Header.Set("Last-Event-ID", s.lastID)
		}
		s.mu.Unlock()
		res, err := s.hc.Do(req)
		if err == nil && res.StatusCode == http.StatusOK {
			s.mu.Lock()
			s.opens++
			s.mu.Unlock()
			rd := sse.NewReader(res.Body)
			for {
				m, err := rd.Next()
				if err != nil {
					break
				}
				s.mu.Lock()
				s.data = append(s.data, m.Data)
				s.events = append(s.events, m.Event)
				if m.ID != "" {
					s.lastID = m.ID
				}
				s.mu.Unlock()
			}
		}
		if res != nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		select { // a browser's EventSource retries after a pause
		case <-ctx.Done():
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// seen reports whether an event's data contained marker, and how many
// times the stream was opened.
func (s *reconnectingStream) seen(marker string) (bool, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.data {
		if strings.Contains(d, marker) {
			return true, s.opens
		}
	}
	return false, s.opens
}

func (s *reconnectingStream) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.data)
}

// TestPostgresRestartUnderLoad restarts a private PostgreSQL (an immediate
// shutdown, as a crash) while API writes and live streams are in flight:
// Debrief keeps running, /readyz answers 503 while the database is down
// and 200 within 5 s after it is back, the streams reconnect and receive
// what happens afterwards, and every write that was acknowledged is there.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pg := startPrivatePG(t)
	ctx := context.Background()
	dsn := models.DSN{Dialect: models.DialectPostgres, Conn: pg.URL()}
	db, err := models.Open(ctx, dsn, models.Options{MaxConns: 8, Logger: apptest.TestLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	sqlDB, _ := db.DB()
	if err := migrations.Apply(ctx, sqlDB, models.DialectPostgres, nil); err != nil {
		t.Fatal(err)
	}
	env := apptest.New(t, db)
	admin, u := env.As(models.RoleAdmin)
	token := env.APIToken(u)
	admin.Get("/readyz").Expect(t, http.StatusOK)

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var wg sync.WaitGroup

	// Writers: incidents through the API, back to back.
	type ack struct{ key, title string }
	var (
		mu       sync.Mutex
		acked    []ack
		statuses = map[int]int{}
	)
	api := &http.Client{Timeout: 10 * time.Second}
	keyRe := regexp.MustCompile(`"key":\s*"([^"]+)"`)
	for w := range 2 {
		wg.Go(func() {
			for n := 0; loadCtx.Err() == nil; n++ {
				title := fmt.Sprintf("Restart writer %d incident %d", w, n)
				req, _ := http.NewRequestWithContext(loadCtx, http.MethodPost, env.URL("/api/v1/incidents"),
					strings.NewReader(fmt.Sprintf(`{"title": %q, "started_at": "2026-03-01T10:00:00Z"}`, title)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := api.Do(req)
				if err != nil {
					if loadCtx.Err() == nil {
						mu.Lock()
						statuses[-1]++
						mu.Unlock()
					}
					continue
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				mu.Lock()
				statuses[res.StatusCode]++
				if res.StatusCode == http.StatusCreated {
					m := keyRe.FindSubmatch(body)
					if m == nil {
						t.Errorf("201 without a key: %s", body)
					} else {
						acked = append(acked, ack{string(m[1]), title})
					}
				}
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		})
	}

	// Streams: the admin "Live updates" stream, read as browsers would.
	streams := make([]*reconnectingStream, 5)
	for i := range streams {
		streams[i] = &reconnectingStream{hc: &http.Client{Jar: admin.HTTP.Jar}, url: env.URL("/admin/live/stream")}
		s := streams[i]
		wg.Go(func() { s.run(loadCtx) })
	}
	pingRe := regexp.MustCompile(`data-ping="(\d+)"`)
	ping := func() string {
		t.Helper()
		r := admin.Send(http.MethodPost, "/admin/live/ping", "application/x-www-form-urlencoded", "")
		r.Expect(t, http.StatusOK)
		m := pingRe.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no data-ping in %s", r.Body)
		}
		return `data-ping="` + m[1] + `"`
	}
	waitAll := func(marker, when string) {
		t.Helper()
		deadline := time.Now().Add(apptest.StreamGuard)
		for i, s := range streams {
			for {
				ok, opens := s.seen(marker)
				if ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("stream %d (opened %d times) never received the ping sent %s", i, opens, when)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
	// Every stream is open (its first snapshot arrived) before the first ping.
	for i, s := range streams {
		deadline := time.Now().Add(apptest.StreamGuard)
		for s.count() == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("stream %d did not open", i)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitAll(ping(), "before the restart")
	time.Sleep(500 * time.Millisecond) // writes in flight

	// The crash.
	pg.Crash()
	downAt := time.Now()
	for admin.Get("/readyz").StatusCode != http.StatusServiceUnavailable {
		if time.Since(downAt) > 5*time.Second {
			t.Fatal("readyz still not 503 five seconds after PostgreSQL stopped")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("readyz 503 %.2f s after the stop", time.Since(downAt).Seconds())
	admin.Get("/healthz").Expect(t, http.StatusOK)
	r := admin.Get("/")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.Body, `data-testid="error-page"`) {
		t.Fatalf("page while PostgreSQL is down: %d\n%.500s", r.StatusCode, r.Body)
	}
	time.Sleep(2 * time.Second) // down for a while, writers and streams retrying
	before := make([]int, len(streams))
	for i, s := range streams {
		before[i] = s.count()
	}

	pg.Start()
	upAt := time.Now()
	for admin.Get("/readyz").StatusCode != http.StatusOK {
		if time.Since(upAt) > 5*time.Second {
			t.Fatal("readyz not 200 within 5 s of PostgreSQL accepting connections again")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("readyz 200 %.2f s after PostgreSQL was back", time.Since(upAt).Seconds())

	// Streams catch up: an event published before the live listener has
	// reconnected is not lost for good, since the reconnect makes every
	// stream resync (a snapshot whose id is the topic's current sequence
	// number). So each stream reaches the current number, and then a new
	// event arrives live.
	ping()
	seq, err := models.LiveSeq(ctx, db, "admin:live-check")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(apptest.StreamGuard)
	for i, s := range streams {
		for {
			s.mu.Lock()
			last, opens := s.lastID, s.opens
			s.mu.Unlock()
			if last == fmt.Sprint(seq) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("stream %d (opened %d times) is at %q, not at the current sequence number %d", i, opens, last, seq)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("streams caught up %.2f s after PostgreSQL was back", time.Since(upAt).Seconds())
	waitAll(ping(), "after the streams caught up")
	time.Sleep(500 * time.Millisecond) // writes after the restart
	stopLoad()
	wg.Wait()
	for i, s := range streams {
		if s.count() <= before[i] {
			t.Errorf("stream %d received nothing after the restart", i)
		}
	}

	// No acknowledged write lost; nothing but 201 and 503 answered.
	mu.Lock()
	defer mu.Unlock()
	t.Logf("writes: %d acknowledged; statuses %v", len(acked), statuses)
	for code, n := range statuses {
		if code != http.StatusCreated && code != http.StatusServiceUnavailable {
			t.Errorf("%d writes answered %d", n, code)
		}
	}
	if statuses[http.StatusCreated] == 0 || len(acked) == 0 {
		t.Fatal("no write was acknowledged")
	}
	reader := env.Bearer(token)
	for _, a := range acked {
		r := reader.Get("/api/v1/incidents/" + a.key)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, fmt.Sprintf("%q", a.title)) {
			t.Errorf("acknowledged incident %s %q is missing after the restart: %d %.300s", a.key, a.title, r.StatusCode, r.Body)
		}
	}
}
