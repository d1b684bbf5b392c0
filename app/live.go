package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/debrief-sre/debrief/app/live"
)

// ---- Live updates: the HTTP glue around app/live ----
//
// A feature serving a live page does three things:
//
//  1. Writes: in the POST handler, change the database inside
//     s.live.Transaction and publish what changed there
//     (pub.Publish(topic, kind, id)); delivery happens on commit.
//  2. The page: read s.live.Seq(ctx, topic) BEFORE loading what the page
//     shows, and put it into the stream URL as ?since=N.
//  3. The stream: a GET route with Stream: true whose handler calls
//     s.watch(c, live.Watcher{...}) with a Snapshot and a Render that build
//     per-viewer fragments with s.fragment.

// startLive builds and starts the broker and exports its figures.
func (s *Server) startLive(deps Deps) error {
	opts := deps.Live
	if opts.Logger == nil {
		opts.Logger = deps.Logger
	}
	if opts.Now == nil {
		opts.Now = deps.Now
	}
	b, err := live.New(deps.DB, opts)
	if err != nil {
		return err
	}
	stats := func(f func(live.Stats) float64) func() float64 {
		return func() float64 { return f(b.Stats()) }
	}
	for _, c := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "debrief_live_subscribers", Help: "Open live subscriptions (SSE streams) on this instance."},
			stats(func(st live.Stats) float64 { return float64(st.Subscribers) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "debrief_live_topics", Help: "Topics watched by at least one client of this instance."},
			stats(func(st live.Stats) float64 { return float64(st.Topics) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "debrief_live_listener_up", Help: "1 while the PostgreSQL LISTEN connection is up (always 1 on SQLite)."},
			stats(func(st live.Stats) float64 {
				if st.Listening {
					return 1
				}
				return 0
			})),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "debrief_live_events_published_total", Help: "Live events committed by this instance."},
			stats(func(st live.Stats) float64 { return float64(st.Published) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "debrief_live_events_delivered_total", Help: "Live events handed to subscribers of this instance."},
			stats(func(st live.Stats) float64 { return float64(st.Delivered) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "debrief_live_subscribers_dropped_total", Help: "Subscribers dropped for falling behind (their browsers reconnect and refresh)."},
			stats(func(st live.Stats) float64 { return float64(st.Dropped) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "debrief_live_listener_reconnects_total", Help: "Times the PostgreSQL LISTEN connection was re-established."},
			stats(func(st live.Stats) float64 { return float64(st.Reconnects) })),
	} {
		if err := deps.Registry.Register(c); err != nil {
			return err
		}
	}
	b.Start(context.Background(), 5*time.Second)
	s.live = b
	return nil
}

// Live is the server's live-updates broker (tests publish through it).
func (s *Server) Live() *live.Broker { return s.live }
