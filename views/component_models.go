package views

// The component catalog's view models: list rows, the component page and
// its form.

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

func tierClass(t int) string {
	return "badge tier tier-" + Itoa(t)
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
