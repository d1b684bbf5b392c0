package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
)

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

// InputTime formats a time for a datetime-local input in loc.
func InputTime(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02T15:04")
}

// SeverityClass is the badge class of a severity colour.
func SeverityClass(s *models.Severity) string {
	if s == nil {
		return "badge sev sev-none"
	}
	return "badge sev sev-" + s.Color
}

// SeverityName is a severity's name or a note that none is set.
func SeverityName(s *models.Severity) string {
	if s == nil {
		return "Unclassified"
	}
	return s.Name
}

// StatusClass is the badge class of an incident status.
func StatusClass(s models.IncidentStatus) string {
	switch s {
	case models.StatusInvestigating:
		return "badge badge-bad status"
	case models.StatusIdentified:
		return "badge badge-warn status"
	case models.StatusMonitoring:
		return "badge badge-info status"
	case models.StatusResolved:
		return "badge badge-ok status"
	}
	return "badge badge-outline status"
}

// StatusLabel capitalises a status for display.
func StatusLabel(s models.IncidentStatus) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// StatusOptions are the statuses for a select.
func StatusOptions() []Option {
	out := make([]Option, 0, len(models.IncidentStatuses()))
	for _, s := range models.IncidentStatuses() {
		out = append(out, Option{Value: string(s), Label: StatusLabel(s)})
	}
	return out
}

// UserName is a user's name or "—".
func UserName(u *models.User) string {
	if u == nil {
		return "—"
	}
	return u.Name
}

// LinkLabel is what a link shows: its title or its kind.
func LinkLabel(l models.Link) string {
	if l.Title != "" {
		return l.Title
	}
	switch l.Kind {
	case "pager":
		return "Pager"
	case "chat":
		return "Chat channel"
	case "ticket":
		return "Ticket"
	case "dashboard":
		return "Dashboard"
	case "document":
		return "Document"
	}
	return l.URL
}

func queryEscape(s string) string { return url.QueryEscape(s) }

// withScript adds a feature script to the page.
func withScript(p Page, name string) Page {
	p.Scripts = append(append([]string{}, p.Scripts...), name)
	return p
}
