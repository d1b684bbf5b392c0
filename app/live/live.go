// Package live carries small change events from the handlers that write
// to the browsers that watch, on one instance (SQLite) or across many
// (PostgreSQL LISTEN/NOTIFY), and serves them as Server-Sent Events.
//
// The shape, end to end:
//
//   - A write is an ordinary POST. Its handler changes the database in
//     Broker.Transaction and, inside it, publishes an Event naming what
//     changed: Publisher.Publish("retro:42", "note.added", noteID). The
//     event bumps the topic's sequence number in the same transaction.
//     Events are delivered only if the transaction commits: on PostgreSQL
//     through pg_notify (sent by PostgreSQL at commit), on SQLite by the
//     Broker right after the commit. A rollback delivers nothing.
//   - Each process keeps one LISTEN connection (PostgreSQL) feeding an
//     in-process Hub: topic → buffered subscriber channels. A topic exists
//     in the hub only while a local client watches it.
//   - A browser tab opens one SSE stream per topic; its handler calls
//     Broker.Watch, which subscribes, brings the client up to date
//     (Snapshot) when its cursor is stale, then turns each event into
//     per-viewer messages (Render). Events carry no content: the renderer
//     loads what the viewer may see, so nothing private crosses NOTIFY.
//   - The topic's sequence number is the SSE id. A reconnecting browser
//     sends it back (Last-Event-ID, or ?since= from the page); if it is not
//     the current number, or events were lost (a dropped slow subscriber, a
//     reconnected listener, a gap), the client gets a full Snapshot.
//   - Presence is a lease per open stream in the database, renewed by the
//     stream's heartbeat, so every instance can list who is connected.
//   - Share computes what every viewer sees alike once per event for all
//     the streams of a process (200 viewers, one query).
//
// The package does not import echo; app/ holds the thin HTTP glue.
package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Event kinds the package itself publishes. Features use their own kinds,
// such as "note.added" or "phase.changed".
const (
	// KindResync tells a subscriber that it may have missed events (the
	// PostgreSQL listener reconnected); Watch answers with a Snapshot.
	KindResync = "live.resync"
	// KindPresence says that someone arrived on or left the topic; ID is
	// the user's id. Render it by listing Broker.Present.
	KindPresence = "live.presence"
)

// Limits keep NOTIFY payloads far below PostgreSQL's 8000 bytes.
const (
	MaxTopicLen = 200
	MaxKindLen  = 64
)

// Event says that something on a topic changed. It names the change and
// the object; it carries no content.
type Event struct {
	// Topic is what changed, e.g. "retro:42" (see Topic).
	Topic string `json:"t"`
	// Kind is what happened, e.g. "note.added".
	Kind string `json:"k"`
	// ID is the changed object's id (0 when none).
	ID int64 `json:"i,omitempty"`
	// Seq is the topic's sequence number after this change; 0 for events
	// outside the sequence (Publisher.Signal, KindResync).
	Seq int64 `json:"s,omitempty"`
}

// Topic builds a topic name from a kind of thing and its id:
// Topic("retro", 42) is "retro:42".
func Topic(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// Validate checks the event's size and characters.
func (ev Event) Validate() error {
	switch {
	case ev.Topic == "" || len(ev.Topic) > MaxTopicLen:
		return fmt.Errorf("live: topic must have 1 to %d bytes, got %d", MaxTopicLen, len(ev.Topic))
	case ev.Kind == "" || len(ev.Kind) > MaxKindLen:
		return fmt.Errorf("live: kind must have 1 to %d bytes, got %d", MaxKindLen, len(ev.Kind))
	case !printable(ev.Topic) || !printable(ev.Kind):
		return errors.New("live: topic and kind must be printable UTF-8 without spaces")
	case ev.Seq < 0:
		return errors.New("live: negative sequence number")
	}
	return nil
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

func (ev Event) encode() (string, error) {
	if err := ev.Validate(); err != nil {
		return "", err
	}
	b, err := json.Marshal(ev)
	return string(b), err
}

func decodeEvent(payload string) (Event, error) {
	var ev Event
	if err := json.Unmarshal([]byte(payload), &ev); err != nil {
		return ev, fmt.Errorf("live: bad notification payload: %w", err)
	}
	return ev, ev.Validate()
}
