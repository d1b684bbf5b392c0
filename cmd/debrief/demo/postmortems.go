package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// sectionText is what the demo writes in each section of the default
// postmortem template, in blameless language.
func (s *seeder) sectionText(key string, inc *models.Incident, comp componentDef) string {
	mitigated := "a rollback"
	if inc.MitigatedAt != nil {
		mitigated = "a rollback " + models.UTC(*inc.MitigatedAt).Sub(inc.StartedAt).Round(time.Minute).String() + " after it began"
	}
	switch key {
	case "summary":
		return fmt.Sprintf("%s. %s was degraded until %s restored normal service. %s", inc.Title, comp.name, mitigated, firstLine(inc.Impact))
	case "impact":
		return inc.Impact + "\n\nMeasured from the load balancer's error rate and the checkout conversion dashboard."
	case "timeline":
		return "The first symptom was a slow rise in errors that looked like the usual evening noise. The alert fired on the error budget burn; " +
			"the on-call engineer opened the runbook, saw the recent change in the deploy log and, after checking that the change could be rolled back " +
			"safely, rolled it back. Errors fell within minutes; we watched for an hour before resolving."
	case "contributing_factors":
		return "- The change had passed staging, where traffic has a different shape.\n- The dashboard that showed saturation was not linked from the alert.\n" +
			"- Retries in two callers multiplied the load while the component was slow."
	case "went_well":
		return "- The symptom alert fired within minutes.\n- The rollback was one command and worked the first time.\n- Status page updates went out every 15 minutes."
	case "was_hard":
		return "- The alert did not link to the right dashboard.\n- It took a while to see which of two recent changes mattered."
	case "lucky":
		return "The incident started outside the evening traffic peak; at peak the same change would have hit three times as many customers."
	case "lessons":
		return "Staging does not show how the system behaves under production traffic; our safety comes from small changes, fast rollback and symptom alerts."
	case "supporting":
		return fmt.Sprintf("- [Incident channel](https://chat.northwind.example/archives/%s)\n- [Dashboard](https://grafana.northwind.example/d/%s)", inc.Key(), comp.slug)
	}
	return "See the incident timeline."
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// postmortems writes the postmortems of the SEV1 and SEV2 incidents of the
// last year and a half: published, in review or still a draft by age, with
// contributing factors, findings and action items; the most recent SEV1
// before the last three weeks also had a live retro, finished and summed up.
func (s *seeder) postmortems() error {
	tpl, err := models.DefaultPostmortemTemplate(s.ctx, s.db)
	if err != nil {
		return err
	}
	type cand struct {
		inc  *models.Incident
		comp componentDef
		sev  string
	}
	var list []cand
	for _, d := range componentDefs {
		for _, inc := range s.incidents[d.slug] {
			sev := s.severityName(inc)
			if (sev == "SEV1" || sev == "SEV2") && inc.ResolvedAt != nil && inc.StartedAt.After(s.ago(days(540))) {
				list = append(list, cand{inc, d, sev})
			}
		}
	}
	slices.SortFunc(list, func(a, b cand) int { return a.inc.StartedAt.Compare(b.inc.StartedAt) })
	retroFor := -1
	for i, c := range list {
		if c.sev == "SEV1" && c.inc.StartedAt.Before(s.ago(days(21))) {
			retroFor = i
		}
	}
	for i, c := range list {
		if err := s.postmortem(tpl, c.inc, c.comp, c.sev, i == retroFor); err != nil {
			return fmt.Errorf("%s: %w", c.inc.Key(), err)
		}
	}
	return nil
}

func (s *seeder) severityName(inc *models.Incident) string {
	for name, sv := range s.sevs {
		if inc.SeverityID != nil && *inc.SeverityID == sv.ID {
			return name
		}
	}
	return ""
}

func (s *seeder) postmortem(tpl *models.PostmortemTemplate, inc *models.Incident, comp componentDef, sev string, withRetro bool) error {
	owner := s.users["priya"]
	if inc.CommanderID != nil {
		for _, u := range s.users {
			if u.ID == *inc.CommanderID {
				owner = u
			}
		}
	}
	facilitator := s.users["priya"]
	if comp.team == "payments" || comp.team == "data" {
		facilitator = s.users["amara"]
	}
	ownerActor, facActor := models.ActorOf(owner, "demo"), models.ActorOf(facilitator, "demo")
	dueDays := 10
	if sev == "SEV1" {
		dueDays = 7
	}
	created := inc.ResolvedAt.Add(days(1))
	due := models.DateOf(created.In(s.home)).AddDays(dueDays)
	pm, err := models.CreatePostmortem(s.ctx, s.db, ownerActor, inc.ID, models.NewPostmortem{
		TemplateID: tpl.ID, OwnerID: &owner.ID, FacilitatorID: &facilitator.ID, DueDate: due.String(),
	})
	if err != nil {
		return err
	}
	s.res.Postmortems++
	age := s.now.Sub(inc.StartedAt)
	draft := age < days(9)
	for _, sec := range pm.Sections {
		if draft && sec.Key != "summary" && sec.Key != "impact" && sec.Key != "timeline" {
			continue
		}
		if _, err := models.SavePostmortemSection(s.ctx, s.db, ownerActor, pm.ID, sec.ID, sec.Version, s.sectionText(sec.Key, inc, comp)); err != nil {
			return err
		}
	}
	if !draft {
		for _, f := range []models.FactorInput{
			{Kind: models.FactorContributing, Title: "The change behaved differently under production traffic than in staging"},
			{Kind: models.FactorContributing, Title: "Client retries multiplied the load on " + comp.name + " while it was slow"},
			{Kind: models.FactorFinding, Title: "The " + comp.name + " alert does not link to the dashboard that shows saturation"},
		} {
			if _, err := models.AddPostmortemFactor(s.ctx, s.db, ownerActor, pm.ID, f); err != nil {
				return err
			}
		}
	}
	var retroID *int64
	if withRetro {
		id, err := s.retro(pm, inc, comp, facActor)
		if err != nil {
			return fmt.Errorf("retro: %w", err)
		}
		retroID = &id
	}
	requested := created.Add(days(2 + float64(s.r.IntN(4))))
	published := requested.Add(days(1 + float64(s.r.IntN(4))))
	status := models.PostmortemDraft
	switch {
	case age > days(25) && published.Before(s.now):
		status = models.PostmortemPublished
	case !draft && requested.Before(s.now):
		status = models.PostmortemInReview
	}
	if status != models.PostmortemDraft {
		if _, err := models.ChangePostmortemStatus(s.ctx, s.db, ownerActor, pm.ID, models.PostmortemDraft, models.PostmortemInReview); err != nil {
			return err
		}
	}
	if status == models.PostmortemPublished {
		if _, err := models.ChangePostmortemStatus(s.ctx, s.db, facActor, pm.ID, models.PostmortemInReview, models.PostmortemPublished); err != nil {
			return err
		}
	}
	set := map[string]any{"created_at": models.UTC(created), "updated_at": models.UTC(created)}
	if status != models.PostmortemDraft {
		set["review_requested_at"], set["updated_at"] = models.UTC(requested), models.UTC(requested)
	}
	if status == models.PostmortemPublished {
		set["published_at"], set["updated_at"] = models.UTC(published), models.UTC(published)
	}
	if err := s.db.WithContext(s.ctx).Model(&models.Postmortem{}).Where("id = ?", pm.ID).Updates(set).Error; err != nil {
		return err
	}
	if draft {
		return nil
	}
	// Action items written on the postmortem.
	followUps := []string{
		"Alert on %s symptoms, not on host metrics",
		"Add the %s rollback steps to the runbook",
		"Load-test %s at twice last peak",
		"Shorten client timeouts towards %s below the caller's deadline",
		"Add a canary stage to %s deploys",
		"Link the %s saturation dashboard from its alerts",
	}
	for k := 1 + s.r.IntN(2); k > 0; k-- {
		at := created.Add(days(1))
		if at.After(s.now) {
			at = s.now.Add(-time.Hour)
		}
		due := at.Add(days(14 + float64(s.r.IntN(45))))
		in := models.NewActionItem{
			ActionItemInput: models.ActionItemInput{
				Title:       fmt.Sprintf(followUps[s.r.IntN(len(followUps))], comp.name),
				Description: fmt.Sprintf("From the postmortem of %s (%s).", inc.Key(), inc.Title),
				Priority:    []string{models.PriorityHigh, models.PriorityMedium, models.PriorityMedium, models.PriorityLow}[s.r.IntN(4)],
				Owner:       s.ownerOf(comp.slug).Email, Team: comp.team, DueDate: models.DateOf(due.In(s.home)).String(),
			},
			SourceKind: models.SourcePostmortem, ComponentID: &s.comps[comp.slug].ID,
			IncidentID: &inc.ID, // counts in follow-through by severity
		}
		if err := s.action(in, at, due, s.outcome(due), actionLinks{postmortem: &pm.ID}); err != nil {
			return err
		}
	}
	if retroID != nil {
		// The retro met a few days after the postmortem was started.
		met := models.UTC(created.Add(days(3)))
		if err := s.db.WithContext(s.ctx).Model(&models.ActionItem{}).Where("retro_session_id = ?", *retroID).
			Updates(map[string]any{"created_at": met, "updated_at": met}).Error; err != nil {
			return err
		}
	}
	return nil
}

// retro runs a live retrospective of a postmortem from start to close, as
// the facilitator and five participants would: a missing timeline event
// proposed and accepted, private notes revealed and grouped into themes,
// votes, findings, two action items, and the summary.
func (s *seeder) retro(pm *models.Postmortem, inc *models.Incident, comp componentDef, fac models.Actor) (int64, error) {
	sess, err := models.CreateRetro(s.ctx, s.db, fac, models.NewRetro{PostmortemID: &pm.ID,
		Agenda: "Walk the timeline, reflect on what made sense at the time, agree on the few changes that matter most."})
	if err != nil {
		return 0, err
	}
	s.res.Retros++
	walk := func(to string) error {
		for sess.Phase != to {
			sess, err = models.MoveRetroPhase(s.ctx, models.Quiet(s.db), fac, sess.ID, sess.Phase, sess.NextPhase())
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(models.PhaseTimeline); err != nil {
		return 0, err
	}
	seen := inc.StartedAt.Add(7 * time.Minute)
	p, err := models.ProposeTimelineEvent(s.ctx, models.Quiet(s.db), s.actor("marcus"), sess.ID, models.TimelineInput{OccurredAt: &seen, Kind: "observation",
		Text: "Support saw the first customer reports of failed payments in the help desk queue."})
	if err != nil {
		return 0, err
	}
	if _, err := models.DecideProposal(s.ctx, models.Quiet(s.db), fac, sess.ID, p.ID, true); err != nil {
		return 0, err
	}
	if err := walk(models.PhaseReflect); err != nil {
		return 0, err
	}
	notes := map[string][]string{
		"marcus": {"The rollback command was in the runbook and worked first time", "I was not sure whether rolling back would lose orders"},
		"sofia":  {"The database looked healthy, which sent us looking in the wrong place at first", "Retries from the app doubled the load"},
		"tom":    {"The edge dashboards showed the errors clearly", "The alert did not say which dashboard to open"},
		"kenji":  {"Nobody knew the deploy had gone out to every region at once"},
		"lena":   {"The deploy log was easy to find in the channel"},
	}
	var noteIDs = map[string][]int64{}
	for _, h := range []string{"marcus", "sofia", "tom", "kenji", "lena"} {
		for i, text := range notes[h] {
			prompt := sess.Prompts[(i+len(h))%len(sess.Prompts)]
			n, err := models.AddRetroNote(s.ctx, models.Quiet(s.db), s.actor(h), sess.ID, prompt.ID, text)
			if err != nil {
				return 0, err
			}
			noteIDs[h] = append(noteIDs[h], n.ID)
		}
	}
	if err := walk(models.PhaseGroup); err != nil {
		return 0, err
	}
	themes := map[string]*models.RetroTheme{}
	for _, title := range []string{"Alerts should lead to the right place", "Retries made it worse", "Confidence in rolling back"} {
		th, err := models.CreateRetroTheme(s.ctx, models.Quiet(s.db), fac, sess.ID, title)
		if err != nil {
			return 0, err
		}
		themes[title] = th
	}
	group := map[string][]string{ // theme → author/index
		"Alerts should lead to the right place": {"tom/1", "sofia/0"},
		"Retries made it worse":                 {"sofia/1"},
		"Confidence in rolling back":            {"marcus/0", "marcus/1", "kenji/0"},
	}
	for title, refs := range group {
		for _, ref := range refs {
			var h string
			var i int
			fmt.Sscanf(ref, "%[^/]/%d", &h, &i)
			if err := groupNote(s, sess.ID, noteIDs, h, i, themes[title].ID); err != nil {
				return 0, err
			}
		}
	}
	if err := walk(models.PhaseVote); err != nil {
		return 0, err
	}
	for _, v := range []struct{ who, theme string }{
		{"marcus", "Confidence in rolling back"}, {"marcus", "Alerts should lead to the right place"},
		{"sofia", "Retries made it worse"}, {"sofia", "Alerts should lead to the right place"},
		{"tom", "Alerts should lead to the right place"}, {"kenji", "Confidence in rolling back"}, {"lena", "Confidence in rolling back"},
	} {
		if err := models.CastRetroVote(s.ctx, models.Quiet(s.db), s.actor(v.who), sess.ID, themes[v.theme].ID); err != nil {
			return 0, err
		}
	}
	if err := walk(models.PhaseDiscuss); err != nil {
		return 0, err
	}
	for theme, f := range map[string]models.FactorInput{
		"Alerts should lead to the right place": {Kind: models.FactorFinding, Title: "Alerts name a symptom but not where to look next"},
		"Confidence in rolling back":            {Kind: models.FactorContributing, Title: "Nobody had rolled back a deploy of " + comp.name + " in the last six months"},
	} {
		if _, err := models.AddRetroFactor(s.ctx, models.Quiet(s.db), fac, sess.ID, themes[theme].ID, f); err != nil {
			return 0, err
		}
	}
	if err := walk(models.PhaseActions); err != nil {
		return 0, err
	}
	for _, a := range []struct{ title, owner string }{
		{"Add a 'where to look' link to every " + comp.name + " alert", "tom"},
		{"Rehearse a " + comp.name + " rollback in the monthly game day", "marcus"},
	} {
		if _, err := models.AddRetroActionItem(s.ctx, models.Quiet(s.db), s.actor(a.owner), sess.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: a.title, Owner: s.users[a.owner].Email, Team: comp.team, Priority: models.PriorityHigh,
			// The retro runs now (its writes are stamped with the real
			// clock), so its items are due three weeks from today.
			DueDate: models.DateOf(s.now.Add(days(21)).In(s.home)).String(),
		}}); err != nil {
			return 0, err
		}
		s.res.Actions++
	}
	if err := walk(models.PhaseClose); err != nil {
		return 0, err
	}
	board, err := models.LoadRetroBoard(s.ctx, s.db, sess.ID)
	if err != nil {
		return 0, err
	}
	if _, err := models.CloseRetro(s.ctx, models.Quiet(s.db), fac, sess.ID, models.RetroSummaryMarkdown(board)); err != nil {
		return 0, err
	}
	return sess.ID, nil
}

func groupNote(s *seeder, sessionID int64, ids map[string][]int64, who string, i int, themeID int64) error {
	if i >= len(ids[who]) {
		return nil
	}
	return models.GroupRetroNote(s.ctx, models.Quiet(s.db), s.actor(who), sessionID, ids[who][i], themeID)
}
