package live

import (
	"context"
	"sync"
)

// A topic with many watchers renders every event once per stream: 200
// people in a retro and one new note mean 200 Render calls at once. Parts
// that every viewer sees alike (the presence list, the timer, a revealed
// note) need computing only once per event: Share does that.

// shareKey names one shared value: what (key) at which state (topic, seq).
type shareKey struct {
	topic string
	seq   int64
	key   string
}

type shareEntry struct {
	done chan struct{}
	val  any
	err  error
}

// shareCache holds recent shared values; it forgets the oldest first.
type shareCache struct {
	mu      sync.Mutex
	entries map[shareKey]*shareEntry
	order   []shareKey
	limit   int
}

func (c *shareCache) get(k shareKey) (e *shareEntry, owner bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[shareKey]*shareEntry{}
		c.limit = 1024
	}
	if e := c.entries[k]; e != nil {
		return e, false
	}
	e = &shareEntry{done: make(chan struct{})}
	c.entries[k] = e
	c.order = append(c.order, k)
	if len(c.order) > c.limit {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return e, true
}

func (c *shareCache) forget(k shareKey, e *shareEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[k] == e {
		delete(c.entries, k)
	}
}

// Share returns fn's result for (topic, seq, key), computing it once for
// all the streams of this process that ask for the same thing at the same
// sequence number; the others wait for it. Use it in Snapshot and Render
// for what every viewer sees alike, with seq the event's Seq (or the
// snapshot's, from Broker.Seq) and key naming the part ("presence").
// Errors are not cached. Never share what differs by viewer: put the
// viewer's visibility into key, or do not share.
func Share[T any](ctx context.Context, b *Broker, topic string, seq int64, key string, fn func(context.Context) (T, error)) (T, error) {
	k := shareKey{topic, seq, key}
	e, owner := b.shared.get(k)
	if owner {
		// Computed with a context of its own: the stream that happens to
		// ask first may leave while the others wait.
		v, err := fn(context.WithoutCancel(ctx))
		e.val, e.err = v, err
		close(e.done)
		if err != nil {
			b.shared.forget(k, e)
		}
		return v, err
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
	if e.err != nil {
		var zero T
		return zero, e.err
	}
	return e.val.(T), nil
}
