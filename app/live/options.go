package live

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"
)

// Options tune a Broker; the zero value is right for production.
type Options struct {
	Logger *slog.Logger
	// Now is the clock for presence leases (tests move it).
	Now func() time.Time
	// Buffer is each subscriber's channel size (64).
	Buffer int
	// Instance names this process in presence rows (host:pid:random).
	Instance string
	// Channel is the PostgreSQL NOTIFY channel ("debrief_live").
	Channel string
	// Heartbeat is how often a stream sends a keep-alive comment and
	// renews its presence lease (15 s).
	Heartbeat time.Duration
	// PresenceTTL is how long a lease lives without renewal (3 heartbeats).
	PresenceTTL time.Duration
	// Retry is the reconnection delay suggested to browsers (2 s).
	Retry time.Duration
	// ReconnectMin and ReconnectMax bound the listener's backoff (100 ms, 5 s).
	ReconnectMin, ReconnectMax time.Duration
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Instance == "" {
		host, _ := os.Hostname()
		b := make([]byte, 3)
		_, _ = rand.Read(b)
		o.Instance = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.Channel == "" {
		o.Channel = "debrief_live"
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	if o.PresenceTTL <= 0 {
		o.PresenceTTL = 3 * o.Heartbeat
	}
	if o.Retry <= 0 {
		o.Retry = 2 * time.Second
	}
	if o.ReconnectMin <= 0 {
		o.ReconnectMin = 100 * time.Millisecond
	}
	if o.ReconnectMax <= 0 {
		o.ReconnectMax = 5 * time.Second
	}
}
