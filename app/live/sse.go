package live

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is one Server-Sent Event.
type Message struct {
	// Event is the event name (htmx: sse-swap="name"); empty means the
	// default "message".
	Event string
	// ID, when set, becomes the browser's Last-Event-ID. Watch sets it to
	// the topic's sequence number; leave it empty elsewhere.
	ID string
	// Data is the payload, usually an HTML fragment; it may span lines.
	Data string
}

// ErrBadField is returned for an event name or id containing a line break
// (which would end the field early and let text inject other fields).
var ErrBadField = errors.New("live: SSE event name and id must be one line without NUL")

// AppendMessage appends m in the text/event-stream format: "event:",
// "id:", one "data:" line per line of Data (any of \r\n, \r, \n ends a
// line), then a blank line.
func AppendMessage(buf *bytes.Buffer, m Message) error {
	if strings.ContainsAny(m.Event, "\r\n") || strings.ContainsAny(m.ID, "\r\n\x00") {
		return ErrBadField
	}
	if m.Event != "" {
		buf.WriteString("event: ")
		buf.WriteString(m.Event)
		buf.WriteByte('\n')
	}
	if m.ID != "" {
		buf.WriteString("id: ")
		buf.WriteString(m.ID)
		buf.WriteByte('\n')
	}
	if m.Data != "" || m.Event != "" {
		data := strings.ReplaceAll(m.Data, "\r\n", "\n")
		data = strings.ReplaceAll(data, "\r", "\n")
		for line := range strings.SplitSeq(data, "\n") {
			buf.WriteString("data: ")
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	buf.WriteByte('\n')
	return nil
}

// Stream writes Server-Sent Events to one client, flushing after each
// write. Methods may be called from several goroutines.
type Stream struct {
	mu      sync.Mutex
	w       http.ResponseWriter
	rc      *http.ResponseController
	retry   time.Duration
	started bool
	buf     bytes.Buffer
	err     error
}

// NewStream prepares an SSE response on w; nothing is sent until Start
// (or the first Send or Comment). retry is how long the browser waits
// before reconnecting. Watch starts the stream only once it is subscribed,
// so a client that sees the stream open can rely on receiving what is
// published from then on.
func NewStream(w http.ResponseWriter, retry time.Duration) *Stream {
	return &Stream{w: w, rc: http.NewResponseController(w), retry: retry}
}

// Start sends the headers, status 200 and the retry delay, flushed at
// once. It lifts the connection's read and write deadlines, so that
// timeouts meant for ordinary requests (http.Server.WriteTimeout, say)
// cannot cut a stream that lives for hours. Calling it again does nothing.
func (s *Stream) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startLocked()
}

func (s *Stream) startLocked() error {
	if s.started {
		return s.err
	}
	s.started = true
	// Not every writer supports deadlines (httptest.ResponseRecorder); a
	// stream without them is fine.
	_ = s.rc.SetReadDeadline(time.Time{})
	_ = s.rc.SetWriteDeadline(time.Time{})
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	h.Del("Content-Length")
	s.w.WriteHeader(http.StatusOK)
	s.buf.WriteString("retry: ")
	s.buf.WriteString(strconv.FormatInt(s.retry.Milliseconds(), 10))
	s.buf.WriteString("\n\n")
	return s.flushLocked()
}

// Started reports whether Start ran (the response is committed).
func (s *Stream) Started() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started
}

// Send writes the messages and flushes once.
func (s *Stream) Send(msgs ...Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.startLocked(); err != nil {
		return err
	}
	for _, m := range msgs {
		if err := AppendMessage(&s.buf, m); err != nil {
			s.buf.Reset()
			return err
		}
	}
	return s.flushLocked()
}

// Comment writes an SSE comment (ignored by browsers; keeps proxies and
// load balancers from timing the connection out).
func (s *Stream) Comment(text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.startLocked(); err != nil {
		return err
	}
	s.buf.WriteString(": ")
	s.buf.WriteString(strings.NewReplacer("\r", " ", "\n", " ").Replace(text))
	s.buf.WriteString("\n\n")
	return s.flushLocked()
}

func (s *Stream) flushLocked() error {
	if _, err := s.w.Write(s.buf.Bytes()); err != nil {
		s.err = errClientGone{err}
		s.buf.Reset()
		return s.err
	}
	s.buf.Reset()
	if err := s.rc.Flush(); err != nil {
		s.err = errClientGone{err}
		return s.err
	}
	return nil
}

// Cursor is where a client says it is in a topic's sequence.
type Cursor struct {
	Seq int64
	// Valid is false when the client sent no usable position.
	Valid bool
}

// CursorFrom reads the client's position: the Last-Event-ID header (sent
// by a reconnecting EventSource), else the query parameter "since" (put
// into the stream URL by the page, with the sequence number it was
// rendered at).
func CursorFrom(r *http.Request) Cursor {
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("since")} {
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			return Cursor{}
		}
		return Cursor{Seq: n, Valid: true}
	}
	return Cursor{}
}
