package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/importing"
)

// cloudHistory imports the public cloud post-mortems (2011–2021) as the
// history of three upstream providers, exactly as
// `debrief import incidents --mapping docs/mappings/cloud_incidents.yaml`
// would.
func (s *seeder) cloudHistory() error {
	m, err := importing.ParseMapping(CloudMapping)
	if err != nil {
		return err
	}
	rep, err := importing.Run(s.ctx, s.db, models.SystemActor("demo: public cloud post-mortems"), m, CloudCSV,
		importing.Options{Filename: "cloud_incidents.csv"})
	if err != nil {
		return err
	}
	if !rep.OK() {
		return fmt.Errorf("the cloud post-mortems did not import: %v", rep.Errors)
	}
	s.res.CloudIncidents = rep.Created
	// The providers the import created are upstream dependencies the
	// platform team looks after.
	for _, slug := range []string{"aws", "azure", "google-cloud"} {
		c, err := models.GetComponentBySlug(s.ctx, s.db, slug)
		if err != nil {
			return err
		}
		in := models.ComponentInput{Name: c.Name, Slug: c.Slug, Team: "platform", Tier: 3, Tags: []string{"upstream", "cloud-provider"},
			Description: c.Name + " as an upstream provider. Its incidents here are the public post-mortems " +
				"of 2011–2021 (ISSRE 2022 collection, MIT licence), imported as history.",
			Links: []models.Link{}, ReviewIntervalDays: 365}
		if _, err := models.UpdateComponent(s.ctx, s.db, s.actor("priya"), c.ID, c.Version, in); err != nil {
			return err
		}
	}
	return nil
}

var incidentTitles = map[string][]string{
	"checkout-api":    {"Checkout returns 502 for part of the requests", "Payment form times out after a deploy", "Card payments declined by a fraud-check rule", "Checkout p99 latency above 4 s", "Orders accepted twice after client retries"},
	"payments-ledger": {"Ledger writes lag behind payments", "Refunds stuck in pending", "Duplicate ledger entries after a retry storm"},
	"postgres-fleet":  {"Primary failover on the orders cluster", "Replication lag on the reporting replica", "Connection pool exhausted on the shared cluster", "Disk full on db-orders-2", "Autovacuum falls behind; bloat slows queries"},
	"kafka":           {"Consumer lag on order-events", "Broker disk at 95 %", "Schema registry unavailable", "Partition leader elections after a broker restart"},
	"search":          {"Search returns no results for some categories", "Index rebuild overloads the search cluster"},
	"edge-proxy":      {"Elevated 503s from the edge", "TLS certificate expired on api.northwind.example", "Rate limiter blocks legitimate app traffic", "Config push breaks routing for /account"},
	"dns":             {"Internal DNS resolution timeouts", "Wrong record served after a zone change"},
	"kubernetes":      {"Node pool scale-up fails", "Pods evicted under memory pressure", "CoreDNS overloaded in the eu-1 cluster", "Ingress controller in a crash loop"},
	"object-storage":  {"Image uploads fail with 500", "Backups to object storage run for hours"},
	"build-pipeline":  {"CI runners unavailable; deploys blocked", "Artifact registry out of space", "Deploy tool rolls out to every region at once"},
}

var componentTags = map[string][]string{
	"checkout-api":    {"deploy", "config change", "dependency", "capacity"},
	"payments-ledger": {"database", "dependency", "retry storm"},
	"postgres-fleet":  {"database", "capacity", "failover", "maintenance"},
	"kafka":           {"capacity", "streaming", "maintenance"},
	"search":          {"capacity", "deploy"},
	"edge-proxy":      {"network", "certificate", "config change", "deploy"},
	"dns":             {"network", "config change"},
	"kubernetes":      {"capacity", "upgrade", "config change"},
	"object-storage":  {"storage", "capacity", "dependency"},
	"build-pipeline":  {"ci", "capacity", "deploy"},
}

// sevDef is a severity's share of incidents and typical time to mitigate.
type sevDef struct {
	name     string
	weight   float64
	mitigate time.Duration // median
}

// severityMix is how often each severity occurs.
var severityMix = []sevDef{
	{"SEV1", 6, 40 * time.Minute}, {"SEV2", 20, 90 * time.Minute}, {"SEV3", 44, 3 * time.Hour}, {"SEV4", 30, 6 * time.Hour},
}

// lognormal draws a duration with the given median and spread.
func (s *seeder) lognormal(median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(sigma*s.r.NormFloat64())).Round(time.Second)
}

// startTime draws a start in the organisation's home zone: fewer incidents
// at weekends (fewer changes) and more in working hours.
func (s *seeder) startTime(from, to time.Time) time.Time {
	for {
		t := from.Add(time.Duration(s.r.Int64N(int64(to.Sub(from))))).In(s.home)
		wd := t.Weekday()
		dayWeight := map[time.Weekday]float64{time.Monday: 0.95, time.Tuesday: 1, time.Wednesday: 1, time.Thursday: 0.95, time.Friday: 0.85, time.Saturday: 0.4, time.Sunday: 0.35}[wd]
		hourWeight := 0.35
		if h := t.Hour(); h >= 9 && h < 18 {
			hourWeight = 1
		} else if h >= 7 && h < 22 {
			hourWeight = 0.6
		}
		if s.r.Float64() < dayWeight*hourWeight {
			return t.UTC().Truncate(time.Second)
		}
	}
}

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

// narrative writes impact and summary text in blameless language.
func (s *seeder) narrative(sev string, def componentDef, title string, in models.IncidentInput) (impact, summary string) {
	share := []string{"about 2 %", "about 5 %", "roughly 12 %", "a third"}[s.r.IntN(4)]
	switch sev {
	case "SEV1":
		impact = fmt.Sprintf("Customers could not complete orders: %s of checkout attempts failed while %s was degraded.", share, def.name)
	case "SEV2":
		impact = fmt.Sprintf("%s of requests to %s failed or were slow; customers saw errors and retried.", capitalise(share), def.name)
	case "SEV3":
		impact = "Limited impact: internal users and a few background jobs were delayed; customers were not affected as far as we know."
	default:
		impact = "No customer impact; caught by monitoring before anyone noticed."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s. %s\n\n", title, def.description)
	b.WriteString([]string{
		"A change that looked safe in staging behaved differently under production traffic. The alert fired on symptoms, which made the cause harder to see at first.",
		"Load grew faster than the capacity plan expected; the saturation warning existed but pointed at a dashboard nobody had open at night.",
		"A dependency slowed down and our retries multiplied its load. Timeouts were longer than the callers' own deadlines.",
		"Scheduled maintenance overlapped with a traffic peak that the calendar did not show.",
	}[s.r.IntN(4)])
	b.WriteString("\n\n**What helped:** the runbook's first three steps, and a quick rollback.")
	return impact, b.String()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// timeline adds the events of a major incident.
func (s *seeder) timeline(inc *models.Incident, def componentDef) error {
	var events []models.TimelineInput
	add := func(t *time.Time, kind, text string) {
		if t != nil && !t.After(s.now) {
			at := *t
			events = append(events, models.TimelineInput{OccurredAt: &at, Kind: kind, Text: text})
		}
	}
	start := inc.StartedAt
	add(&start, "observation", "Error rate on "+def.name+" starts to climb (seen later on the dashboard).")
	add(inc.DetectedAt, "detection", "Alert fired: symptom alert on "+def.name+" error budget burn.")
	if inc.AcknowledgedAt != nil {
		ack := *inc.AcknowledgedAt
		add(&ack, "action", "On-call acknowledged the page and opened the incident channel.")
		decl := ack.Add(2 * time.Minute)
		add(&decl, "decision", "Declared the incident; incident commander, scribe and comms lead named.")
		status := ack.Add(9 * time.Minute)
		add(&status, "communication", "Status page updated: investigating elevated errors.")
	}
	if inc.MitigatedAt != nil {
		before := inc.MitigatedAt.Add(-6 * time.Minute)
		if before.After(start) {
			add(&before, "action", "Rolled back the last change and shifted traffic away from the unhealthy pool.")
		}
		add(inc.MitigatedAt, "observation", "Error rate back to normal; watching for recurrence.")
	}
	if inc.ResolvedAt != nil {
		add(inc.ResolvedAt, "communication", "Status page: resolved. Postmortem to follow.")
	}
	if len(events) == 0 {
		return nil
	}
	_, err := models.AddTimelineEvents(s.ctx, s.db, s.actor("priya"), inc.ID, events)
	s.res.TimelineEvents += len(events)
	return err
}
