package models

// FilterKind is how a parameter's value is read.
type FilterKind string

// The kinds of filter parameters.
const (
	FilterText      FilterKind = "text"        // free text, trimmed
	FilterTag       FilterKind = "tag"         // an incident tag
	FilterEnum      FilterKind = "enum"        // one of Choices
	FilterFlag      FilterKind = "bool"        // "1" or "true" sets it; any other value is ignored
	FilterNumber    FilterKind = "number"      // a whole number from Min to Max (Max 0: no upper bound)
	FilterDate      FilterKind = "date"        // YYYY-MM-DD
	FilterDayOrTime FilterKind = "day_or_time" // YYYY-MM-DD (a day in the scope's zone) or an RFC 3339 instant
	FilterZone      FilterKind = "zone"        // an IANA time zone name
	FilterTeam      FilterKind = "team"        // a team slug
	FilterUser      FilterKind = "user"        // a user's email address, or "me"
	FilterComponent FilterKind = "component"   // a component slug
	FilterSeverity  FilterKind = "severity"    // a severity name, in any case
	FilterIncident  FilterKind = "incident"    // an incident key (INC-12, inc-12 or 12)
	FilterReview    FilterKind = "review"      // a review id
	FilterFinding   FilterKind = "finding"     // a finding id
)

// lookup reports whether values of the kind name rows.
func (k FilterKind) lookup() bool {
	switch k {
	case FilterTeam, FilterUser, FilterComponent, FilterSeverity, FilterIncident, FilterReview, FilterFinding:
		return true
	}
	return false
}

// invalid is the kind's message for a value that does not parse or names
// nothing: {key} is the parameter, {value} the value, {quoted} the value
// in Go quotes.
func (k FilterKind) invalid() string {
	switch k {
	case FilterEnum:
		return "Unknown {key} {quoted}."
	case FilterNumber, FilterReview, FilterFinding:
		return "{key} must be a number."
	case FilterDate:
		return "Enter {key} as YYYY-MM-DD."
	case FilterDayOrTime:
		return "Enter a date like 2026-03-01."
	case FilterZone:
		return "Choose a time zone by its IANA name, like Europe/Berlin or America/New_York."
	case FilterTeam:
		return "No team has the slug {value}."
	case FilterUser:
		return "No user has the email {value}."
	case FilterComponent:
		return "No component has the slug {value}."
	case FilterSeverity:
		return "No severity is called {value}."
	case FilterIncident:
		return "No incident has the key {value}."
	}
	return "{key} is not valid."
}
