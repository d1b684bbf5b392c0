// Package sse reads a text/event-stream as a browser does: the wire reader
// of tests and the load generator, kept apart from the broker so that a
// client links nothing of the database layer.
package sse

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Received is one event read from a stream by Reader.
type Received struct {
	// Event is the event name ("message" when the stream gave none).
	Event string
	// ID is the last event id in force (the stream's Last-Event-ID).
	ID   string
	Data string
}

// Reader parses a text/event-stream as a browser does, for tests and the
// load generator.
type Reader struct {
	r      *bufio.Reader
	lastID string
	// Retry is the last reconnection delay the server asked for (ms).
	Retry int
	// Comments counts comment lines seen (heartbeats).
	Comments int
}

// NewReader reads events from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 64<<10)} }

// Next returns the next dispatched event. Blocks without data (id only)
// move ID without being returned. It returns io.EOF when the stream ends.
func (rd *Reader) Next() (Received, error) {
	var data strings.Builder
	hasData := false
	event := ""
	for {
		line, err := rd.readLine()
		if err != nil {
			return Received{}, err
		}
		if line == "" {
			if !hasData {
				event = ""
				continue
			}
			d := data.String()
			d = strings.TrimSuffix(d, "\n")
			if event == "" {
				event = "message"
			}
			return Received{Event: event, ID: rd.lastID, Data: d}, nil
		}
		if strings.HasPrefix(line, ":") {
			rd.Comments++
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			event = value
		case "data":
			data.WriteString(value)
			data.WriteByte('\n')
			hasData = true
		case "id":
			if !strings.Contains(value, "\x00") {
				rd.lastID = value
			}
		case "retry":
			if n, err := strconv.Atoi(value); err == nil {
				rd.Retry = n
			}
		}
	}
}

// LastID is the last event id the stream set, as a browser would send it
// back in Last-Event-ID.
func (rd *Reader) LastID() string { return rd.lastID }

// readLine reads one line ended by \r\n, \n or \r.
func (rd *Reader) readLine() (string, error) {
	var b strings.Builder
	for {
		c, err := rd.r.ReadByte()
		if err != nil {
			if err == io.EOF && b.Len() > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		switch c {
		case '\n':
			return b.String(), nil
		case '\r':
			if next, err := rd.r.Peek(1); err == nil && next[0] == '\n' {
				_, _ = rd.r.ReadByte()
			}
			return b.String(), nil
		}
		b.WriteByte(c)
	}
}
