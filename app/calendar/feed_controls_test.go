package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"

	goical "github.com/emersion/go-ical"

	"github.com/debrief-sre/debrief/app/calendar"
)

// TestFeedEscapesControlCharacters writes text stored before titles were
// cleaned at input: a bare CR would end the SUMMARY line and start
// another property or event.
func TestFeedEscapesControlCharacters(t *testing.T) {
	items := []calendar.Item{{
		UID: "action-item-9@debrief.test", Due: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Title:       "Fix\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected\x1b\x00",
		Description: "one\r\ntwo\rthree\x07",
	}}
	var buf bytes.Buffer
	if err := calendar.Write(&buf, calendar.Feed{Name: "Ada\r\nX-INJECTED:1", Items: items, Now: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for i, r := range out {
		if unicode.IsControl(r) && !(r == '\r' && strings.HasPrefix(out[i:], "\r\n")) && !(r == '\n' && i > 0 && out[i-1] == '\r') {
			t.Fatalf("control character %U at %d: %q", r, i, out[max(0, i-30):min(len(out), i+30)])
		}
	}
	events := parse(t, buf.Bytes())
	if len(events) != 1 {
		t.Fatalf("%d events\n%s", len(events), out)
	}
	e := events["action-item-9@debrief.test"]
	if s, _ := e.Props.Text(goical.PropSummary); s != "Fix END:VEVENT BEGIN:VEVENT SUMMARY:Injected" {
		t.Errorf("summary %q", s)
	}
	if s, _ := e.Props.Text(goical.PropDescription); s != "one\ntwo\nthree" {
		t.Errorf("description %q", s)
	}
	if strings.Contains(out, "\r\nX-INJECTED") {
		t.Error("the calendar name started a property")
	}
}
