package apptest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app/live/sse"
)

// StreamGuard bounds every wait for a stream message, so a missing event
// fails the test instead of hanging it. It asserts nothing about speed.
const StreamGuard = 15 * time.Second

// SSE is an open Server-Sent Events stream read as a browser would.
type SSE struct {
	t      testing.TB
	Res    *http.Response
	rd     *sse.Reader
	cancel context.CancelFunc
	msgs   chan sseResult
	// Raw accumulates every byte read so far, for assertions that
	// something never appeared on the wire (hidden notes, say).
	raw lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type sseResult struct {
	m   sse.Received
	err error
}

// Stream opens path as an SSE stream with the client's cookies (and
// Last-Event-ID when lastID is set). It is closed when the test ends.
func (c *Client) Stream(path, lastID string) *SSE {
	c.env.T.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.env.URL(path), nil)
	if err != nil {
		cancel()
		c.env.T.Fatalf("apptest: %v", err)
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	// No client timeout: the stream lives as long as the test wants.
	hc := &http.Client{Jar: c.HTTP.Jar, CheckRedirect: c.HTTP.CheckRedirect}
	res, err := hc.Do(req)
	if err != nil {
		cancel()
		c.env.T.Fatalf("apptest: open stream %s: %v", path, err)
	}
	s := &SSE{t: c.env.T, Res: res, cancel: cancel, msgs: make(chan sseResult, 256)}
	s.rd = sse.NewReader(io.TeeReader(res.Body, &s.raw))
	go func() {
		for {
			m, err := s.rd.Next()
			s.msgs <- sseResult{m, err}
			if err != nil {
				close(s.msgs)
				return
			}
		}
	}()
	c.env.T.Cleanup(s.Close)
	return s
}

// Next returns the next event, failing the test if the stream ends or
// nothing arrives within StreamGuard.
func (s *SSE) Next() sse.Received {
	s.t.Helper()
	select {
	case r, ok := <-s.msgs:
		if !ok || r.err != nil {
			s.t.Fatalf("apptest: stream ended: %v", r.err)
		}
		return r.m
	case <-time.After(StreamGuard):
		s.t.Fatalf("apptest: no event on the stream within %s", StreamGuard)
	}
	return sse.Received{}
}

// NextEvent skips events until one named name arrives.
func (s *SSE) NextEvent(name string) sse.Received {
	s.t.Helper()
	for {
		if m := s.Next(); m.Event == name {
			return m
		}
	}
}

// End waits for the server to end the stream and returns the error that
// ended it (io.EOF for a clean end).
func (s *SSE) End() error {
	s.t.Helper()
	for {
		select {
		case r, ok := <-s.msgs:
			if !ok {
				return io.EOF
			}
			if r.err != nil {
				return r.err
			}
		case <-time.After(StreamGuard):
			s.t.Fatalf("apptest: stream still open after %s", StreamGuard)
			return nil
		}
	}
}

// Raw is everything received so far, as bytes on the wire.
func (s *SSE) Raw() string { return s.raw.String() }

// Close disconnects, as a browser closing the tab.
func (s *SSE) Close() {
	s.cancel()
	_ = s.Res.Body.Close()
}
