package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

var pingMarker = regexp.MustCompile(`data-ping="(\d+)"`)

func TestLiveCheckStreamsTestEventsAndPresence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ada := env.CreateUser(models.RoleAdmin, "Ada Admin")
		c := env.Client().SignIn(ada)

		page := c.Get("/admin/live").Expect(t, http.StatusOK).Doc(t)
		connect, _ := page.Find(apptest.TestID("live-check")).Attr("sse-connect")
		if connect != "/admin/live/stream?since=0" {
			t.Fatalf("sse-connect %q", connect)
		}
		if page.Find(apptest.TestID("live-instance")).Text() != env.App.Live().Instance() {
			t.Fatal("instance not shown")
		}

		// The stream: SSE headers, never gzipped, the snapshot first.
		c.Header.Set("Accept-Encoding", "gzip")
		s := c.Stream(connect, "")
		if ct := s.Res.Header.Get("Content-Type"); ct != "text/event-stream" || s.Res.Header.Get("Content-Encoding") != "" {
			t.Fatalf("stream headers %v", s.Res.Header)
		}
		// The page was rendered at sequence 0 and nothing happened since:
		// no snapshot, the first event is Ada's own arrival.
		if m := s.Next(); m.Event != "presence" || m.ID != "1" || !strings.Contains(m.Data, "Ada Admin") {
			t.Fatalf("first event %+v", m)
		}
		// A stream without a cursor starts with a snapshot.
		fresh := c.Stream("/admin/live/stream", "")
		if m := fresh.Next(); m.Event != "presence" || m.ID != "1" || !strings.Contains(m.Data, "Ada Admin") {
			t.Fatalf("snapshot %+v", m)
		}
		fresh.Close()

		// A test event sent with htmx: the sender gets a confirmation, the
		// stream the event, both with the same marker.
		res := c.Send(http.MethodPost, "/admin/live/ping", "application/x-www-form-urlencoded", "").Expect(t, http.StatusOK)
		sent := pingMarker.FindStringSubmatch(res.Body)
		if sent == nil {
			t.Fatalf("no marker in %q", res.Body)
		}
		m := s.NextEvent("ping")
		if got := pingMarker.FindStringSubmatch(m.Data); got == nil || got[1] != sent[1] || m.ID != "2" {
			t.Fatalf("ping event %+v, want marker %s", m, sent[1])
		}
		// Without JavaScript the form posts and comes back to the page.
		if r := c.Form("/admin/live/ping", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/live" {
			t.Fatalf("plain post: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		s.NextEvent("ping")
		if !strings.Contains(s.Raw(), "retry: 2000\n") {
			t.Fatalf("no retry in %q", s.Raw())
		}

		// A reconnect (another tab here, so Ada stays present) with the last
		// id it saw gets no snapshot, only what happens next.
		s2 := c.Stream("/admin/live/stream", "3")
		c.Send(http.MethodPost, "/admin/live/ping", "application/x-www-form-urlencoded", "").Expect(t, http.StatusOK)
		if m := s2.Next(); m.Event != "ping" || m.ID != "4" {
			t.Fatalf("after reconnect %+v", m)
		}
		if strings.Contains(s2.Raw(), "presence") {
			t.Fatalf("snapshot sent to a client that was up to date: %q", s2.Raw())
		}
	})
}

func TestLiveCheckIsForAdminsOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleFacilitator)
		c.Get("/admin/live").Expect(t, http.StatusForbidden)
		c.Get("/admin/live/stream").Expect(t, http.StatusForbidden)
		c.Send(http.MethodPost, "/admin/live/ping", "application/x-www-form-urlencoded", "").Expect(t, http.StatusForbidden)
		if seq, _ := env.App.Live().Seq(context.Background(), "admin:live-check"); seq != 0 {
			t.Fatalf("a refused ping published: seq %d", seq)
		}
	})
}

// TestLiveAcrossTwoInstancesOnOneDatabase runs two Debrief servers on one
// PostgreSQL database, as behind a load balancer: an event sent through
// instance A reaches a browser connected to instance B, and both
// instances list both people as present.
func TestLiveAcrossTwoInstancesOnOneDatabase(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		if dialect != models.DialectPostgres {
			return // SQLite serves one instance
		}
		ctx := context.Background()
		dsn := dbtest.NewDSN(t, dialect)
		open := func() *gorm.DB {
			db, err := models.Open(ctx, dsn, models.Options{MaxConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		a, b := apptest.New(t, open()), apptest.New(t, open())
		if a.App.Live().Instance() == b.App.Live().Instance() {
			t.Fatal("instances share a name")
		}
		ada := a.CreateUser(models.RoleAdmin, "Ada Admin")
		bob := a.CreateUser(models.RoleAdmin, "Bob Admin")
		onA := a.Client().SignIn(ada)
		onB := b.Client().SignIn(bob)

		sb := onB.Stream("/admin/live/stream", "")
		sb.Next()                // snapshot
		sb.NextEvent("presence") // Bob arrives (on B)
		sa := onA.Stream("/admin/live/stream", "")
		sa.Next()
		// Ada arrives on A: B's browser hears of it through PostgreSQL.
		if m := sb.NextEvent("presence"); !strings.Contains(m.Data, "Ada Admin") || !strings.Contains(m.Data, "Bob Admin") {
			t.Fatalf("B's presence after Ada arrived on A: %q", m.Data)
		}
		res := onA.Send(http.MethodPost, "/admin/live/ping", "application/x-www-form-urlencoded", "").Expect(t, http.StatusOK)
		marker := pingMarker.FindStringSubmatch(res.Body)[1]
		if m := sb.NextEvent("ping"); !strings.Contains(m.Data, `data-ping="`+marker+`"`) {
			t.Fatalf("B got %+v, want ping %s", m, marker)
		}
		// The page on either instance lists both.
		doc := onB.Get("/admin/live").Expect(t, http.StatusOK).Doc(t)
		if n := doc.Find(apptest.TestID("live-person")).Length(); n != 2 {
			t.Fatalf("B's page lists %d people", n)
		}
	})
}

// TestShutdownEndsOpenStreams: http.Server.Shutdown waits for every
// request; BeginShutdown (registered with RegisterOnShutdown) ends the
// streams so it returns at once, and the browser's stream ends cleanly.
func TestShutdownEndsOpenStreams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c := env.Client().SignIn(env.CreateUser(models.RoleAdmin, "Ada Admin"))
		s := c.Stream("/admin/live/stream", "")
		s.NextEvent("presence")
		s.NextEvent("presence")
		metrics := env.Client().Get("/metrics").Expect(t, http.StatusOK).Body
		for _, want := range []string{"debrief_live_subscribers 1\n", "debrief_live_topics 1\n", "debrief_live_listener_up 1\n", "debrief_live_events_published_total 1\n"} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), apptest.StreamGuard)
		defer cancel()
		if err := env.Server.Config.Shutdown(ctx); err != nil {
			t.Fatalf("shutdown held up by an open stream: %v", err)
		}
		if err := s.End(); err != io.EOF {
			t.Fatalf("stream ended with %v, want a clean end", err)
		}
		// While shutting down, a new stream is refused with 503 (the browser
		// retries, reaching another instance or this one restarted).
		env.App.BeginShutdown()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/admin/live/stream", nil)
		for _, ck := range c.HTTP.Jar.Cookies(mustURL(env.Server.URL)) {
			req.AddCookie(ck)
		}
		env.App.ServeHTTP(rec, req)
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("stream during shutdown: %d %s", rec.Code, rec.Body.String())
		}
		// The lease was given back on the way out.
		if n, _ := env.App.Live().Present(context.Background(), "admin:live-check"); len(n) != 0 {
			t.Fatalf("still present: %+v", n)
		}
	})
}

// TestStreamsKeepBeatingPastTheirFirstHeartbeat: heartbeat comments keep
// proxies from closing an idle stream, and the stream still delivers
// after them.
func TestStreamsKeepBeatingPastTheirFirstHeartbeat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db, func(_ *app.Config, d *app.Deps) {
			d.Live = live.Options{Heartbeat: 10 * time.Millisecond}
		})
		c := env.Client().SignIn(env.CreateUser(models.RoleAdmin, "Ada Admin"))
		s := c.Stream("/admin/live/stream", "")
		s.NextEvent("presence")
		// Heartbeats are comments; wait until several went by, then the
		// stream still delivers.
		deadline := time.Now().Add(apptest.StreamGuard)
		for strings.Count(s.Raw(), ": heartbeat\n") < 3 {
			if time.Now().After(deadline) {
				t.Fatalf("no heartbeats: %q", s.Raw())
			}
			time.Sleep(5 * time.Millisecond)
		}
		c.Send(http.MethodPost, "/admin/live/ping", "application/x-www-form-urlencoded", "").Expect(t, http.StatusOK)
		s.NextEvent("ping")
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
