package app

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// The query parameters of the action item list, shared by the page, its
// CSV export, the dashboard's links and the API. Every parameter is
// optional; list parameters repeat (status=open&status=blocked) or take
// commas (status=open,blocked).
//
//	q             text in the title
//	team          team slug, or "none"
//	owner         owner email, "me" or "none"
//	creator       creator email or "me"
//	state         open (open, in progress or blocked) or closed (done or won't do)
//	status        open, in_progress, blocked, done, wont_do
//	source        review, finding, postmortem, retro, manual
//	priority      low, medium, high
//	due           overdue, today, 7d, 30d (open items due then) or none (no due date)
//	overdue       1: open items past their due date
//	due_from, due_to        due dates (inclusive)
//	component     component slug
//	incident      incident key (INC-12); postmortem=1: any incident's items
//	review, finding           review or finding id
//	severity      severity name of the items' incident, or "none"
//	tag           tag of the items' incident
//	created_from, created_to  days of creation (inclusive)
//	closed_from, closed_to    days of closing (inclusive)
//	outcome       on_time, late, open_overdue, not_yet_due (with due_from/due_to)
//	open_on, overdue_on       open (and overdue) at the start of that day
//	age           open items by age in days: 0-6, 7-29, 30-89, 90-179, 180-
//	min_age       created at least N days ago
//	within        closed within N days of creation
//	sort          due, -due, priority, -priority, created, -created, updated, -updated, title, owner, team, status
//	page          page number (pages only)

// actionParams lists the parameters above in the order chips show them.
var actionParams = []string{"q", "state", "status", "team", "owner", "creator", "source", "priority", "due", "overdue",
	"due_from", "due_to", "component", "review", "finding", "incident", "postmortem", "severity", "tag", "created_from", "created_to",
	"closed_from", "closed_to", "outcome", "open_on", "overdue_on", "age", "min_age", "within", "sort"}

// actionFilter is a parsed list query.
type actionFilter struct {
	Query models.ActionQuery
	// Values holds the known, non-empty parameters (for links and forms).
	Values url.Values
	Chips  []views.FilterChip
	// Errors are messages per parameter for values that name nothing or
	// do not parse; the list then matches nothing.
	Errors map[string]string
}

// multi reads a repeated or comma-separated parameter.
func multi(v url.Values, key string) []string {
	var out []string
	for _, s := range v[key] {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// nothing is an id no row has: a filter naming something unknown matches
// no item instead of every item.
const nothing = -1

// parseActionFilter reads the list parameters from v.
func (s *Server) parseActionFilter(c echo.Context, v url.Values) actionFilter {
	ctx := c.Request().Context()
	f := actionFilter{Values: url.Values{}, Errors: map[string]string{}}
	q := &f.Query
	q.Now, q.Loc = s.now(), s.cfg.Location
	q.Today = s.today()
	fail := func(key, msg string) {
		f.Errors[key] = msg
	}
	keep := func(key string, vals ...string) {
		f.Values[key] = vals
	}
	chip := func(key, label string) {
		f.Chips = append(f.Chips, views.FilterChip{Key: key, Label: label})
	}
	date := func(key string) *models.Date {
		raw := strings.TrimSpace(v.Get(key))
		if raw == "" {
			return nil
		}
		d, err := models.ParseDate(raw)
		if err != nil {
			fail(key, "Enter "+key+" as YYYY-MM-DD.")
			return nil
		}
		keep(key, d.String())
		return &d
	}
	choices := func(key string, allowed []string, label func(string) string) []string {
		vals := multi(v, key)
		var out, labels []string
		for _, x := range vals {
			if !slices.Contains(allowed, x) {
				fail(key, fmt.Sprintf("Unknown %s %q.", key, x))
				continue
			}
			out = append(out, x)
			labels = append(labels, label(x))
		}
		if len(out) > 0 {
			keep(key, strings.Join(out, ","))
			chip(key, strings.Join(labels, " or "))
		}
		return out
	}
	me := currentUser(c)

	if t := strings.TrimSpace(v.Get("q")); t != "" {
		q.Text = t
		keep("q", t)
		chip("q", "Title contains “"+t+"”")
	}
	switch st := v.Get("state"); st {
	case "":
	case "open":
		q.OpenOnly = true
		keep("state", st)
		chip("state", "Not closed")
	case "closed":
		q.ClosedOnly = true
		keep("state", st)
		chip("state", "Closed")
	default:
		fail("state", "Choose open or closed.")
	}
	q.Statuses = choices("status", models.ActionStatuses(), models.ActionStatusLabel)
	q.SourceKinds = choices("source", models.SourceKinds(), func(x string) string { return "From " + x })
	q.Priorities = choices("priority", models.Priorities(), func(x string) string { return views.Title(x) + " priority" })
	if slug := strings.TrimSpace(v.Get("team")); slug != "" {
		keep("team", slug)
		if slug == "none" {
			q.NoTeam = true
			chip("team", "No team")
		} else if t, err := models.GetTeamBySlug(ctx, s.db, slug); err == nil {
			q.TeamID = t.ID
			chip("team", "Team: "+t.Name)
		} else {
			q.TeamID = nothing
			fail("team", "No team has the slug "+slug+".")
		}
	}
	person := func(key, raw string) (int64, string) {
		raw = strings.TrimSpace(raw)
		if raw == "me" && me != nil {
			return me.ID, "me"
		}
		u, err := models.GetUserByEmail(ctx, s.db, models.NormalizeEmail(raw))
		if err != nil {
			fail(key, "No user has the email "+raw+".")
			return nothing, raw
		}
		return u.ID, u.Name
	}
	if o := strings.TrimSpace(v.Get("owner")); o != "" {
		keep("owner", o)
		if o == "none" {
			q.NoOwner = true
			chip("owner", "Nobody owns it")
		} else {
			id, name := person("owner", o)
			q.OwnerID = id
			chip("owner", "Owner: "+name)
		}
	}
	if o := strings.TrimSpace(v.Get("creator")); o != "" {
		keep("creator", o)
		id, name := person("creator", o)
		q.CreatorID = id
		chip("creator", "Created by "+name)
	}
	switch d := v.Get("due"); d {
	case "":
	case "overdue":
		q.Overdue = true
		keep("due", d)
		chip("due", "Overdue")
	case "today", "7d", "30d":
		n := map[string]int{"today": 0, "7d": 7, "30d": 30}[d]
		from, to := q.Today, q.Today.AddDays(n)
		q.OpenOnly, q.DueFrom, q.DueTo = true, &from, &to
		keep("due", d)
		chip("due", map[string]string{"today": "Due today", "7d": "Due within 7 days", "30d": "Due within 30 days"}[d])
	case "none":
		q.NoDueDate = true
		keep("due", d)
		chip("due", "No due date")
	default:
		fail("due", "Choose overdue, today, 7d, 30d or none.")
	}
	if v.Get("overdue") == "1" || v.Get("overdue") == "true" {
		q.Overdue = true
		keep("overdue", "1")
		chip("overdue", "Overdue")
	}
	if d := date("due_from"); d != nil {
		q.DueFrom = d
		chip("due_from", "Due from "+d.String())
	}
	if d := date("due_to"); d != nil {
		q.DueTo = d
		chip("due_to", "Due until "+d.String())
	}
	if slug := strings.TrimSpace(v.Get("component")); slug != "" {
		keep("component", slug)
		if comp, err := models.GetComponentBySlug(ctx, s.db, slug); err == nil {
			q.ComponentID = comp.ID
			chip("component", "Component: "+comp.Name)
		} else {
			q.ComponentID = nothing
			fail("component", "No component has the slug "+slug+".")
		}
	}
	if key := strings.TrimSpace(v.Get("incident")); key != "" {
		keep("incident", key)
		if inc, err := models.GetIncidentByKey(ctx, s.db, key); err == nil {
			q.IncidentID = inc.ID
			chip("incident", "From "+inc.Key()+" "+inc.Title)
		} else {
			q.IncidentID = nothing
			fail("incident", "No incident has the key "+key+".")
		}
	}
	for key, dst := range map[string]*int64{"review": &q.ReviewID, "finding": &q.FindingID} {
		raw := strings.TrimSpace(v.Get(key))
		if raw == "" {
			continue
		}
		keep(key, raw)
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			fail(key, key+" must be a number.")
			*dst = nothing
			continue
		}
		*dst = id
		label := "From review #" + raw
		if key == "finding" {
			label = "From finding #" + raw
			if fd, err := models.GetFinding(ctx, s.db, id); err == nil {
				label = "From finding “" + fd.Title + "”"
			}
		} else if r, err := models.GetReview(ctx, s.db, id); err == nil {
			label = "From review “" + r.Title + "”"
		}
		chip(key, label)
	}
	if v.Get("postmortem") == "1" {
		q.Postmortem = true
		keep("postmortem", "1")
		chip("postmortem", "From postmortems and retros")
	}
	if name := strings.TrimSpace(v.Get("severity")); name != "" {
		keep("severity", name)
		if name == "none" {
			q.NoSeverity = true
			chip("severity", "Incident without severity")
		} else if sev, err := models.GetSeverityByName(ctx, s.db, name); err == nil {
			q.SeverityID = sev.ID
			chip("severity", "Severity "+sev.Name)
		} else {
			q.SeverityID = nothing
			fail("severity", "No severity is called "+name+".")
		}
	}
	if tag := strings.TrimSpace(v.Get("tag")); tag != "" {
		q.IncidentTag = tag
		keep("tag", tag)
		chip("tag", "Incident tag "+tag)
	}
	if d := date("created_from"); d != nil {
		q.CreatedFrom = d
		chip("created_from", "Created from "+d.String())
	}
	if d := date("created_to"); d != nil {
		q.CreatedTo = d
		chip("created_to", "Created until "+d.String())
	}
	if d := date("closed_from"); d != nil {
		q.ClosedOnFrom = d
		chip("closed_from", "Closed from "+d.String())
	}
	if d := date("closed_to"); d != nil {
		q.ClosedOnTo = d
		chip("closed_to", "Closed until "+d.String())
	}
	switch o := v.Get("outcome"); o {
	case "":
	case models.OutcomeOnTime, models.OutcomeLate, models.OutcomeOpenOverdue, models.OutcomeNotYetDue:
		q.Outcome = o
		keep("outcome", o)
		chip("outcome", outcomeLabels[o])
	default:
		fail("outcome", "Choose on_time, late, open_overdue or not_yet_due.")
	}
	if d := date("open_on"); d != nil {
		q.OpenOn = d
		chip("open_on", "Open at the start of "+d.String())
	}
	if d := date("overdue_on"); d != nil {
		q.OverdueOn = d
		chip("overdue_on", "Overdue at the start of "+d.String())
	}
	if a := v.Get("age"); a != "" {
		found := false
		for _, b := range models.AgingBuckets() {
			if b.Key == a {
				q.Age, q.AgeMin, q.AgeMax, found = true, b.Min, b.Max, true
				keep("age", a)
				chip("age", "Open, "+strings.ToLower(b.Label)+" old")
			}
		}
		if !found {
			fail("age", "Unknown age range.")
		}
	}
	days := func(key string) int {
		raw := v.Get(key)
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 3650 {
			fail(key, key+" must be a number of days from 1 to 3650.")
			return 0
		}
		keep(key, raw)
		return n
	}
	if n := days("min_age"); n > 0 {
		q.MinAgeDays = n
		chip("min_age", fmt.Sprintf("Created %d+ days ago", n))
	}
	if n := days("within"); n > 0 {
		q.ClosedWithinDays = n
		chip("within", fmt.Sprintf("Closed within %d days", n))
	}
	if so := v.Get("sort"); so != "" {
		if slices.Contains(models.ActionSorts(), so) {
			q.Sort = so
			keep("sort", so)
		} else {
			fail("sort", "Unknown sort.")
		}
	}
	if len(f.Errors) > 0 {
		q.OwnerID = nothing // match nothing rather than everything
	}
	for i := range f.Chips {
		rest := cloneValues(f.Values)
		rest.Del(f.Chips[i].Key)
		f.Chips[i].RemoveURL = s.reverse("actions.index") + encodeQuery(rest)
	}
	return f
}

var outcomeLabels = map[string]string{
	models.OutcomeOnTime:      "Done by the due date",
	models.OutcomeLate:        "Done after the due date",
	models.OutcomeOpenOverdue: "Open past the due date",
	models.OutcomeNotYetDue:   "Open, not yet due",
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// encodeQuery is "?query" (empty for no values).
func encodeQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// actionsURL is the list with the parameters.
func (s *Server) actionsURL(v url.Values) string { return s.reverse("actions.index") + encodeQuery(v) }

// problemFromFilter is the API's 422 for bad list parameters.
func problemFromFilter(f actionFilter) error {
	if len(f.Errors) == 0 {
		return nil
	}
	ve := &models.ValidationError{}
	for k, msg := range f.Errors {
		ve.Add(k, msg)
	}
	return ve
}
