package live

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Watcher describes what one viewer's stream shows.
type Watcher struct {
	// Topic to follow, e.g. Topic("retro", 42).
	Topic string
	// UserID, when not 0, holds a presence lease for the viewer while
	// the stream is open.
	UserID int64
	// Snapshot renders everything the viewer sees, for a client that is
	// new, behind, or may have missed events; seq is the topic's sequence
	// number read before it (for Share). Make the fragments replace the
	// page's parts wholesale (hx-swap-oob, or sse-swap targets by id).
	Snapshot func(ctx context.Context, seq int64) ([]Message, error)
	// Render renders one event for this viewer; returning no messages is
	// fine (nothing this viewer may see changed). Events can be replayed
	// after a snapshot that already shows them, so rendering must be
	// idempotent (replace by id, never append blindly).
	// Return ErrUnseen to send this viewer nothing at all for the event,
	// not even its sequence number (so its timing tells them nothing).
	Render func(ctx context.Context, ev Event) ([]Message, error)
	// Alive, when set, is asked at every heartbeat whether the viewer
	// may still watch (still signed in, not disabled, same role). When it
	// says no, the stream sends an EventEnded event and ends, so a
	// revoked viewer sees nothing more than one heartbeat later.
	Alive func(ctx context.Context) bool
}

// ErrUnseen, from Watcher.Render, says the event is none of this viewer's
// business: nothing is sent, not even an id. The viewer's Last-Event-ID
// stays behind, so a reconnect brings a snapshot.
var ErrUnseen = errors.New("live: event not shown to this viewer")

// EventEnded is the event a stream sends when it ends because its viewer
// may no longer watch; pages close their EventSource on it (htmx:
// sse-close="ended") and reload, which shows the sign-in page or the
// page as the viewer's new role sees it.
const EventEnded = "ended"

// Watch serves one client's stream until the client goes away (ctx ends),
// the server shuts down, or the client falls too far behind (its
// EventSource then reconnects and gets a snapshot). Those endings return
// nil; an error means Snapshot, Render or the database failed. A stream
// asked for while the server is shutting down is not started and gets
// ErrShutdown.
//
// The order matters and is done for you: subscribe first, then read the
// topic's sequence number, then start the stream (so a client that sees it
// open is already subscribed), then snapshot (only if the client's cursor
// is not current), so no change can fall between the snapshot and the
// first event. If reading the sequence number fails, nothing was sent and
// Stream.Started is false: answer with an error instead. Every message
// batch carries the sequence number as its SSE id. Between events the
// stream sends a heartbeat comment every Options.Heartbeat, which also
// renews the presence lease.
func (b *Broker) Watch(ctx context.Context, st *Stream, cur Cursor, w Watcher) error {
	sub := b.Subscribe(w.Topic)
	defer sub.Close()
	if err := sub.Err(); err != nil {
		return err // shutting down: nothing sent, the caller answers 503
	}
	last, err := b.Seq(ctx, w.Topic)
	if err != nil {
		return err // nothing sent yet: the caller can still answer with an error
	}
	// Only now does the client see the stream open: everything published
	// from here on reaches it.
	if err := st.Start(); err != nil {
		return nil
	}
	if !cur.Valid || cur.Seq != last {
		if err := b.snapshot(ctx, st, w, last); err != nil {
			return ignoreGone(ctx, err)
		}
	}
	if w.UserID != 0 {
		lease, err := b.Join(ctx, w.Topic, w.UserID)
		if err != nil {
			return ignoreGone(ctx, err)
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := lease.Leave(ctx); err != nil {
				b.log.Warn("live: leaving presence", "topic", w.Topic, "err", err)
			}
		}()
		return b.pump(ctx, st, sub, w, last, lease)
	}
	return b.pump(ctx, st, sub, w, last, nil)
}

func (b *Broker) pump(ctx context.Context, st *Stream, sub *Subscription, w Watcher, last int64, lease *Lease) error {
	heartbeat := time.NewTicker(b.opts.Heartbeat)
	defer heartbeat.Stop()
	resnapshot := func() error {
		seq, err := b.Seq(ctx, w.Topic)
		if err != nil {
			return err
		}
		last = seq
		return b.snapshot(ctx, st, w, seq)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-heartbeat.C:
			if w.Alive != nil && !w.Alive(ctx) {
				_ = st.Send(Message{Event: EventEnded, Data: "signed out"})
				return nil
			}
			if err := st.Comment("heartbeat"); err != nil {
				return nil
			}
			if lease != nil {
				if err := lease.Renew(ctx); err != nil && ctx.Err() == nil {
					b.log.Warn("live: renewing presence", "topic", w.Topic, "err", err)
				}
			}
		case ev, ok := <-sub.Events():
			if !ok {
				return nil // dropped as too slow, or shutting down
			}
			var err error
			switch {
			case ev.Kind == KindResync, ev.Seq > last+1:
				// Missed something: bring the client up to date.
				err = resnapshot()
			case ev.Seq == 0:
				err = b.render(ctx, st, w, ev, "")
			case ev.Seq <= last:
				// Already in the snapshot.
			default:
				last = ev.Seq
				err = b.render(ctx, st, w, ev, strconv.FormatInt(ev.Seq, 10))
			}
			if err != nil {
				return ignoreGone(ctx, err)
			}
		}
	}
}

func (b *Broker) snapshot(ctx context.Context, st *Stream, w Watcher, seq int64) error {
	msgs, err := w.Snapshot(ctx, seq)
	if err != nil {
		return fmt.Errorf("live: snapshot of %s: %w", w.Topic, err)
	}
	return sendWithID(st, msgs, strconv.FormatInt(seq, 10))
}

func (b *Broker) render(ctx context.Context, st *Stream, w Watcher, ev Event, id string) error {
	msgs, err := w.Render(ctx, ev)
	if errors.Is(err, ErrUnseen) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("live: render %s %s: %w", ev.Topic, ev.Kind, err)
	}
	if len(msgs) == 0 && id == "" {
		return nil
	}
	return sendWithID(st, msgs, id)
}

// sendWithID sends msgs with id on the last one (or alone), so the
// browser's Last-Event-ID moves only once everything was received.
func sendWithID(st *Stream, msgs []Message, id string) error {
	if len(msgs) == 0 {
		return st.Send(Message{ID: id})
	}
	out := make([]Message, len(msgs))
	copy(out, msgs)
	out[len(out)-1].ID = id
	return st.Send(out...)
}

// errClientGone marks write failures, which only mean the client left.
type errClientGone struct{ error }

func (e errClientGone) Unwrap() error { return e.error }

// ignoreGone turns failures caused by the client leaving into nil.
func ignoreGone(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.As(err, new(errClientGone)) {
		return nil
	}
	return err
}
