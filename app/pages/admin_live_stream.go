package pages

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/views"
)

// LiveCheckStream streams presence and test events of the "Live updates" page.
type LiveCheckStream struct{ base }

func (h LiveCheckStream) Stream(c echo.Context) error {
	h.Page(c, "Live updates", "admin") // fragments render with the viewer's time zone
	// Everyone sees the same list: compute it once per change for all the
	// streams of this instance, not once per stream.
	presence := func(ctx context.Context, seq int64) ([]live.Message, error) {
		people, err := live.Share(ctx, h.Live, liveCheckTopic, seq, "presence", func(ctx context.Context) ([]views.LivePerson, error) { return livePeople(ctx, h.Live) })
		if err != nil {
			return nil, err
		}
		html, err := web.RenderFragment(ctx, views.LivePresenceList(people))
		return []live.Message{{Event: "presence", Data: html}}, err
	}
	return h.Watch(c, live.Watcher{
		Topic:    liveCheckTopic,
		UserID:   web.CurrentUser(c).ID,
		Snapshot: presence,
		Render: func(ctx context.Context, ev live.Event) ([]live.Message, error) {
			switch ev.Kind {
			case live.KindPresence:
				return presence(ctx, ev.Seq)
			case liveCheckPing:
				sent := time.Unix(0, ev.ID)
				html, err := web.RenderFragment(ctx, views.LivePingItem(views.LivePing{ID: ev.ID, Seq: ev.Seq, Sent: sent, After: h.Now().Sub(sent)}))
				return []live.Message{{Event: "ping", Data: html}}, err
			}
			return nil, nil
		},
	})
}
