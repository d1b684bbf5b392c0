package demo

import (
	"fmt"
	"time"

	"github.com/debrief-sre/debrief/models"
)

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
