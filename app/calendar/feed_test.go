package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/debrief-sre/debrief/app/calendar"
)

// parse reads a feed back with another iCalendar library (emersion/go-ical)
// and returns its events keyed by UID.
func parse(t *testing.T, b []byte) map[string]goical.Event {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, b)
	}
	out := map[string]goical.Event{}
	for _, e := range cal.Events() {
		uid, err := e.Props.Text(goical.PropUID)
		if err != nil {
			t.Fatal(err)
		}
		out[uid] = e
	}
	return out
}

func TestFeedParsesWithAnotherLibrary(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	items := []calendar.Item{
		{UID: "action-item-1@debrief.test", Title: "Rotate the TLS certificates; then, restart", Due: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			URL: "https://debrief.test/action-items/1", Description: "From the review of the router.\nSecond line, with a comma"},
		// A date late in the evening in Berlin stays on that date.
		{UID: "action-item-2@debrief.test", Title: "Add an alert", Due: time.Date(2026, 12, 24, 23, 30, 0, 0, berlin)},
	}
	var buf bytes.Buffer
	if err := calendar.Write(&buf, calendar.Feed{Name: "Ada's action items", Items: items, Now: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\n") {
		t.Fatal("lines must end in CRLF")
	}
	events := parse(t, buf.Bytes())
	if len(events) != 2 {
		t.Fatalf("%d events", len(events))
	}
	e := events["action-item-1@debrief.test"]
	if s, _ := e.Props.Text(goical.PropSummary); s != items[0].Title {
		t.Errorf("summary %q", s)
	}
	if s, _ := e.Props.Text(goical.PropDescription); s != items[0].Description {
		t.Errorf("description %q", s)
	}
	if u, err := e.Props.Get(goical.PropURL).URI(); err != nil || u.String() != items[0].URL {
		t.Errorf("url %v %v", u, err)
	}
	start, err := e.DateTimeStart(time.UTC)
	end, err2 := e.DateTimeEnd(time.UTC)
	if err != nil || err2 != nil || start.Format("2006-01-02") != "2026-12-01" || end.Format("2006-01-02") != "2026-12-02" {
		t.Errorf("dates %s–%s %v %v", start, end, err, err2)
	}
	if e.Props.Get(goical.PropDateTimeStart).ValueType() != goical.ValueDate {
		t.Error("DTSTART is not an all-day DATE")
	}
	e2 := events["action-item-2@debrief.test"]
	s2, _ := e2.DateTimeStart(time.UTC)
	if s2.Format("2006-01-02") != "2026-12-24" {
		t.Errorf("second item on %s", s2)
	}
}

func TestEmptyFeedParses(t *testing.T) {
	var buf bytes.Buffer
	if err := calendar.Write(&buf, calendar.Feed{Name: "Nothing due"}); err != nil {
		t.Fatal(err)
	}
	if got := parse(t, buf.Bytes()); len(got) != 0 {
		t.Fatalf("%d events", len(got))
	}
}
