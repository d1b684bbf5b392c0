package pages

import (
	"context"
	"errors"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// RetroStream streams a live retro to each viewer: the board as that viewer may see it, after every change.
type RetroStream struct{ base }

// retroStream is the page's live stream: a snapshot of every region for a
// new or stale client, then the regions each event changes, rendered for
// this viewer.
func (h RetroStream) Stream(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	viewer := web.CurrentUser(c)
	p := h.Page(c, "Retro", "retros") // fragments carry the CSRF token and the viewer's zone
	// What a stream sends is a function of the session's state (seq), the
	// event and who looks: the person, their role, their browser's CSRF
	// token (in the forms) and their zone. Streams of this process that
	// share all of it (the same person in several tabs, on one browser
	// session) render once (live.Share).
	who := strconv.FormatInt(viewer.ID, 10) + ":" + string(viewer.Role) + ":" + p.CSRF + ":" + viewer.TimeZone
	topic := retroTopic(id)
	return h.Watch(c, live.Watcher{
		Topic:  topic,
		UserID: viewer.ID,
		Snapshot: func(ctx context.Context, seq int64) ([]live.Message, error) {
			return live.Share(ctx, h.Live, topic, seq, "snapshot:"+who, func(ctx context.Context) ([]live.Message, error) {
				v, err := h.retroViewFor(ctx, id, seq, viewer)
				if err != nil {
					return nil, err
				}
				return h.retroMessages(ctx, v, "", 0, true)
			})
		},
		Render: func(ctx context.Context, ev live.Event) ([]live.Message, error) {
			key := "event:" + ev.Kind + ":" + strconv.FormatInt(ev.ID, 10) + ":" + who
			msgs, err := live.Share(ctx, h.Live, topic, ev.Seq, key, func(ctx context.Context) ([]live.Message, error) {
				v, err := h.retroViewFor(ctx, id, ev.Seq, viewer)
				if err != nil {
					return nil, err
				}
				if ev.Kind == models.RetroEventNote && v.CountsHidden && !v.OwnsNote(ev.ID) {
					// Anonymous, before the reveal: another's note moves
					// nothing on this viewer's page, not even a counter.
					return nil, live.ErrUnseen
				}
				return h.retroMessages(ctx, v, ev.Kind, ev.ID, ev.Kind == models.RetroEventPhase)
			})
			if errors.Is(err, models.ErrNotFound) {
				return nil, nil
			}
			return msgs, err
		},
	})
}
