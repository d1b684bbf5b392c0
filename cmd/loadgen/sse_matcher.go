package main

import (
	"strings"
	"sync"
	"time"
)

// received is one event a subscriber read.
type received struct {
	at   time.Time
	data string
}

// trial is one triggered event being waited for.
type trial struct {
	marker string
	start  time.Time
	seen   map[int]bool
	lat    []time.Duration
	last   time.Duration
	done   chan struct{}
}

// matcher records which subscriber saw which event, and when.
type matcher struct {
	mu     sync.Mutex
	n      int
	logs   [][]received // per subscriber, recent events (for markers learnt late)
	trials map[string]*trial
}

func (m *matcher) observe(sub int, r received) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.logs[sub]) >= 256 {
		m.logs[sub] = m.logs[sub][1:]
	}
	m.logs[sub] = append(m.logs[sub], r)
	for _, t := range m.trials {
		m.match(t, sub, r)
	}
}

func (m *matcher) match(t *trial, sub int, r received) {
	if t.seen[sub] || !strings.Contains(r.data, t.marker) {
		return
	}
	t.seen[sub] = true
	d := max(r.at.Sub(t.start), 0)
	t.lat = append(t.lat, d)
	t.last = max(t.last, d)
	if len(t.seen) == m.n {
		close(t.done)
	}
}

// expect starts waiting for marker, counting events that already arrived.
func (m *matcher) expect(marker string, start time.Time) *trial {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &trial{marker: marker, start: start, seen: map[int]bool{}, done: make(chan struct{})}
	m.trials[marker] = t
	for sub, log := range m.logs {
		for _, r := range log {
			m.match(t, sub, r)
		}
	}
	return t
}

func (m *matcher) finish(t *trial) (lat []time.Duration, last time.Duration, missing int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.trials, t.marker)
	return t.lat, t.last, m.n - len(t.seen)
}
