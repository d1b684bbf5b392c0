package views

import (
	"strings"
	"time"
)

// Incidents' view models and the labels and badge classes of their
// fields. The handlers build them from the stored incidents
// (app/incident_views.go).

// IncidentRow is an incident in a list: the incident list, the home page
// and "today in history".
type IncidentRow struct {
	Key        string // INC-42
	Title      string
	Tags       []string // sorted
	Severity   *SeverityView
	Status     string
	StartedAt  time.Time
	Resolve    *time.Duration // time to resolve; nil while undefined
	Components []string       // names
	Commander  string         // "" when nobody
}

// IncidentView is one incident as its page and its timeline show it.
type IncidentView struct {
	ID        int64
	Key       string
	Title     string
	Severity  *SeverityView
	Status    string
	StartedAt time.Time
	// People and team are names, "" when nobody is set.
	Commander, Scribe, CommsLead string
	Team                         string
	Impact, Summary              string // Markdown
	Components                   []ComponentRef
	Tags                         []string // sorted
	Links                        []LinkView
	ExternalSource, ExternalID   string
	// Times are the incident's timestamps, started first; Durations the
	// figures measured from them.
	Times     []IncidentTime
	Durations []IncidentDuration
}

// ComponentRef names a catalog component, with its slug for links.
type ComponentRef struct{ Name, Slug string }

// IncidentTime is one of an incident's timestamps.
type IncidentTime struct {
	Label string     // Detected
	Field string     // detected_at
	At    *time.Time // nil while unknown
}

// IncidentDuration is one of an incident's durations with its definition.
type IncidentDuration struct {
	Name       string         // Time to detect
	Field      string         // time_to_detect
	Definition string         // detected − started
	Value      *time.Duration // nil while undefined
	// Missing names the timestamp it waits for while undefined: "detected".
	Missing string
}

func (d IncidentDuration) missingNote() string {
	return "Undefined: no " + d.Missing + " time yet."
}

// IncidentChoices are the option lists of the incident form and filters.
type IncidentChoices struct {
	Severities []SeverityView
	Teams      []Choice
	People     []Choice
	Components []Choice
	// Statuses are the incident statuses in order.
	Statuses []string
}

// Choice is something to pick in a form: a team, a person, a component.
type Choice struct {
	ID   int64
	Slug string // teams and components
	Name string
}

// IncidentShowModel is the incident page.
type IncidentShowModel struct {
	Incident IncidentView
	Timeline TimelineModel
	CanEdit  bool

	// Postmortem: the incident's postmortem, nil before one starts.
	Postmortem *IncidentPostmortem
}

// IncidentFormModel is the declare/edit form with its option lists.
type IncidentFormModel struct {
	Form    Form
	Choices IncidentChoices
	Key     string // the incident's key; "" when declaring
	Zone    string // the viewer's zone, named
}

// IncidentListModel is the incident list page.
type IncidentListModel struct {
	Incidents []IncidentRow
	Total     int64
	Page      int
	PerPage   int
	Filters   Form
	Choices   IncidentChoices
	// Sorts are the orders the list offers.
	Sorts []Option
	Tags  []string
	// Query is the filters as a query string, for page and export links.
	Query     string
	CanCreate bool
	IsAdmin   bool
	Zone      string
}

// StatusClass is the badge class of an incident status.
func StatusClass(s string) string {
	switch s {
	case "investigating":
		return "badge badge-bad status"
	case "identified":
		return "badge badge-warn status"
	case "monitoring":
		return "badge badge-info status"
	case "resolved":
		return "badge badge-ok status"
	}
	return "badge badge-outline status"
}

// StatusLabel capitalises a status for display.
func StatusLabel(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// StatusOptions are the statuses for a select.
func StatusOptions(statuses []string) []Option {
	out := make([]Option, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, Option{Value: s, Label: StatusLabel(s)})
	}
	return out
}

// LinkLabel is what a link shows: its title or its kind.
func LinkLabel(l LinkView) string {
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
