package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/debrief-sre/debrief/models"
)

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
