package models

import "time"

// DefaultFollowThroughDays is the dashboard's period when none is chosen.
const DefaultFollowThroughDays = 90

// FollowThroughFilters are the parameters of a follow-through scope (the
// dashboard, its API and the insights' follow-through tab):
//
//	team          team slug
//	owner         owner email or "me"
//	from, to      the period's first and last day (YYYY-MM-DD)
//	days          a period of that many days ending today (1 to 731;
//	              another value is ignored); from overrides it
//	component     component slug
//	severity      severity name of the items' incidents (any case)
//	tag           tag of the items' incidents
//
// Without from and days the period is the last 90 days.
var FollowThroughFilters = &FilterTable{Name: "follow-through", Params: []FilterParam{
	{Key: "team", Kind: FilterTeam, Label: "Team", Chip: "Team: {}"},
	{Key: "owner", Kind: FilterUser, Label: "Owner", Chip: "Owner: {}"},
	{Key: "component", Kind: FilterComponent, Label: "Component", Chip: "Component: {}"},
	{Key: "severity", Kind: FilterSeverity, Label: "Severity", Chip: "Severity {}"},
	{Key: "tag", Kind: FilterTag, Label: "Incident tag", Chip: "Incident tag {}"},
	{Key: "days", Kind: FilterNumber, Label: "Days", Min: 1, Max: MaxFollowThroughDays, Lenient: true},
	{Key: "from", Kind: FilterDate, Label: "From", Invalid: "Enter the date as YYYY-MM-DD."},
	{Key: "to", Kind: FilterDate, Label: "To", Invalid: "Enter the date as YYYY-MM-DD."},
}}

// FollowThroughSelection are the parameters of a scope's selection (not
// its period): the base of every link from a figure to its items.
var FollowThroughSelection = []string{"team", "owner", "component", "severity", "tag"}

// FollowThroughScopeOf is the scope of resolved FollowThroughFilters; now
// is the clock and loc the instance's zone. The error names the bad
// parameters, and a period the figures cannot cover; the scope is usable
// for the form either way.
func FollowThroughScopeOf(r *ResolvedFilter, now time.Time, loc *time.Location) (FollowThroughScope, error) {
	sc := FollowThroughScope{Now: now, Loc: loc}
	today := Today(now, loc)
	sc.From, sc.To = today.AddDays(-(DefaultFollowThroughDays - 1)), today
	if it, ok := r.Item("days"); ok {
		sc.From = today.AddDays(-(it.Int - 1))
	}
	if it, ok := r.Item("from"); ok {
		sc.From = it.Date
	}
	if it, ok := r.Item("to"); ok {
		sc.To = it.Date
	}
	get := func(key string) FilterItem { it, _ := r.Item(key); return it }
	sc.TeamID, sc.OwnerID, sc.ComponentID = get("team").ID, get("owner").ID, get("component").ID
	sc.SeverityID, sc.IncidentTag = get("severity").ID, get("tag").Value
	v := &ValidationError{}
	for k, msg := range r.Errors() {
		v.Add(k, msg)
	}
	if ve, ok := AsValidation(sc.Validate()); ok {
		for k, msg := range ve.Fields {
			if v.Fields == nil {
				v.Fields = map[string]string{}
			}
			v.Fields[k] = msg // the period's problem says more
		}
	}
	return sc, v.Err()
}
