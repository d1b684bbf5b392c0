package views

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/a-h/templ"
)

// Every way the views write a time, a date or a duration lives here, so
// pages agree on formats. Times are stored in UTC and shown in the
// viewer's zone (Loc) unless a page names another one.

// Loc is the viewer's time zone for the page being rendered.
func Loc(ctx context.Context) *time.Location { return ViewerOf(ctx).Location() }

// ZoneName names the viewer's zone for "times in …" notes, with the
// abbreviation in force at t, like "Europe/Berlin (CET)".
func ZoneName(loc *time.Location, t time.Time) string {
	abbr, _ := t.In(loc).Zone()
	name := loc.String()
	if name == "Local" {
		name = "UTC"
	}
	if abbr == "" || abbr == name {
		return name
	}
	return name + " (" + abbr + ")"
}

// zoneAbbr is the abbreviation of loc's offset at t ("CET").
func zoneAbbr(t time.Time, loc *time.Location) string {
	a, _ := t.In(loc).Zone()
	return a
}

// zoneOffset is loc's offset from UTC at t, in seconds.
func zoneOffset(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// DateTime renders t in the viewer's time zone, naming the zone, inside a
// <time> element carrying the exact instant.
func DateTime(t time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		loc := ViewerOf(ctx).Location()
		lt := t.In(loc)
		_, err := io.WriteString(w, `<time datetime="`+ISO(t)+`">`+
			templ.EscapeString(lt.Format("2 Jan 2006 15:04 MST"))+`</time>`)
		return err
	})
}

// ISO formats a time for a datetime attribute.
func ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// FormatDateTime renders a time in loc with its zone abbreviation:
// "Sun 1 Mar 2026, 11:05 CET".
func FormatDateTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

// FormatDateTimePtr is FormatDateTime for optional times ("—" when nil).
func FormatDateTimePtr(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "—"
	}
	return FormatDateTime(*t, loc)
}

// formatOptTime is FormatDateTime in the viewer's zone, "" when nil.
func formatOptTime(ctx context.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return FormatDateTime(*t, Loc(ctx))
}

// FormatStamp is a compact time in loc with its zone: "2026-03-01 11:05
// CET" ("" for the zero time).
func FormatStamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// FormatDay is the calendar day of t in loc: "2026-03-01" ("" for nil or
// the zero time).
func FormatDay(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format(dateLayout)
}

// dateLayout is how calendar dates are written in forms and keys.
const dateLayout = "2006-01-02"

// InputTime formats a time for a datetime-local input in loc.
func InputTime(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02T15:04")
}

// When formats a time in the viewer's zone: "1 Mar 2026 11:05".
func When(ctx context.Context, t time.Time) string {
	return shortTime(t, ViewerOf(ctx).Location())
}

// shortTime is a day and a clock time in loc: "1 Mar 2026 11:05".
func shortTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2 Jan 2006 15:04") }

// shortDate is a day in loc: "1 Mar 2026".
func shortDate(t time.Time, loc *time.Location) string { return t.In(loc).Format("2 Jan 2006") }

// lastStarted is shortDate for optional times ("—" when nil).
func lastStarted(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "—"
	}
	return shortDate(*t, loc)
}

// longDate is a day with its weekday: "Sunday 1 March 2026".
func longDate(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Monday 2 January 2006")
}

// dayKey is the calendar day of t in loc as a key: "2026-03-01".
func dayKey(t time.Time, loc *time.Location) string { return t.In(loc).Format(dateLayout) }

// dayOfYear names a calendar day without its year: "1 March". Days are
// midnight UTC.
func dayOfYear(d time.Time) string { return d.Format("2 January") }

// monthKey and monthLabel name a month (its first day, midnight UTC):
// "2026-03", "Mar 2026".
func monthKey(d time.Time) string   { return d.Format("2006-01") }
func monthLabel(d time.Time) string { return d.Format("Jan 2006") }

// monthDayTime is a compact time in loc for timelines: "Mar 1 11:05".
func monthDayTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("Jan 2 15:04") }

// clock is the time of day in loc: "11:05".
func clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

// clockSeconds is the time of day in loc with seconds and zone: "11:05:09 CET".
func clockSeconds(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04:05 MST") }

// liveClock is the time of day in the viewer's zone to the millisecond.
func liveClock(ctx context.Context, t time.Time) string {
	return t.In(ViewerOf(ctx).Location()).Format("15:04:05.000 MST")
}

// exportTime is a time in loc for Markdown exports: "2026-03-01 11:05".
func exportTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04") }

// previewTime is an optional time in UTC, named: "2026-03-01 11:05 UTC".
func previewTime(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// millis is a time as Unix milliseconds (for scripts).
func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// FormatDuration renders a duration for people: "45s", "4m 30s", "2h 05m",
// "3d 4h". Nil (undefined) renders as an em dash.
func FormatDuration(d *time.Duration) string {
	if d == nil {
		return "—"
	}
	v := *d
	neg := v < 0
	if neg {
		v = -v
	}
	v = v.Round(time.Second)
	var s string
	switch {
	case v < time.Minute:
		s = fmt.Sprintf("%ds", int(v.Seconds()))
	case v < time.Hour:
		s = fmt.Sprintf("%dm %02ds", int(v.Minutes()), int(v.Seconds())%60)
	case v < 24*time.Hour:
		s = fmt.Sprintf("%dh %02dm", int(v.Hours()), int(v.Minutes())%60)
	default:
		days := int(v.Hours()) / 24
		s = fmt.Sprintf("%dd %dh", days, int(v.Hours())%24)
	}
	if neg {
		return "−" + s
	}
	return s
}

// Seconds formats a duration given in seconds ("—" when undefined).
func Seconds(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	d := time.Duration(v * float64(time.Second))
	return FormatDuration(&d)
}

// impactHours formats an impact time in seconds ("—" when there is none).
func impactHours(sec float64) string {
	if sec <= 0 {
		return "—"
	}
	return Seconds(sec)
}

// Days formats a duration in seconds as days ("—" when undefined).
func Days(secs *float64) string {
	if secs == nil {
		return "—"
	}
	d := *secs / 86400
	switch {
	case d < 1:
		h := *secs / 3600
		if h < 1 {
			return fmt.Sprintf("%.0f min", math.Max(1, *secs/60))
		}
		return fmt.Sprintf("%.0f h", h)
	case d < 10:
		return fmt.Sprintf("%.1f d", d)
	}
	return fmt.Sprintf("%.0f d", d)
}

// clockText is a countdown in seconds as minutes and seconds: "4:05".
func clockText(secs int) string {
	return strconv.Itoa(secs/60) + ":" + twoDigits(secs%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// liveMillis is a short latency in milliseconds: "3.2 ms".
func liveMillis(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}
