package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ChatEvent is one event read from a pasted chat log.
type ChatEvent struct {
	At   time.Time
	Text string
	Line int // 1-based line of the timestamp
}

// ChatSkip is a line that could not be used, with the reason.
type ChatSkip struct {
	Line   int
	Text   string
	Reason string
}

// ChatLog is the result of ParseChatLog.
type ChatLog struct {
	Events  []ChatEvent
	Skipped []ChatSkip
}

// Limits of a pasted chat log.
const (
	MaxChatLogBytes  = 512 << 10
	MaxChatLogEvents = 1000
)

var (
	// 2026-03-01T14:05:00Z, 2026-03-01T14:05+01:00, 2026-03-01T14:05:00.123-05:00
	chatISO = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?\b`)
	// 14:05, 14:05:07, 2:05 PM
	chatClock = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?`)
)

// ParseChatLog reads a pasted chat log into events. A line that starts
// with a time begins an event; the lines after it without one continue its
// text. Times are:
//
//   - ISO 8601 / RFC 3339 with an offset or Z: taken as written;
//   - "2026-03-01 14:05" (optionally with seconds): in loc;
//   - "14:05", "14:05:07" or "2:05 PM": in loc, on the date of the last
//     dated line, or of base for the first ones. A clock time more than 12
//     hours earlier than the one before it is on the next day, so a log
//     that runs past midnight keeps its order.
//
// Brackets around the time ("[14:05]") and a separator after it (" - ",
// " | ", ": ") are dropped. Lines before the first time are skipped and
// reported, as are events beyond MaxChatLogEvents.
func ParseChatLog(src string, base time.Time, loc *time.Location) ChatLog {
	if loc == nil {
		loc = time.UTC
	}
	if len(src) > MaxChatLogBytes {
		src = src[:MaxChatLogBytes]
	}
	var out ChatLog
	day := base.In(loc)
	var prev time.Time
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		line := strings.TrimRight(raw, " \t\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		at, rest, dated, ok := chatTimestamp(strings.TrimSpace(line), day, loc)
		if !ok {
			if n := len(out.Events); n > 0 {
				out.Events[n-1].Text = strings.TrimSpace(out.Events[n-1].Text + "\n" + strings.TrimSpace(line))
				continue
			}
			out.Skipped = append(out.Skipped, ChatSkip{Line: i + 1, Text: clip(line), Reason: "no time at the start of the line"})
			continue
		}
		if dated {
			day = at.In(loc)
		} else if !prev.IsZero() && at.Before(prev.Add(-12*time.Hour)) {
			// Past midnight: the clock went backwards by more than half a day.
			day = day.AddDate(0, 0, 1)
			at, _, _, _ = chatTimestamp(strings.TrimSpace(line), day, loc)
		}
		if len(out.Events) >= MaxChatLogEvents {
			out.Skipped = append(out.Skipped, ChatSkip{Line: i + 1, Text: clip(line), Reason: "more than " + strconv.Itoa(MaxChatLogEvents) + " events in one paste"})
			continue
		}
		prev = at
		out.Events = append(out.Events, ChatEvent{At: UTC(at), Text: rest, Line: i + 1})
	}
	// An event whose line held only a time and no text after it, nor on
	// the lines below, says nothing.
	kept := out.Events[:0]
	for _, e := range out.Events {
		if e.Text == "" {
			out.Skipped = append(out.Skipped, ChatSkip{Line: e.Line, Text: e.At.Format(time.RFC3339), Reason: "a time without text"})
			continue
		}
		kept = append(kept, e)
	}
	out.Events = kept
	return out
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// chatTimestamp reads the time at the start of line. dated says whether
// the line carried its own date.
func chatTimestamp(line string, day time.Time, loc *time.Location) (at time.Time, rest string, dated bool, ok bool) {
	s := line
	bracket := strings.HasPrefix(s, "[")
	if bracket {
		s = s[1:]
	}
	if m := chatISO.FindStringSubmatchIndex(s); m != nil {
		sub := func(k int) string {
			if m[2*k] < 0 {
				return ""
			}
			return s[m[2*k]:m[2*k+1]]
		}
		d, err := time.ParseInLocation("2006-01-02", sub(1), loc)
		if err != nil || d.Year() < 1970 {
			return time.Time{}, "", false, false
		}
		h, _ := strconv.Atoi(sub(2))
		mi, _ := strconv.Atoi(sub(3))
		sec, _ := strconv.Atoi(sub(4))
		if h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, "", false, false
		}
		zone := loc
		switch z := sub(5); {
		case z == "Z" || z == "UTC":
			zone = time.UTC
		case z != "":
			zz := strings.ReplaceAll(z, ":", "")
			oh, _ := strconv.Atoi(zz[1:3])
			om, _ := strconv.Atoi(zz[3:5])
			if oh > 23 || om > 59 {
				return time.Time{}, "", false, false
			}
			off := oh*3600 + om*60
			if zz[0] == '-' {
				off = -off
			}
			zone = time.FixedZone(z, off)
		}
		at = time.Date(d.Year(), d.Month(), d.Day(), h, mi, sec, 0, zone)
		return at, chatRest(s[m[1]:], bracket), true, true
	}
	if m := chatClock.FindStringSubmatchIndex(s); m != nil {
		sub := func(k int) string {
			if m[2*k] < 0 {
				return ""
			}
			return s[m[2*k]:m[2*k+1]]
		}
		// A clock time must end there: "14:05abc" or "1:2345" is text.
		if m[1] < len(s) {
			if c := s[m[1]]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				return time.Time{}, "", false, false
			}
		}
		h, _ := strconv.Atoi(sub(1))
		mi, _ := strconv.Atoi(sub(2))
		sec, _ := strconv.Atoi(sub(3))
		if ampm := strings.ToLower(sub(4)); ampm != "" {
			if h < 1 || h > 12 {
				return time.Time{}, "", false, false
			}
			h %= 12
			if ampm == "p" {
				h += 12
			}
		}
		if h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, "", false, false
		}
		d := day.In(loc)
		at = time.Date(d.Year(), d.Month(), d.Day(), h, mi, sec, 0, loc)
		return at, chatRest(s[m[1]:], bracket), false, true
	}
	return time.Time{}, "", false, false
}

// chatRest drops the closing bracket and a separator after the time.
func chatRest(s string, bracket bool) string {
	if bracket {
		s = strings.TrimLeft(s, " ")
		if !strings.HasPrefix(s, "]") {
			// "[14:05 text" – keep the text anyway.
			return strings.TrimSpace(s)
		}
		s = s[1:]
	}
	s = strings.TrimSpace(s)
	for _, sep := range []string{"- ", "– ", "| ", ": ", "-\t", "|\t"} {
		if strings.HasPrefix(s, sep) {
			s = s[len(sep):]
			break
		}
	}
	if s == "-" || s == "|" || s == ":" {
		s = ""
	}
	return strings.TrimSpace(s)
}
