package main

import (
	"fmt"
	"strings"
)

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
