package models

import "time"

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
