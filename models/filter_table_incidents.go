package models

import "time"

func incidentStatusChoices() []FilterChoice {
	out := []FilterChoice{{"open", "open"}}
	for _, s := range incidentStatuses {
		out = append(out, FilterChoice{string(s), string(s)})
	}
	return out
}

// IncidentFilters are the parameters of the incident list, shared by the
// page, the CSV export and the API:
//
//	status        open (any status before resolved), investigating, identified,
//	              monitoring, resolved, closed (repeats)
//	severity      severity names, any case (repeats)
//	component     component slugs (repeats)
//	team          team slugs: the owning team or an affected component's (repeats)
//	tag           tags, all of which the incident has (repeats)
//	from, to      a day in the viewer's zone (the API: UTC), to inclusive, or
//	              an RFC 3339 instant, to exclusive
//	q             words in the key, title, summary, impact or external ID
//	sort          newest, oldest, severity, key, updated
//
// An unknown severity, component or team matches nothing (no error).
var IncidentFilters = &FilterTable{Name: "incidents", Params: []FilterParam{
	{Key: "status", Kind: FilterEnum, Label: "Status", Repeats: true, Choices: incidentStatusChoices(),
		Invalid: "Status is one of open, investigating, identified, monitoring, resolved, closed.", Chip: "status {}"},
	{Key: "team", Kind: FilterTeam, Label: "Team", Repeats: true, Lenient: true, Chip: "team {}"},
	{Key: "component", Kind: FilterComponent, Label: "Component", Repeats: true, Lenient: true, Chip: "component {}"},
	{Key: "severity", Kind: FilterSeverity, Label: "Severity", Repeats: true, Lenient: true, Chip: "severity {}"},
	{Key: "tag", Kind: FilterTag, Label: "Tag", Repeats: true, Chip: "tag {}", Join: " and "},
	{Key: "from", Kind: FilterDayOrTime, Label: "Started from", Chip: "from {}"},
	{Key: "to", Kind: FilterDayOrTime, Label: "Started until", Chip: "until {}"},
	{Key: "q", Kind: FilterText, Label: "Search", Chip: "matching “{}”"},
	{Key: "sort", Kind: FilterEnum, Label: "Sort", Choices: incidentSortChoices(), Invalid: "Sort by newest, oldest, severity, key or updated."},
}}

func incidentSortChoices() []FilterChoice {
	out := make([]FilterChoice, 0, len(incidentSorts))
	for _, s := range incidentSorts {
		out = append(out, FilterChoice{s.Value, s.Label})
	}
	return out
}

// IncidentFilterOf is the incident filter of resolved IncidentFilters (or
// InsightFilters); days of from and to are taken in loc.
func IncidentFilterOf(r *ResolvedFilter, loc *time.Location) IncidentFilter {
	if loc == nil {
		loc = time.UTC
	}
	var f IncidentFilter
	for _, it := range r.Items("status") {
		f.Statuses = append(f.Statuses, it.Value)
	}
	for _, it := range r.Items("severity") {
		f.SeverityIDs = append(f.SeverityIDs, it.ID)
	}
	for _, it := range r.Items("component") {
		f.ComponentIDs = append(f.ComponentIDs, it.ID)
	}
	for _, it := range r.Items("team") {
		f.TeamIDs = append(f.TeamIDs, it.ID)
	}
	for _, it := range r.Items("tag") {
		f.Tags = append(f.Tags, it.Value)
	}
	bound := func(key string, end bool) *time.Time {
		it, ok := r.Item(key)
		switch {
		case !ok:
			return nil
		case it.Time != nil:
			t := *it.Time
			return &t
		}
		t := time.Date(it.Date.Year, it.Date.Month, it.Date.Day, 0, 0, 0, 0, loc)
		if end {
			t = t.AddDate(0, 0, 1) // "to" includes the whole day
		}
		return &t
	}
	f.From, f.To = bound("from", false), bound("to", true)
	if it, ok := r.Item("q"); ok {
		f.Query = it.Value
	}
	if it, ok := r.Item("sort"); ok {
		f.Sort = it.Value
	}
	return f
}
