package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/debrief-sre/debrief/app/live/sse"
)

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
