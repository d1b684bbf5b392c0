package pages

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/views"
)

// LiveCheck serves the admin "Live updates" page and its test event.
type LiveCheck struct{ base }

// The admin "Live updates" page checks live updates end to end, the way a
// retro uses them: a page that streams, a POST that publishes, presence.
// It is also the reference for features and the target of
// `loadgen -scenario sse`.

// liveCheckTopic is the one topic of the check page.
const liveCheckTopic = "admin:live-check"

// liveCheckPing is the kind of a test event; its id is the send time in
// Unix nanoseconds.
const liveCheckPing = "ping"

func (h LiveCheck) Show(c echo.Context) error {
	ctx := c.Request().Context()
	// The sequence number first, then the state it covers.
	seq, err := h.Live.Seq(ctx, liveCheckTopic)
	if err != nil {
		return err
	}
	people, err := livePeople(ctx, h.Live)
	if err != nil {
		return err
	}
	st := h.Live.Stats()
	m := views.LiveCheckModel{
		Instance: h.Live.Instance(), Postgres: h.Live.Postgres(),
		Listening: st.Listening, Reconnects: st.Reconnects, Streams: st.Subscribers, Topics: st.Topics,
		Seq: seq, Present: people,
	}
	return h.Render(c, http.StatusOK, views.LiveCheck(h.Page(c, "Live updates", "admin"), m))
}

func livePeople(ctx context.Context, b *live.Broker) ([]views.LivePerson, error) {
	present, err := b.Present(ctx, liveCheckTopic)
	if err != nil {
		return nil, err
	}
	out := make([]views.LivePerson, 0, len(present))
	for _, p := range present {
		out = append(out, views.LivePerson{Name: p.Name, Connections: p.Connections, Since: p.Since})
	}
	return out, nil
}

func (h LiveCheck) Ping(c echo.Context) error {
	sent := h.Now()
	ev, err := h.Live.Publish(c.Request().Context(), liveCheckTopic, liveCheckPing, sent.UnixNano())
	if err != nil {
		return err
	}
	ping := views.LivePing{ID: ev.ID, Seq: ev.Seq, Sent: sent}
	if web.IsHTMX(c) {
		h.Page(c, "Live updates", "admin")
		return h.Render(c, http.StatusOK, views.LivePingSent(ping))
	}
	h.Flash(c, "ok", "Sent a test event.")
	return h.Redirect(c, h.Path("admin.live"))
}
