package views

// Rows of reviews and findings as lists show them, with the labels and
// badge classes of their states.

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

func decisionClass(d string) string {
	switch d {
	case "ready":
		return "badge badge-ok"
	case "ready_with_conditions":
		return "badge badge-warn"
	}
	return "badge badge-bad"
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
