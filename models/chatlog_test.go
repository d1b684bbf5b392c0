package models_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/debrief-sre/debrief/models"
)

func TestParseChatLog(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)
	src := strings.Join([]string{
		"joined #inc-42", // before the first time: skipped
		"14:05 alice: checkout error rate at 12%", // clock time on base date
		"  graphs attached",                       // continuation
		"[14:07] bob - rolling back deploy 1234",  // brackets and separator
		"",                                        //
		"2026-03-01 23:58 carol | paging the DB on-call", // dated, local
		"00:03 dave: DB failover done",                   // past midnight: next day
		"2026-03-02T09:15:00Z root cause found",          // ISO with Z
		"2026-03-02T10:15:00+01:00 postmortem scheduled", // ISO with offset
		"2:30 PM status page updated",                    // 12-hour clock
		"14:61 not a time",                               // continuation (bad minute)
		"9:00",                                           // a time without text
	}, "\n")
	log := models.ParseChatLog(src, base, berlin)
	want := []struct {
		at   string
		text string
	}{
		{"2026-03-01T13:05:00Z", "alice: checkout error rate at 12%\ngraphs attached"},
		{"2026-03-01T13:07:00Z", "bob - rolling back deploy 1234"},
		{"2026-03-01T22:58:00Z", "carol | paging the DB on-call"},
		{"2026-03-01T23:03:00Z", "dave: DB failover done"},
		{"2026-03-02T09:15:00Z", "root cause found"},
		{"2026-03-02T09:15:00Z", "postmortem scheduled"},
		{"2026-03-02T13:30:00Z", "status page updated\n14:61 not a time"},
	}
	if len(log.Events) != len(want) {
		for _, e := range log.Events {
			t.Logf("%s %q", e.At.Format(time.RFC3339), e.Text)
		}
		t.Fatalf("%d events, want %d", len(log.Events), len(want))
	}
	for i, w := range want {
		e := log.Events[i]
		if e.At.Format(time.RFC3339) != w.at || e.Text != w.text {
			t.Errorf("event %d: %s %q, want %s %q", i, e.At.Format(time.RFC3339), e.Text, w.at, w.text)
		}
	}
	if len(log.Skipped) != 2 || log.Skipped[0].Line != 1 || log.Skipped[1].Reason != "a time without text" {
		t.Errorf("skipped %+v", log.Skipped)
	}
	// "[14:07] bob - …": the separator after the bracket goes, the one
	// after the name stays; it is part of what bob said.
	if log.Events[1].Line != 4 {
		t.Errorf("line %d", log.Events[1].Line)
	}
}

func TestParseChatLogAcrossDSTChange(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	base := time.Date(2026, 3, 29, 0, 0, 0, 0, berlin) // clocks go 02:00 → 03:00
	log := models.ParseChatLog("01:30 before\n03:30 after", base, berlin)
	if len(log.Events) != 2 {
		t.Fatal(log)
	}
	if got := log.Events[1].At.Sub(log.Events[0].At); got != time.Hour {
		t.Errorf("01:30 CET to 03:30 CEST is %v, want 1h", got)
	}
}

func FuzzParseChatLog(f *testing.F) {
	for _, s := range []string{
		"14:05 text", "[14:05] a: b\ncontinued", "2026-03-01 14:05 x", "2026-03-01T14:05:00Z y",
		"2026-03-01T14:05:00.5+05:30 z", "2:05 pm x\n\n11:59 PM y\n00:01 z", "no time", "99:99 x", "[", "12:", "-",
		"2026-02-30 10:00 x", "2026-03-01T24:00:00Z x", "1:05 PM", "23:59 a\n00:00 b\n23:59 c\n00:00 d",
	} {
		f.Add(s)
	}
	loc, _ := time.LoadLocation("America/New_York")
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, src string) {
		log := models.ParseChatLog(src, base, loc)
		lines := strings.Count(src, "\n") + 1
		if len(log.Events)+len(log.Skipped) > lines {
			t.Fatalf("%d events and %d skipped from %d lines", len(log.Events), len(log.Skipped), lines)
		}
		if len(log.Events) > models.MaxChatLogEvents {
			t.Fatalf("%d events", len(log.Events))
		}
		for _, e := range log.Events {
			if e.Text == "" || e.Text != strings.TrimSpace(e.Text) {
				t.Fatalf("event text %q", e.Text)
			}
			if e.At.Location() != time.UTC || e.At.Year() < 1 || e.Line < 1 || e.Line > lines {
				t.Fatalf("event %+v", e)
			}
			if utf8.ValidString(src) && !utf8.ValidString(e.Text) {
				t.Fatalf("invalid UTF-8 from valid input: %q", e.Text)
			}
		}
	})
}
