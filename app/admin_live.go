package app

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// The admin "Live updates" page checks live updates end to end, the way a
// retro uses them: a page that streams, a POST that publishes, presence.
// It is also the reference for features and the target of
// `loadgen -scenario sse`.

// liveCheckTopic is the one topic of the check page.
const liveCheckTopic = "admin:live-check"

// liveCheckPing is the kind of a test event; its id is the send time in
// Unix nanoseconds.
const liveCheckPing = "ping"

func (s *Server) liveCheck(c echo.Context) error {
	ctx := c.Request().Context()
	// The sequence number first, then the state it covers.
	seq, err := s.live.Seq(ctx, liveCheckTopic)
	if err != nil {
		return err
	}
	people, err := s.livePeople(ctx)
	if err != nil {
		return err
	}
	st := s.live.Stats()
	m := views.LiveCheckModel{
		Instance: s.live.Instance(), Postgres: s.dialect == models.DialectPostgres,
		Listening: st.Listening, Reconnects: st.Reconnects, Streams: st.Subscribers, Topics: st.Topics,
		Seq: seq, Present: people,
	}
	return s.render(c, http.StatusOK, views.LiveCheck(s.page(c, "Live updates", "admin"), m))
}

func (s *Server) livePeople(ctx context.Context) ([]views.LivePerson, error) {
	present, err := s.live.Present(ctx, liveCheckTopic)
	if err != nil {
		return nil, err
	}
	out := make([]views.LivePerson, 0, len(present))
	for _, p := range present {
		out = append(out, views.LivePerson{Name: p.Name, Connections: p.Connections, Since: p.Since})
	}
	return out, nil
}

func (s *Server) liveCheckStream(c echo.Context) error {
	s.page(c, "Live updates", "admin") // fragments render with the viewer's time zone
	// Everyone sees the same list: compute it once per change for all the
	// streams of this instance, not once per stream.
	presence := func(ctx context.Context, seq int64) ([]live.Message, error) {
		people, err := live.Share(ctx, s.live, liveCheckTopic, seq, "presence", s.livePeople)
		if err != nil {
			return nil, err
		}
		html, err := s.renderFragment(ctx, views.LivePresenceList(people))
		return []live.Message{{Event: "presence", Data: html}}, err
	}
	return s.watch(c, live.Watcher{
		Topic:    liveCheckTopic,
		UserID:   currentUser(c).ID,
		Snapshot: presence,
		Render: func(ctx context.Context, ev live.Event) ([]live.Message, error) {
			switch ev.Kind {
			case live.KindPresence:
				return presence(ctx, ev.Seq)
			case liveCheckPing:
				sent := time.Unix(0, ev.ID)
				html, err := s.renderFragment(ctx, views.LivePingItem(views.LivePing{ID: ev.ID, Seq: ev.Seq, Sent: sent, After: time.Since(sent)}))
				return []live.Message{{Event: "ping", Data: html}}, err
			}
			return nil, nil
		},
	})
}

func (s *Server) liveCheckPing(c echo.Context) error {
	sent := time.Now()
	ev, err := s.live.Publish(c.Request().Context(), liveCheckTopic, liveCheckPing, sent.UnixNano())
	if err != nil {
		return err
	}
	ping := views.LivePing{ID: ev.ID, Seq: ev.Seq, Sent: sent}
	if isHTMX(c) {
		s.page(c, "Live updates", "admin")
		return s.render(c, http.StatusOK, views.LivePingSent(ping))
	}
	s.flash(c, "ok", "Sent a test event.")
	return s.redirect(c, s.reverse("admin.live"))
}
