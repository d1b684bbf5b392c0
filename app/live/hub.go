package live

import (
	"errors"
	"sync"
	"sync/atomic"
)

// Why a subscription ended (Subscription.Err).
var (
	// ErrLagged: the subscriber did not keep up and was dropped so that it
	// could not hold up anyone else. Its client reconnects and refreshes.
	ErrLagged = errors.New("live: subscriber too slow, dropped")
	// ErrShutdown: the server is shutting down (or the hub was closed).
	ErrShutdown = errors.New("live: shutting down")
)

// Hub is the in-process broker: topic → subscribers. Delivery never
// blocks: each subscriber has a buffered channel, and a subscriber whose
// buffer is full is dropped (its channel closed, Err ErrLagged). A topic
// exists only while someone subscribes to it.
//
// A Hub is safe for concurrent use. Most code uses it through a Broker.
type Hub struct {
	buffer int

	mu     sync.Mutex
	topics map[string]map[*Subscription]struct{}
	closed bool

	delivered atomic.Uint64
	dropped   atomic.Uint64
}

// NewHub returns a hub whose subscribers buffer up to buffer events
// (64 when buffer ≤ 0).
func NewHub(buffer int) *Hub {
	if buffer <= 0 {
		buffer = 64
	}
	return &Hub{buffer: buffer, topics: map[string]map[*Subscription]struct{}{}}
}

// Subscription is one subscriber's view of a topic. Read events from
// Events until it is closed, then Err says why.
type Subscription struct {
	hub   *Hub
	topic string
	c     chan Event
	err   error // set under hub.mu before c is closed
	ended bool  // c is closed
}

// Events delivers the topic's events in order. It is closed when the
// subscription ends: by Close, by the hub dropping a slow subscriber, or
// by shutdown.
func (s *Subscription) Events() <-chan Event { return s.c }

// Topic is the subscribed topic.
func (s *Subscription) Topic() string { return s.topic }

// Err tells why Events was closed: nil after Close, ErrLagged or
// ErrShutdown. Call it after Events is closed.
func (s *Subscription) Err() error {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.err
}

// Close ends the subscription; the topic disappears with its last
// subscriber. Calling it more than once is fine.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.endLocked(s, nil)
}

// Subscribe starts receiving the topic's events. After the hub is closed
// it returns a subscription that has already ended with ErrShutdown.
func (h *Hub) Subscribe(topic string) *Subscription {
	s := &Subscription{hub: h, topic: topic, c: make(chan Event, h.buffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.err, s.ended = ErrShutdown, true
		close(s.c)
		return s
	}
	subs := h.topics[topic]
	if subs == nil {
		subs = map[*Subscription]struct{}{}
		h.topics[topic] = subs
	}
	subs[s] = struct{}{}
	return s
}

// endLocked removes s and closes its channel with err; h.mu is held.
func (h *Hub) endLocked(s *Subscription, err error) {
	if s.ended {
		return
	}
	s.ended, s.err = true, err
	close(s.c)
	if subs := h.topics[s.topic]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(h.topics, s.topic)
		}
	}
}

// Deliver hands ev to every subscriber of ev.Topic without blocking and
// reports how many received it. Subscribers whose buffers are full are
// dropped with ErrLagged.
func (h *Hub) Deliver(ev Event) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for s := range h.topics[ev.Topic] {
		select {
		case s.c <- ev:
			n++
		default:
			h.endLocked(s, ErrLagged)
			h.dropped.Add(1)
		}
	}
	h.delivered.Add(uint64(n))
	return n
}

// Resync tells every subscriber of every topic that events may have been
// missed (an event of KindResync), for example after the PostgreSQL
// listener reconnected. Subscribers that cannot take it are dropped, which
// has the same effect on their clients.
func (h *Hub) Resync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for topic, subs := range h.topics {
		for s := range subs {
			select {
			case s.c <- Event{Topic: topic, Kind: KindResync}:
			default:
				h.endLocked(s, ErrLagged)
				h.dropped.Add(1)
			}
		}
	}
}

// Close ends every subscription with ErrShutdown and refuses new ones.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, subs := range h.topics {
		for s := range subs {
			h.endLocked(s, ErrShutdown)
		}
	}
}

// Watching reports whether any local subscriber watches the topic.
func (h *Hub) Watching(topic string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.topics[topic]) > 0
}

// HubStats are counters for metrics and tests.
type HubStats struct {
	Topics, Subscribers int
	// Delivered counts events handed to subscribers; Dropped counts
	// subscribers dropped for lagging (or missing a resync).
	Delivered, Dropped uint64
}

// Stats returns the hub's current figures.
func (h *Hub) Stats() HubStats {
	h.mu.Lock()
	st := HubStats{Topics: len(h.topics)}
	for _, subs := range h.topics {
		st.Subscribers += len(subs)
	}
	h.mu.Unlock()
	st.Delivered, st.Dropped = h.delivered.Load(), h.dropped.Load()
	return st
}
