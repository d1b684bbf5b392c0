package views

import (
	"strings"

	"github.com/a-h/templ"
)

// ComponentRow is one component in a list.
type ComponentRow struct {
	Name, Slug   string
	TeamName     string
	Tier         int
	Tags         []string
	ReviewLabel  string // cadence state, e.g. "Overdue by 3 days"
	ReviewKind   string // never, overdue, soon, ok
	LastReviewed string // date or ""
	OpenFindings int
	OpenActions  int
}

// ComponentListModel is the catalog page.
type ComponentListModel struct {
	Rows      []ComponentRow
	Filter    Form
	Teams     []Option
	Tags      []Option
	CanCreate bool
	Total     int
}

// LinkView is a titled link.
type LinkView struct{ Title, URL, Kind string }

// ComponentDetail is a component's page.
type ComponentDetail struct {
	ComponentRow
	DescriptionMD    string
	Links            []LinkView
	IntervalDays     int
	NextDue          string
	Reviews          []ReviewRow
	Findings         []FindingRow
	Actions          []ActionRow
	CanEdit          bool
	CanStartReview   bool
	CompareCandidate [2]int64 // the two newest reviews, for a compare link
}

// ActionRow is one action item in a list.
type ActionRow struct {
	ID         int64
	Title      string
	Status     string
	Priority   string
	Owner      string
	Team       string
	Due        string
	Overdue    bool
	SourceKind string
	Closed     bool
}

// ActionEvent is one entry of an action item's history.
type ActionEvent struct {
	At, Actor, From, To, Note string
}

// ActionDetail is an action item's page.
type ActionDetail struct {
	ActionRow
	DescriptionMD  string
	StatusReason   string
	CompletionNote string
	ExternalURL    string
	Creator        string
	Created        string
	Closed         string
	Version        int
	ComponentName  string
	ComponentSlug  string
	ReviewID       int64
	ReviewTitle    string
	FindingID      int64
	FindingTitle   string
	History        []ActionEvent
	CanEdit        bool
	StatusForm     Form
	// FollowUp holds comments, reminders and the incident (follow_through.go).
	FollowUp ActionFollowUp

	// Retros (issue 6): the retro the item was agreed in.
	RetroID    int64
	RetroTitle string
}

// ActionForm is the create/edit form of an action item.
type ActionForm struct {
	Form    Form
	Editing bool
	ID      int64
	// Context shown above the form ("For finding …").
	ContextLabel string
	Owners       []Option
	Teams        []Option
	// Hidden carries source fields through a failed submit.
	Hidden map[string]string
}

// ComponentForm is the create/edit form of a component.
type ComponentForm struct {
	Form    Form
	Editing bool
	Slug    string
	Teams   []Option
}

// TierOptions are the tier choices.
func TierOptions() []Option {
	return []Option{{"1", "Tier 1 — most critical"}, {"2", "Tier 2"}, {"3", "Tier 3 — least critical"}}
}

// PriorityOptions are the priority choices.
func PriorityOptions() []Option {
	return []Option{{"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}
}

// ActionStatusOptions are the action item statuses.
func ActionStatusOptions() []Option {
	return []Option{{"open", "Open"}, {"in_progress", "In progress"}, {"blocked", "Blocked"}, {"done", "Done"}, {"wont_do", "Won't do"}}
}

// ActionStatusLabel names a status.
func ActionStatusLabel(s string) string {
	for _, o := range ActionStatusOptions() {
		if o.Value == s {
			return o.Label
		}
	}
	return s
}

func actionStatusClass(s string) string {
	switch s {
	case "done":
		return "badge badge-ok"
	case "wont_do":
		return "badge badge-outline"
	case "blocked":
		return "badge badge-bad"
	case "in_progress":
		return "badge badge-info"
	}
	return "badge badge-brand"
}

func priorityClass(p string) string {
	switch p {
	case "high":
		return "badge risk-high"
	case "medium":
		return "badge risk-medium"
	}
	return "badge risk-low"
}

func reviewStateClass(kind string) string {
	switch kind {
	case "overdue":
		return "badge badge-bad"
	case "never":
		return "badge badge-warn"
	case "soon":
		return "badge badge-info"
	}
	return "badge badge-ok"
}

func tierClass(t int) string {
	return "badge tier tier-" + Itoa(t)
}

// Title capitalises the first letter.
func Title(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// ReviewRow is one review in a list.
type ReviewRow struct {
	ID            int64
	Title         string
	ComponentName string
	ComponentSlug string
	Status        string
	Template      string
	Facilitator   string
	Scheduled     string
	Completed     string
	Decision      string
	Score         string
	Answered      string
}

// FindingRow is one finding in a list.
type FindingRow struct {
	ID          int64
	Title       string
	Risk        string
	Status      string
	Expired     bool
	AcceptedTo  string
	Approver    string
	ReviewID    int64
	Carried     bool
	QuestionKey string
	Component   string
}

// ReviewStatusLabel names a review status.
func ReviewStatusLabel(s string) string {
	switch s {
	case "draft":
		return "Draft"
	case "in_progress":
		return "In progress"
	case "in_review":
		return "Awaiting sign-off"
	case "completed":
		return "Completed"
	case "archived":
		return "Archived"
	}
	return s
}

func reviewStatusClass(s string) string {
	switch s {
	case "completed":
		return "badge badge-ok"
	case "in_review":
		return "badge badge-warn"
	case "in_progress":
		return "badge badge-info"
	case "archived":
		return "badge badge-outline"
	}
	return "badge"
}

// DecisionLabel names a sign-off decision.
func DecisionLabel(d string) string {
	switch d {
	case "ready":
		return "Ready"
	case "ready_with_conditions":
		return "Ready with conditions"
	case "not_ready":
		return "Not ready"
	}
	return d
}

func findingStatusClass(s string) string {
	switch s {
	case "resolved":
		return "badge badge-ok"
	case "mitigated":
		return "badge badge-info"
	}
	return "badge badge-brand"
}

func templURL(u string) templ.SafeURL {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return templ.SafeURL(u)
	}
	return templ.SafeURL("#")
}

func decisionClass(d string) string {
	switch d {
	case "ready":
		return "badge badge-ok"
	case "ready_with_conditions":
		return "badge badge-warn"
	}
	return "badge badge-bad"
}
