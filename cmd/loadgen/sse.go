package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/debrief-sre/debrief/app/live/sse"
)

// Trigger makes the server publish one event that every subscriber's
// stream should show. A feature's load test implements it (or uses the
// form trigger with flags): "a new note added" is a POST that returns,
// and whose rendering contains, the marker.
type Trigger interface {
	// Fire publishes event n and returns a marker that the event's data on
	// every stream contains.
	Fire(ctx context.Context, n int) (marker string, err error)
}

// formTrigger POSTs a form, as htmx would (CSRF header, HX-Request).
type formTrigger struct {
	c    *client
	path string
	form string
	re   *regexp.Regexp
	run  string
}

func newFormTrigger(c *client, path, form, markerRegexp string) (*formTrigger, error) {
	t := &formTrigger{c: c, path: path, form: form}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	t.run = hex.EncodeToString(b)
	if !strings.Contains(form, "{{marker}}") {
		re, err := regexp.Compile(markerRegexp)
		if err != nil || re.NumSubexp() < 1 {
			return nil, usageError{fmt.Errorf("-marker-regexp must compile and have a group: %q", markerRegexp)}
		}
		t.re = re
	}
	return t, nil
}

func (t *formTrigger) Fire(ctx context.Context, n int) (string, error) {
	marker := fmt.Sprintf("lg%s-%d", t.run, n)
	body := strings.NewReplacer("{{n}}", strconv.Itoa(n), "{{marker}}", marker).Replace(t.form)
	vals, err := url.ParseQuery(body)
	if err != nil {
		return "", usageError{fmt.Errorf("-trigger-form: %w", err)}
	}
	tok, err := t.c.csrf(ctx)
	if err != nil {
		return "", err
	}
	res, text, err := t.c.do(ctx, http.MethodPost, t.path, vals, http.Header{"X-Csrf-Token": {tok}, "Hx-Request": {"true"}})
	if err != nil {
		return "", err
	}
	if res.StatusCode >= 300 {
		return "", fmt.Errorf("POST %s answered %d: %s", t.path, res.StatusCode, firstLine(text))
	}
	if t.re == nil {
		return marker, nil
	}
	m := t.re.FindStringSubmatch(text)
	if m == nil {
		return "", fmt.Errorf("no marker matching %s in the response of POST %s: %s", t.re, t.path, firstLine(text))
	}
	return m[1], nil
}

// SSEReport is the sse scenario's result.
type SSEReport struct {
	Base        string `json:"base"`
	Stream      string `json:"stream"`
	Subscribers int    `json:"subscribers"`
	// ConnectSeconds is how long it took to open every stream.
	ConnectSeconds float64 `json:"connect_seconds"`
	Events         int     `json:"events"`
	// Deliveries counts (event, subscriber) pairs received in time;
	// Missing those that were not.
	Deliveries int     `json:"deliveries"`
	Missing    int     `json:"missing"`
	Latency    Latency `json:"delivery_latency"`
	// Latency until the last subscriber had each event.
	AllLatency Latency `json:"all_subscribers_latency"`
	Memory     Memory  `json:"server_memory"`
}

// Memory is what the server's /metrics said before the subscribers
// connected and once they all had.
type Memory struct {
	RSSBefore        float64 `json:"rss_before_bytes"`
	RSSAfter         float64 `json:"rss_after_bytes"`
	HeapBefore       float64 `json:"heap_inuse_before_bytes"`
	HeapAfter        float64 `json:"heap_inuse_after_bytes"`
	GoroutinesBefore float64 `json:"goroutines_before"`
	GoroutinesAfter  float64 `json:"goroutines_after"`
	// Per open stream: resident set, Go heap in use, goroutines.
	RSSPerStreamKiB     float64 `json:"rss_per_stream_kib"`
	HeapPerStreamKiB    float64 `json:"heap_per_stream_kib"`
	GoroutinesPerStream float64 `json:"goroutines_per_stream"`
}

func (r SSEReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sse scenario against %s%s\n", r.Base, r.Stream)
	fmt.Fprintf(&b, "subscribers %d (all connected in %.2f s), events %d, deliveries %d, missing %d\n", r.Subscribers, r.ConnectSeconds, r.Events, r.Deliveries, r.Missing)
	fmt.Fprintf(&b, "delivery latency, trigger sent → event read, per subscriber: %s\n", r.Latency)
	fmt.Fprintf(&b, "until the last subscriber had it, per event:            %s\n", r.AllLatency)
	m := r.Memory
	fmt.Fprintf(&b, "server memory: RSS %.1f → %.1f MiB (%.1f KiB per stream), Go heap in use %.1f → %.1f MiB (%.1f KiB per stream), goroutines %.0f → %.0f (%.1f per stream)\n",
		m.RSSBefore/(1<<20), m.RSSAfter/(1<<20), m.RSSPerStreamKiB, m.HeapBefore/(1<<20), m.HeapAfter/(1<<20), m.HeapPerStreamKiB,
		m.GoroutinesBefore, m.GoroutinesAfter, m.GoroutinesPerStream)
	return b.String()
}

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

func runSSE(ctx context.Context, c *client, o *options, trig Trigger) (SSEReport, error) {
	rep := SSEReport{Base: o.base, Stream: o.stream, Subscribers: o.subscribers, Events: o.events}
	metricNames := []string{"process_resident_memory_bytes", "go_memstats_heap_inuse_bytes", "go_goroutines"}
	before, err := scrapeMin(ctx, c, metricNames...)
	if err != nil {
		return rep, err
	}

	m := &matcher{n: o.subscribers, logs: make([][]received, o.subscribers), trials: map[string]*trial{}}
	subCtx, stop := context.WithCancel(ctx)
	defer stop()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = o.subscribers
	streams := &http.Client{Jar: c.jar, Transport: tr} // no timeout: streams stay open
	connected := make(chan error, o.subscribers)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range o.subscribers {
		wg.Go(func() { subscribe(subCtx, streams, c.base+o.stream, o.eventName, i, m, connected) })
	}
	for range o.subscribers {
		select {
		case err := <-connected:
			if err != nil {
				stop()
				wg.Wait()
				return rep, fmt.Errorf("open stream: %w", err)
			}
		case <-time.After(30 * time.Second):
			stop()
			wg.Wait()
			return rep, errors.New("streams did not open within 30 s")
		}
	}
	rep.ConnectSeconds = time.Since(t0).Seconds()
	// Let the server settle (presence writes, buffers) before measuring.
	time.Sleep(time.Second)
	after, err := scrapeMin(ctx, c, metricNames...)
	if err != nil {
		return rep, err
	}
	n := float64(o.subscribers)
	rep.Memory = Memory{
		RSSBefore: before["process_resident_memory_bytes"], RSSAfter: after["process_resident_memory_bytes"],
		HeapBefore: before["go_memstats_heap_inuse_bytes"], HeapAfter: after["go_memstats_heap_inuse_bytes"],
		GoroutinesBefore: before["go_goroutines"], GoroutinesAfter: after["go_goroutines"],
	}
	rep.Memory.RSSPerStreamKiB = (rep.Memory.RSSAfter - rep.Memory.RSSBefore) / n / 1024
	rep.Memory.HeapPerStreamKiB = (rep.Memory.HeapAfter - rep.Memory.HeapBefore) / n / 1024
	rep.Memory.GoroutinesPerStream = (rep.Memory.GoroutinesAfter - rep.Memory.GoroutinesBefore) / n

	var all, lasts []time.Duration
	for i := 1; i <= o.events && ctx.Err() == nil; i++ {
		start := time.Now()
		marker, err := trig.Fire(ctx, i)
		if err != nil {
			return rep, err
		}
		t := m.expect(marker, start)
		select {
		case <-t.done:
		case <-time.After(o.wait):
		case <-ctx.Done():
		}
		lat, last, missing := m.finish(t)
		all = append(all, lat...)
		if missing == 0 {
			lasts = append(lasts, last)
		}
		rep.Deliveries += len(lat)
		rep.Missing += missing
		time.Sleep(o.interval)
	}
	rep.Latency = summarise(all)
	rep.AllLatency = summarise(lasts)
	stop()
	wg.Wait()
	return rep, nil
}

// scrapeMin takes the smallest of a few samples of each metric: the Go
// heap in use swings with garbage collection, and its low points are the
// closest to what is really live.
func scrapeMin(ctx context.Context, c *client, names ...string) (map[string]float64, error) {
	var out map[string]float64
	for i := range 5 {
		if i > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		m, err := scrape(ctx, c, names...)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = m
			continue
		}
		for k, v := range m {
			out[k] = min(out[k], v)
		}
	}
	return out, nil
}

// subscribe opens one stream and feeds what it reads to the matcher.
func subscribe(ctx context.Context, hc *http.Client, url, eventName string, i int, m *matcher, connected chan<- error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		connected <- err
		return
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := hc.Do(req)
	if err != nil {
		connected <- err
		return
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		connected <- fmt.Errorf("%s answered %d %s (signed in with the right role?)", url, res.StatusCode, res.Header.Get("Content-Type"))
		return
	}
	connected <- nil
	rd := sse.NewReader(res.Body)
	for {
		ev, err := rd.Next()
		if err != nil {
			return
		}
		if eventName == "" || ev.Event == eventName {
			m.observe(i, received{at: time.Now(), data: ev.Data})
		}
	}
}
