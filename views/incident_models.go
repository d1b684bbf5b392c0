package views

import (
	"strings"

	"github.com/debrief-sre/debrief/models"
)

// Incidents' view models and the labels and badge classes of their
// fields.

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
	out := make([]Option, 0, len(models.IncidentStatuses))
	for _, s := range models.IncidentStatuses {
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
