package models

import (
	"strings"
	"time"
)

// The filter tables of the features, and the function of each that maps
// resolved values into its query. Every parameter is optional.

// nothing is an id no row has: a filter naming something unknown matches
// no row instead of every row.
const nothing = -1

func statusChoices() []FilterChoice {
	out := make([]FilterChoice, 0, len(actionStatuses))
	for _, s := range actionStatuses {
		out = append(out, FilterChoice{s, ActionStatusLabel(s)})
	}
	return out
}

func labelled(values []string, label func(string) string) []FilterChoice {
	out := make([]FilterChoice, 0, len(values))
	for _, v := range values {
		out = append(out, FilterChoice{v, label(v)})
	}
	return out
}

func plain(values ...string) []FilterChoice {
	return labelled(values, func(s string) string { return s })
}

func ageChoices() []FilterChoice {
	out := make([]FilterChoice, 0, len(agingBuckets))
	for _, b := range agingBuckets {
		out = append(out, FilterChoice{b.Key, "Open, " + strings.ToLower(b.Label) + " old"})
	}
	return out
}

// dueChoices are the due-date presets of the action item list: overdue,
// open items due from today through n days (today, 7d, 30d), or no due
// date.
var dueChoices = []FilterChoice{
	{"overdue", "Overdue"}, {"today", "Due today"}, {"7d", "Due within 7 days"}, {"30d", "Due within 30 days"}, {"none", "No due date"},
}

var dueDays = map[string]int{"today": 0, "7d": 7, "30d": 30}

// ActionFilters are the parameters of the action item list, shared by the
// page, its CSV export, the dashboard's links and the API (which also
// takes the first API's names: source_kind, due_after, due_before,
// review_id, finding_id). Repeating parameters take several values,
// repeated (status=open&status=blocked) or comma-separated
// (status=open,blocked), any of which matches.
//
//	q             text in the title
//	state         open (open, in progress or blocked) or closed (done or won't do)
//	status        open, in_progress, blocked, done, wont_do (repeats)
//	team          team slug, or "none"
//	owner         owner email, "me" or "none"
//	creator       creator email or "me"
//	source        review, finding, postmortem, retro, manual (repeats)
//	priority      low, medium, high (repeats)
//	due           overdue, today, 7d, 30d (open items due then) or none (no due date)
//	overdue       1 or true: open items past their due date
//	due_from, due_to          due dates (inclusive; they override due's range)
//	component     component slug
//	review, finding           review or finding id (an unknown id matches nothing, no error)
//	incident      incident key (INC-12)
//	postmortem    1: any incident's items
//	severity      severity name of the items' incident (any case), or "none"
//	tag           tag of the items' incident
//	created_from, created_to  days of creation (inclusive)
//	closed_from, closed_to    days of closing (inclusive)
//	outcome       on_time, late, open_overdue, not_yet_due (with due_from/due_to)
//	open_on, overdue_on       open (and overdue) at the start of that day
//	age           open items by age in days: 0-6, 7-29, 30-89, 90-179, 180-
//	min_age       created at least N days ago (1 to 3650)
//	within        closed within N days of creation (1 to 3650)
//	sort          due, -due, priority, -priority, created, -created, updated, -updated, title, owner, team, status
//
// (page, the page number, is the page's own.) With any bad value the
// list matches nothing; the page says why, the API answers 422.
var ActionFilters = &FilterTable{Name: "action items", Params: []FilterParam{
	{Key: "q", Kind: FilterText, Label: "Title", Chip: "Title contains “{}”"},
	{Key: "state", Kind: FilterEnum, Label: "State", Choices: []FilterChoice{{"open", "Not closed"}, {"closed", "Closed"}},
		Invalid: "Choose open or closed.", Chip: "{}"},
	{Key: "status", Kind: FilterEnum, Label: "Status", Repeats: true, Choices: statusChoices(), Chip: "{}"},
	{Key: "team", Kind: FilterTeam, Label: "Team", Special: []FilterChoice{{"none", "No team"}}, Chip: "Team: {}"},
	{Key: "owner", Kind: FilterUser, Label: "Owner", Special: []FilterChoice{{"none", "Nobody owns it"}}, Chip: "Owner: {}"},
	{Key: "creator", Kind: FilterUser, Label: "Creator", Chip: "Created by {}"},
	{Key: "source", Aliases: []string{"source_kind"}, Kind: FilterEnum, Label: "Source", Repeats: true,
		Choices: labelled(sourceKinds, func(s string) string { return "From " + s }), Chip: "{}"},
	{Key: "priority", Kind: FilterEnum, Label: "Priority", Repeats: true,
		Choices: labelled(priorities, func(s string) string { return strings.ToUpper(s[:1]) + s[1:] + " priority" }), Chip: "{}"},
	{Key: "due", Kind: FilterEnum, Label: "Due", Choices: dueChoices, Invalid: "Choose overdue, today, 7d, 30d or none.", Chip: "{}"},
	{Key: "overdue", Kind: FilterFlag, Label: "Overdue", Chip: "Overdue"},
	{Key: "due_from", Aliases: []string{"due_after"}, Kind: FilterDate, Label: "Due from", Chip: "Due from {}"},
	{Key: "due_to", Aliases: []string{"due_before"}, Kind: FilterDate, Label: "Due until", Chip: "Due until {}"},
	{Key: "component", Kind: FilterComponent, Label: "Component", Chip: "Component: {}"},
	{Key: "review", Aliases: []string{"review_id"}, Kind: FilterReview, Label: "Review", Lenient: true, Chip: "From review {}"},
	{Key: "finding", Aliases: []string{"finding_id"}, Kind: FilterFinding, Label: "Finding", Lenient: true, Chip: "From finding {}"},
	{Key: "incident", Kind: FilterIncident, Label: "Incident", Chip: "From {}"},
	{Key: "postmortem", Kind: FilterFlag, Label: "From postmortems", Chip: "From postmortems and retros"},
	{Key: "severity", Kind: FilterSeverity, Label: "Severity", Special: []FilterChoice{{"none", "Incident without severity"}}, Chip: "Severity {}"},
	{Key: "tag", Kind: FilterTag, Label: "Incident tag", Chip: "Incident tag {}"},
	{Key: "created_from", Kind: FilterDate, Label: "Created from", Chip: "Created from {}"},
	{Key: "created_to", Kind: FilterDate, Label: "Created until", Chip: "Created until {}"},
	{Key: "closed_from", Kind: FilterDate, Label: "Closed from", Chip: "Closed from {}"},
	{Key: "closed_to", Kind: FilterDate, Label: "Closed until", Chip: "Closed until {}"},
	{Key: "outcome", Kind: FilterEnum, Label: "Outcome", Choices: []FilterChoice{
		{OutcomeOnTime, "Done by the due date"}, {OutcomeLate, "Done after the due date"},
		{OutcomeOpenOverdue, "Open past the due date"}, {OutcomeNotYetDue, "Open, not yet due"},
	}, Invalid: "Choose on_time, late, open_overdue or not_yet_due.", Chip: "{}"},
	{Key: "open_on", Kind: FilterDate, Label: "Open on", Chip: "Open at the start of {}"},
	{Key: "overdue_on", Kind: FilterDate, Label: "Overdue on", Chip: "Overdue at the start of {}"},
	{Key: "age", Kind: FilterEnum, Label: "Age", Choices: ageChoices(), Invalid: "Unknown age range.", Chip: "{}"},
	{Key: "min_age", Kind: FilterNumber, Label: "Minimum age", Min: 1, Max: 3650,
		Invalid: "{key} must be a number of days from 1 to 3650.", Chip: "Created {}+ days ago"},
	{Key: "within", Kind: FilterNumber, Label: "Closed within", Min: 1, Max: 3650,
		Invalid: "{key} must be a number of days from 1 to 3650.", Chip: "Closed within {} days"},
	{Key: "sort", Kind: FilterEnum, Label: "Sort", Choices: plain(actionSorts...), Invalid: "Unknown sort."},
}}

// ActionQueryOf is the list query of resolved ActionFilters; now is the
// clock and loc the instance's zone (today, and "due within" ranges).
// With any bad value it matches nothing.
func ActionQueryOf(r *ResolvedFilter, now time.Time, loc *time.Location) ActionQuery {
	q := ActionQuery{Now: now, Loc: loc}
	q.Today = Today(now, loc)
	str := func(key string) string { it, _ := r.Item(key); return it.Value }
	values := func(key string) []string {
		var out []string
		for _, it := range r.Items(key) {
			out = append(out, it.Value)
		}
		return out
	}
	date := func(key string) *Date {
		if it, ok := r.Item(key); ok {
			d := it.Date
			return &d
		}
		return nil
	}
	// id is the row a lookup names, its special value, and whether it is set.
	id := func(key string) (int64, string) {
		it, ok := r.Item(key)
		if !ok {
			return 0, ""
		}
		return it.ID, it.Special
	}

	q.Text = str("q")
	q.OpenOnly = str("state") == "open"
	q.ClosedOnly = str("state") == "closed"
	q.Statuses = values("status")
	q.SourceKinds = values("source")
	q.Priorities = values("priority")
	if tid, sp := id("team"); sp == "none" {
		q.NoTeam = true
	} else {
		q.TeamID = tid
	}
	if oid, sp := id("owner"); sp == "none" {
		q.NoOwner = true
	} else {
		q.OwnerID = oid
	}
	q.CreatorID, _ = id("creator")
	switch d := str("due"); d {
	case "overdue":
		q.Overdue = true
	case "today", "7d", "30d":
		from, to := q.Today, q.Today.AddDays(dueDays[d])
		q.OpenOnly, q.DueFrom, q.DueTo = true, &from, &to
	case "none":
		q.NoDueDate = true
	}
	if r.Has("overdue") {
		q.Overdue = true
	}
	if d := date("due_from"); d != nil {
		q.DueFrom = d
	}
	if d := date("due_to"); d != nil {
		q.DueTo = d
	}
	q.ComponentID, _ = id("component")
	q.IncidentID, _ = id("incident")
	q.ReviewID, _ = id("review")
	q.FindingID, _ = id("finding")
	q.Postmortem = r.Has("postmortem")
	if sid, sp := id("severity"); sp == "none" {
		q.NoSeverity = true
	} else {
		q.SeverityID = sid
	}
	q.IncidentTag = str("tag")
	q.CreatedFrom, q.CreatedTo = date("created_from"), date("created_to")
	q.ClosedOnFrom, q.ClosedOnTo = date("closed_from"), date("closed_to")
	q.Outcome = str("outcome")
	q.OpenOn, q.OverdueOn = date("open_on"), date("overdue_on")
	if a := str("age"); a != "" {
		for _, b := range agingBuckets {
			if b.Key == a {
				q.Age, q.AgeMin, q.AgeMax = true, b.Min, b.Max
			}
		}
	}
	if it, ok := r.Item("min_age"); ok {
		q.MinAgeDays = it.Int
	}
	if it, ok := r.Item("within"); ok {
		q.ClosedWithinDays = it.Int
	}
	q.Sort = str("sort")
	if r.Err() != nil {
		q.OwnerID = nothing // match nothing rather than everything
	}
	return q
}

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

// InsightFilters are the parameters every insight page and endpoint
// shares: the incident list's team, component, severity, tag, from and
// to (days in the zone tz), and tz, an IANA zone name (default: the
// instance's zone). Page-specific ones (interval, weekdays_only, metric,
// date) are read by their handlers; insights.ScopeOf maps the rest.
var InsightFilters = &FilterTable{Name: "insights", Params: []FilterParam{
	*IncidentFilters.Param("team"),
	*IncidentFilters.Param("component"),
	*IncidentFilters.Param("severity"),
	*IncidentFilters.Param("tag"),
	*IncidentFilters.Param("from"),
	*IncidentFilters.Param("to"),
	{Key: "tz", Kind: FilterZone, Label: "Time zone"},
}}
