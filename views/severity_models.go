package views

// SeverityView is a severity as badges and the admin pages show it. A nil
// *SeverityView is "Unclassified".
type SeverityView struct {
	ID          int64
	Name        string
	Rank        int
	Description string
	Color       string // a palette name; the stylesheet maps it to colours
}

// SeveritiesModel is the severities admin page: the levels, the form for
// a new one and the palette to choose from.
type SeveritiesModel struct {
	Severities []SeverityView
	Form       Form
	Colors     []Option
}

// SeverityEditModel is the form that edits one severity.
type SeverityEditModel struct {
	Severity SeverityView
	Form     Form
	Colors   []Option
}

// SeverityClass is the badge class of a severity colour.
func SeverityClass(s *SeverityView) string {
	if s == nil {
		return "badge sev sev-none"
	}
	return "badge sev sev-" + s.Color
}

// SeverityName is a severity's name or a note that none is set.
func SeverityName(s *SeverityView) string {
	if s == nil {
		return "Unclassified"
	}
	return s.Name
}
