package models

import "strings"

func statusChoices() []FilterChoice {
	out := make([]FilterChoice, 0, len(actionStatuses))
	for _, s := range actionStatuses {
		out = append(out, FilterChoice{s, ActionStatusLabel(s)})
	}
	return out
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
