package views

// Action items' view models: list rows, the item page and its form, with
// the labels and badge classes of statuses and priorities.

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

	// Retros: the retro the item was agreed in.
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
