package pages

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (b base) reviewRows(c echo.Context, rs []models.Review) []views.ReviewRow {
	out := make([]views.ReviewRow, 0, len(rs))
	scores, err := models.ScoresOfReviews(c.Request().Context(), b.DB, rs)
	for i := range rs {
		row := b.reviewRow(c, &rs[i])
		if sc, ok := scores[rs[i].ID]; ok && err == nil && sc.Answered > 0 {
			row.Score = strconv.FormatFloat(sc.Readiness, 'f', 1, 64) + "%"
			row.Answered = strconv.Itoa(sc.Answered) + "/" + strconv.Itoa(sc.Total)
		}
		out = append(out, row)
	}
	return out
}

func (b base) reviewRow(c echo.Context, r *models.Review) views.ReviewRow {
	row := views.ReviewRow{ID: r.ID, Title: r.Title, Status: r.Status, Decision: r.Decision,
		Scheduled: datePtrString(r.ScheduledFor), Completed: b.fmtDay(c, r.CompletedAt)}
	if r.Component != nil {
		row.ComponentName, row.ComponentSlug = r.Component.Name, r.Component.Slug
	}
	if r.Facilitator != nil {
		row.Facilitator = r.Facilitator.Name
	}
	if r.TemplateVersion != nil {
		row.Template = r.TemplateVersion.Label()
	}
	return row
}

func (b base) reviewHeader(c echo.Context, r *models.Review) views.ReviewHeader {
	h := views.ReviewHeader{ID: r.ID, Title: r.Title, Status: r.Status, ComponentName: r.Component.Name, ComponentSlug: r.Component.Slug,
		Template: r.TemplateVersion.Name, TemplateKey: r.TemplateVersion.Key(), TemplateNumber: r.TemplateVersion.Number,
		Scheduled: datePtrString(r.ScheduledFor), Started: b.fmtTimePtr(c, r.StartedAt), Completed: b.fmtTimePtr(c, r.CompletedAt),
		Decision: r.Decision, DecisionNotes: r.DecisionNotes}
	if r.Facilitator != nil {
		h.Facilitator = r.Facilitator.Name
	}
	if r.SignedOffBy != nil {
		h.SignedOffBy = r.SignedOffBy.Name
	}
	for _, p := range r.Participants {
		h.Participants = append(h.Participants, p.Name)
	}
	if r.PreviousReviewID != nil {
		h.PreviousID = *r.PreviousReviewID
	}
	return h
}

// reviewPageModel builds the review page; overrides replace the answer
// views of questions (a conflict or errors after a plain form post).
func (b base) reviewPageModel(c echo.Context, r *models.Review, overrides map[string]views.AnswerView) (views.ReviewPageModel, error) {
	ctx := c.Request().Context()
	u := web.CurrentUser(c)
	answers, err := models.ListAnswers(ctx, b.DB, r.ID)
	if err != nil {
		return views.ReviewPageModel{}, err
	}
	findings, err := models.ListReviewFindings(ctx, b.DB, r.ID)
	if err != nil {
		return views.ReviewPageModel{}, err
	}
	canAnswer := r.Editable() && b.Can(c, "reviews.answer.save")
	m := views.ReviewPageModel{ReviewHeader: b.reviewHeader(c, r), CanAnswer: canAnswer, Editable: r.Editable(),
		CanEdit: !r.Closed() && models.CanManageReview(u, r), CanSignOff: r.Status == models.ReviewInReview && models.CanSignOff(u, r)}
	findingsByQ := map[string]int{}
	today := b.Today()
	for i := range findings {
		m.Findings = append(m.Findings, findingRow(today, &findings[i].Finding, findings[i].CarriedOver))
		findingsByQ[findings[i].QuestionKey]++
	}
	score := models.ComputeScore(models.ScoredQuestions(r.TemplateVersion, answers))
	m.Score = scoreView(score)
	m.Unanswered = score.Total - score.Answered
	for i, sec := range r.TemplateVersion.Sections {
		cs := checklistSection(sec, score.Sections[i])
		for _, q := range sec.Questions {
			if ov, ok := overrides[q.Key]; ok {
				cs.Questions = append(cs.Questions, ov)
				continue
			}
			av := b.answerView(c, r, sec, q, answers[q.Key], canAnswer)
			av.Findings = findingsByQ[q.Key]
			cs.Questions = append(cs.Questions, av)
		}
		m.Sections = append(m.Sections, cs)
	}
	if models.CanManageReview(u, r) {
		switch r.Status {
		case models.ReviewDraft:
			m.Transitions = append(m.Transitions, views.TransitionButton{Action: models.ActionStart, Label: "Start review", Primary: true},
				views.TransitionButton{Action: models.ActionArchive, Label: "Cancel review", Confirm: "Cancel this review? It is archived unanswered."})
		case models.ReviewInProgress:
			m.Transitions = append(m.Transitions, views.TransitionButton{Action: models.ActionSubmit, Label: "Submit for sign-off", Primary: m.Unanswered == 0})
		case models.ReviewInReview:
			m.Transitions = append(m.Transitions, views.TransitionButton{Action: models.ActionReopen, Label: "Reopen for changes"})
		case models.ReviewCompleted:
			m.Transitions = append(m.Transitions, views.TransitionButton{Action: models.ActionArchive, Label: "Archive", Confirm: "Archive this review?"})
		}
	}
	switch {
	case r.Closed():
		m.ReadOnlyWhy = "This review is " + r.Status + ": its answers are read-only. Findings and action items can still change status."
	case r.Status == models.ReviewInReview:
		m.ReadOnlyWhy = ""
	case !b.Can(c, "reviews.answer.save"):
		m.ReadOnlyWhy = "You can read this review; answering needs the member role."
	}
	items, err := b.reviewActionItems(c, r.ID, findings)
	if err != nil {
		return m, err
	}
	m.Actions = b.actionRows(items)
	return m, nil
}

func checklistSection(sec models.TemplateSection, sc models.SectionScore) views.ChecklistSection {
	return views.ChecklistSection{Key: sec.Key, Title: sec.Title, DescriptionMD: sec.Description, Answered: sc.Answered, Total: sc.Total,
		High: sc.Risks.High, Medium: sc.Risks.Medium, Low: sc.Risks.Low}
}

func scoreView(s models.Score) views.ScoreView {
	return views.ScoreView{Readiness: strconv.FormatFloat(s.Readiness, 'f', 1, 64), Formula: models.ScoreFormula,
		High: s.Risks.High, Medium: s.Risks.Medium, Low: s.Risks.Low, Answered: s.Answered, Total: s.Total, AnsweredPct: s.AnsweredShare(),
		Met: s.Met, Partial: s.Partial, NotMet: s.NotMet, NA: s.NotApplicable}
}
