package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// orgIncidents invents two years of the organisation's own incidents.
func (s *seeder) orgIncidents() error {
	from, to := s.ago(days(730)), s.ago(days(1))
	type planned struct {
		start time.Time
		comp  string
		sev   string
		title string
	}
	var plan []planned
	for i := 0; i < 210; i++ {
		c := pick(s.r, componentDefs, func(c componentDef) float64 { return c.weight })
		sev := pick(s.r, severityMix, func(x sevDef) float64 { return x.weight })
		titles := incidentTitles[c.slug]
		plan = append(plan, planned{s.startTime(from, to), c.slug, sev.name, titles[s.r.IntN(len(titles))]})
	}
	// Incidents on this very day one and two years ago, so "today in
	// incident history" has a story whatever day the demo runs.
	local := s.now.In(s.home)
	for _, p := range []struct {
		years int
		comp  string
		sev   string
		title string
	}{
		{1, "checkout-api", "SEV1", "Checkout down during the weekend sale"},
		{2, "postgres-fleet", "SEV2", "Orders cluster failover takes 14 minutes"},
	} {
		y := local.AddDate(-p.years, 0, 0)
		at := time.Date(y.Year(), y.Month(), y.Day(), 10, 40, 0, 0, s.home).UTC()
		plan = append(plan, planned{at, p.comp, p.sev, p.title})
	}
	slices.SortFunc(plan, func(a, b planned) int { return a.start.Compare(b.start) })
	for i, p := range plan {
		inc, err := s.createIncident(i, p.start, p.comp, p.sev, p.title)
		if err != nil {
			return err
		}
		s.incidents[p.comp] = append(s.incidents[p.comp], inc)
		s.res.Incidents++
	}
	return nil
}

func (s *seeder) teamMembers(slug string) []string {
	for _, t := range teams {
		if t.slug == slug {
			return t.members
		}
	}
	return []string{"priya"}
}

func (s *seeder) createIncident(n int, start time.Time, comp, sev, title string) (*models.Incident, error) {
	c := s.comps[comp]
	def := componentDefs[slices.IndexFunc(componentDefs, func(d componentDef) bool { return d.slug == comp })]
	var mitigateMedian time.Duration
	for _, x := range severityMix {
		if x.name == sev {
			mitigateMedian = x.mitigate
		}
	}
	at := func(d time.Duration) *time.Time {
		t := start.Add(d)
		return &t
	}
	in := models.IncidentInput{
		Title: title, SeverityID: &s.sevs[sev].ID, StartedAt: &start, TeamID: c.TeamID,
		ComponentIDs: []int64{c.ID}, Status: models.StatusResolved,
	}
	detect := s.lognormal(4*time.Minute, 0.9)
	if sev == "SEV1" {
		detect = s.lognormal(2*time.Minute, 0.7)
	}
	ack := detect + s.lognormal(3*time.Minute, 0.8)
	mitigate := max(ack+time.Minute, s.lognormal(mitigateMedian, 0.8))
	resolve := mitigate + s.lognormal(2*time.Hour, 1.0)
	if s.r.Float64() > 0.08 {
		in.DetectedAt = at(detect)
	}
	if s.r.Float64() > 0.10 {
		in.AcknowledgedAt = at(ack)
	}
	if s.r.Float64() > 0.2 || sev == "SEV1" {
		in.MitigatedAt = at(mitigate)
	}
	in.ResolvedAt = at(resolve)
	// A few recent incidents are still being worked on.
	if start.After(s.ago(days(6))) && s.r.Float64() < 0.5 {
		in.ResolvedAt, in.Status = nil, models.StatusMonitoring
		if in.MitigatedAt == nil {
			in.Status = models.StatusInvestigating
		}
	}
	if end := in.ResolvedAt; end != nil && end.After(s.now) {
		in.ResolvedAt, in.Status = nil, models.StatusMonitoring
	}
	for _, t := range []**time.Time{&in.DetectedAt, &in.AcknowledgedAt, &in.MitigatedAt} {
		if *t != nil && (*t).After(s.now) {
			*t = nil
		}
	}
	members := s.teamMembers(def.team)
	commander := s.users[members[s.r.IntN(len(members))]]
	in.CommanderID = &commander.ID
	if sev == "SEV1" || sev == "SEV2" {
		scribe := s.users[pick(s.r, []string{"priya", "lena", "sofia", "tom", "kenji"}, func(h string) float64 {
			if s.users[h].ID == commander.ID {
				return 0
			}
			return 1
		})]
		in.ScribeID = &scribe.ID
		amara := s.users["amara"]
		in.CommsLeadID = &amara.ID
	}
	pool := componentTags[comp]
	for k := 1 + s.r.IntN(2); k > 0; k-- {
		in.Tags = append(in.Tags, pool[s.r.IntN(len(pool))])
	}
	if s.r.Float64() < 0.07 {
		in.Tags = append(in.Tags, "human factors")
	}
	in.Impact, in.Summary = s.narrative(sev, def, title, in)
	in.Links = []models.Link{
		{Title: "Incident channel", URL: fmt.Sprintf("https://chat.northwind.example/archives/inc-%d", n+1), Kind: "chat"},
	}
	if sev != "SEV4" {
		in.Links = append(in.Links, models.Link{Title: "Page", URL: fmt.Sprintf("https://northwind.pagerduty.example/incidents/P%05d", 3000+n), Kind: "pager"})
	}
	inc, err := models.CreateIncident(s.ctx, s.db, s.actor("priya"), in)
	if err != nil {
		return nil, err
	}
	if sev == "SEV1" || sev == "SEV2" {
		if err := s.timeline(inc, def); err != nil {
			return nil, err
		}
	}
	return inc, nil
}
