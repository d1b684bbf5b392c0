package live_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/live/sse"
)

func TestSSEFramingSplitsLinesIntoDataFields(t *testing.T) {
	var buf bytes.Buffer
	html := "<li id=\"note-7\">\n  <p>First line</p>\r\n<p>second</p>\r</li>"
	if err := live.AppendMessage(&buf, live.Message{Event: "note", ID: "12", Data: html}); err != nil {
		t.Fatal(err)
	}
	want := "event: note\nid: 12\n" +
		"data: <li id=\"note-7\">\n" +
		"data:   <p>First line</p>\n" +
		"data: <p>second</p>\n" +
		"data: </li>\n\n"
	if buf.String() != want {
		t.Fatalf("framing:\n%q\nwant\n%q", buf.String(), want)
	}

	buf.Reset()
	_ = live.AppendMessage(&buf, live.Message{ID: "13"})
	_ = live.AppendMessage(&buf, live.Message{Event: "ping"})
	if buf.String() != "id: 13\n\nevent: ping\ndata: \n\n" {
		t.Fatalf("id only / empty data: %q", buf.String())
	}

	for _, m := range []live.Message{{Event: "a\nb"}, {Event: "a\rb"}, {ID: "1\n2"}, {ID: "1\x002"}} {
		if err := live.AppendMessage(&buf, m); !errors.Is(err, live.ErrBadField) {
			t.Errorf("%+v: err %v, want ErrBadField", m, err)
		}
	}
}

func TestReaderParsesAsABrowserDoes(t *testing.T) {
	stream := "retry: 1500\n\n: heartbeat\n\n" +
		"event: note\nid: 4\ndata: <p>a</p>\ndata: <p>b</p>\n\n" +
		"id: 5\n\n" + // moves the id, dispatches nothing
		"data:no space\r\n\r\n" +
		"event: x\n\n" // no data: not dispatched
	rd := sse.NewReader(strings.NewReader(stream))
	m, err := rd.Next()
	if err != nil || m.Event != "note" || m.ID != "4" || m.Data != "<p>a</p>\n<p>b</p>" {
		t.Fatalf("first: %+v %v", m, err)
	}
	m, err = rd.Next()
	if err != nil || m.Event != "message" || m.ID != "5" || m.Data != "no space" {
		t.Fatalf("second: %+v %v", m, err)
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	if rd.Retry != 1500 || rd.Comments != 1 || rd.LastID() != "5" {
		t.Fatalf("retry %d comments %d last %q", rd.Retry, rd.Comments, rd.LastID())
	}
}

// FuzzSSERoundTrip: whatever the data, what a browser reads back is the
// data with line breaks normalised, and no text can forge another field.
func FuzzSSERoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "a\nb", "a\r\nb\rc", "\n\n", "event: evil\nid: 99", " lead", "data: x", "\r", "x\n"} {
		f.Add(s, "note")
	}
	f.Fuzz(func(t *testing.T, data, event string) {
		var buf bytes.Buffer
		err := live.AppendMessage(&buf, live.Message{Event: event, ID: "7", Data: data})
		if strings.ContainsAny(event, "\r\n") {
			if err == nil {
				t.Fatal("event name with a line break accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		// A sentinel after it proves the message ended where it should.
		_ = live.AppendMessage(&buf, live.Message{Event: "end", Data: "end"})
		rd := sse.NewReader(&buf)
		m, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n")
		wantEvent := event
		if wantEvent == "" {
			wantEvent = "message"
		}
		if event == "" && data == "" {
			// Nothing to dispatch: the sentinel comes first.
			if m.Event != "end" {
				t.Fatalf("got %+v", m)
			}
			return
		}
		if m.Data != want || m.Event != wantEvent || m.ID != "7" {
			t.Fatalf("round trip of %q/%q: %+v", data, event, m)
		}
		if end, err := rd.Next(); err != nil || end.Event != "end" {
			t.Fatalf("sentinel: %+v %v", end, err)
		}
	})
}

func TestCursorFrom(t *testing.T) {
	for _, c := range []struct {
		header, query string
		want          live.Cursor
	}{
		{"", "", live.Cursor{}},
		{"12", "3", live.Cursor{Seq: 12, Valid: true}},
		{"", "3", live.Cursor{Seq: 3, Valid: true}},
		{"0", "", live.Cursor{Seq: 0, Valid: true}},
		{"abc", "3", live.Cursor{}},
		{"-1", "", live.Cursor{}},
	} {
		r := httptest.NewRequest(http.MethodGet, "/s?since="+c.query, nil)
		if c.header != "" {
			r.Header.Set("Last-Event-ID", c.header)
		}
		if got := live.CursorFrom(r); got != c.want {
			t.Errorf("header %q query %q: %+v, want %+v", c.header, c.query, got, c.want)
		}
	}
}

func TestStreamHeadersAndRetry(t *testing.T) {
	rec := httptest.NewRecorder()
	st := live.NewStream(rec, 2500*time.Millisecond)
	if rec.Flushed || rec.Body.Len() != 0 {
		t.Fatal("stream sent something before Start")
	}
	if err := st.Start(); err != nil {
		t.Fatal(err)
	}
	if err := st.Start(); err != nil { // twice is fine
		t.Fatal(err)
	}
	if err := st.Comment("hello\nworld"); err != nil {
		t.Fatal(err)
	}
	if err := st.Send(live.Message{Event: "a", Data: "1"}, live.Message{Event: "b", Data: "2"}); err != nil {
		t.Fatal(err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	if rec.Header().Get("Cache-Control") != "no-cache" || rec.Header().Get("X-Accel-Buffering") != "no" || !rec.Flushed {
		t.Fatalf("headers %v flushed %v", rec.Header(), rec.Flushed)
	}
	want := "retry: 2500\n\n: hello world\n\nevent: a\ndata: 1\n\nevent: b\ndata: 2\n\n"
	if rec.Body.String() != want {
		t.Fatalf("body %q", rec.Body.String())
	}
}
