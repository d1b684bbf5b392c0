package pages

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Reviews serves operational reviews: the lists, starting and editing a review, its checklist page and answers, transitions and sign-off.
type Reviews struct{ base }

// reviewsIndex is the Reviews section: open and recent reviews, and how
// many components are due.
func (h Reviews) Index(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	active, err := models.ListReviews(ctx, h.DB, models.ReviewFilter{Statuses: []string{models.ReviewDraft, models.ReviewInProgress, models.ReviewInReview}, NewestFirst: true, Limit: 100})
	if err != nil {
		return err
	}
	recent, err := models.ListReviews(ctx, h.DB, models.ReviewFilter{Statuses: []string{models.ReviewCompleted}, NewestFirst: true, Limit: 20})
	if err != nil {
		return err
	}
	due, err := models.ComponentsDueForReview(ctx, h.DB, h.Today())
	if err != nil {
		return err
	}
	components, err := models.CountComponents(ctx, h.DB)
	if err != nil {
		return err
	}
	completed, err := models.CountReviews(ctx, h.DB, models.ReviewCompleted)
	if err != nil {
		return err
	}
	// One scoring pass for both lists.
	rows := h.reviewRows(c, slices.Concat(active, recent))
	m := views.ReviewsIndexModel{Active: rows[:len(active)], Recent: rows[len(active):], DueCount: len(due), Components: int(components),
		Completed: int(completed), CanStart: h.Can(c, "reviews.create")}
	for _, r := range active {
		switch r.Status {
		case models.ReviewInReview:
			m.AwaitingOff++
		default:
			m.InProgress++
		}
	}
	return h.Render(c, http.StatusOK, views.ReviewsIndex(h.Page(c, "Reviews", "reviews"), m))
}

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

func (h Reviews) reviewFormModel(c echo.Context, f views.Form, editing bool, id int64) (views.ReviewFormModel, error) {
	ctx := c.Request().Context()
	m := views.ReviewFormModel{Form: f, Editing: editing, ID: id}
	comps, err := models.ListComponents(ctx, h.DB, models.ComponentFilter{})
	if err != nil {
		return m, err
	}
	for _, comp := range comps {
		m.Components = append(m.Components, views.Option{Value: comp.Slug, Label: comp.Name})
	}
	vs, err := models.PublishedVersions(ctx, h.DB)
	if err != nil {
		return m, err
	}
	counts, err := models.QuestionCounts(ctx, h.DB)
	if err != nil {
		return m, err
	}
	for _, v := range vs {
		m.Templates = append(m.Templates, views.Option{Value: v.Key(), Label: fmt.Sprintf("%s v%d (%d questions)", v.Name, v.Number, counts[v.ID])})
	}
	if m.Facilitators, err = h.userOptions(ctx, models.RoleFacilitator); err != nil {
		return m, err
	}
	m.People, err = h.userOptions(ctx, models.RoleViewer)
	return m, err
}

func (h Reviews) New(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	u := web.CurrentUser(c)
	f := views.NewForm().Set("component", c.QueryParam("component")).Set("template", "operational-readiness")
	if c.QueryParam("template") != "" {
		f.Set("template", c.QueryParam("template"))
	} else if c.QueryParam("component") != "" {
		// A component reviewed before gets the periodic review by default.
		comp, err := models.GetComponentBySlug(c.Request().Context(), h.DB, c.QueryParam("component"))
		if err == nil && comp.LastReviewedAt != nil {
			f.Set("template", "periodic-operational-review")
		}
	}
	if u.Role.Allows(models.RoleFacilitator) {
		f.Set("facilitator", u.Email)
	}
	m, err := h.reviewFormModel(c, f, false, 0)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ReviewFormPage(h.Page(c, "Start a review", "reviews"), m))
}

func (h Reviews) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	r, err := models.CreateReview(c.Request().Context(), h.DB, web.Actor(c), models.NewReview{
		Component: form.Get("component"), TemplateKey: form.Get("template"), Title: form.Get("title"),
		Facilitator: form.Get("facilitator"), Participants: form["participants"], ScheduledFor: form.Get("scheduled_for"),
	})
	if ve, ok := models.AsValidation(err); ok {
		m, merr := h.reviewFormModel(c, views.FormFrom(form).WithErrors(ve.Fields, ve.Global), false, 0)
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.ReviewFormPage(h.Page(c, "Start a review", "reviews"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Review created. Answering the first question starts it.")
	return h.Redirect(c, h.Path("reviews.show", r.ID))
}

func (b base) reviewParam(c echo.Context) (*models.Review, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return models.GetReview(c.Request().Context(), b.DB, id)
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

// reviewActionItems lists the items of the review and of the findings it
// tracks (carried-over findings' items included): the review's items,
// then each finding's items in the findings' order, each item once.
func (b base) reviewActionItems(c echo.Context, reviewID int64, findings []models.ReviewFindingRow) ([]models.ActionItem, error) {
	ids := make([]int64, 0, len(findings))
	for _, f := range findings {
		ids = append(ids, f.ID)
	}
	all, err := b.allActionItems(c.Request().Context(), models.ActionItemFilter{ReviewID: reviewID, FindingIDs: ids})
	if err != nil {
		return nil, err
	}
	var items []models.ActionItem
	for _, it := range all {
		if it.ReviewID != nil && *it.ReviewID == reviewID && len(items) < models.DefaultActionItemLimit {
			items = append(items, it)
		}
	}
	seen := map[int64]bool{}
	for _, it := range items {
		seen[it.ID] = true
	}
	byFinding := itemsByFinding(all)
	for _, f := range findings {
		for _, it := range byFinding[f.ID] {
			if !seen[it.ID] {
				seen[it.ID] = true
				items = append(items, it)
			}
		}
	}
	return items, nil
}

// allActionItems lists every item matching f in id order, a page of
// models.MaxActionItemLimit at a time (one query for most pages).
func (b base) allActionItems(ctx context.Context, f models.ActionItemFilter) ([]models.ActionItem, error) {
	f.Limit = models.MaxActionItemLimit
	var out []models.ActionItem
	for {
		page, err := models.ListActionItems(ctx, b.DB, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.AfterID = page[len(page)-1].ID
	}
}

// itemsByFinding groups items (in id order) by their finding, keeping
// the first models.DefaultActionItemLimit of each, as listing one
// finding's items does.
func itemsByFinding(items []models.ActionItem) map[int64][]models.ActionItem {
	out := map[int64][]models.ActionItem{}
	for _, it := range items {
		if it.FindingID != nil && len(out[*it.FindingID]) < models.DefaultActionItemLimit {
			out[*it.FindingID] = append(out[*it.FindingID], it)
		}
	}
	return out
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

func answerValues(a *models.ReviewAnswer) views.AnswerValues {
	if a == nil {
		return views.AnswerValues{}
	}
	return views.AnswerValues{State: a.State, Reason: a.Reason, Notes: a.Notes, Evidence: strings.Join(a.Evidence, "\n")}
}

func (b base) answerView(c echo.Context, r *models.Review, sec models.TemplateSection, q models.TemplateQuestion, a *models.ReviewAnswer, editable bool) views.AnswerView {
	v := views.AnswerView{ReviewID: r.ID, Section: sec.Key, Key: q.Key, Prompt: q.Prompt, GuidanceMD: q.Guidance, Evidence: q.Evidence,
		Risk: q.Risk, Values: answerValues(a), Editable: editable}
	if a != nil {
		v.Version = a.Version
		if a.UpdatedBy != nil && a.Version > 1 {
			v.SavedBy, v.SavedAt = a.UpdatedBy.Name, b.fmtTime(c, a.UpdatedAt)
		}
	}
	return v
}

func (h Reviews) Show(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	m, err := h.reviewPageModel(c, r, nil)
	if err != nil {
		return err
	}
	p := h.Page(c, r.Title, "reviews")
	p.Scripts = append(p.Scripts, "js/reviews.js")
	return h.Render(c, http.StatusOK, views.ReviewPage(p, m))
}

func (h Reviews) Transition(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	action := form.Get("action")
	if action == models.ActionComplete {
		return h.Redirect(c, h.Path("reviews.signoff", id))
	}
	_, err = models.TransitionReview(c.Request().Context(), h.DB, web.Actor(c), id, action, models.SignOff{})
	switch {
	case errors.Is(err, models.ErrInvalidState):
		h.Flash(c, "bad", web.Message(err))
	case err != nil:
		return err
	default:
		h.Flash(c, "ok", map[string]string{
			models.ActionStart: "Review started.", models.ActionSubmit: "Submitted for sign-off. Answers are frozen until it is signed off or reopened.",
			models.ActionReopen: "Review reopened for changes.", models.ActionArchive: "Review archived.",
		}[action])
	}
	return h.Redirect(c, h.Path("reviews.show", id))
}

func (h Reviews) signOffModel(c echo.Context, r *models.Review, f views.Form) (views.SignOffModel, error) {
	ctx := c.Request().Context()
	answers, err := models.ListAnswers(ctx, h.DB, r.ID)
	if err != nil {
		return views.SignOffModel{}, err
	}
	findings, err := models.ListReviewFindings(ctx, h.DB, r.ID)
	if err != nil {
		return views.SignOffModel{}, err
	}
	score := models.ComputeScore(models.ScoredQuestions(r.TemplateVersion, answers))
	m := views.SignOffModel{ReviewHeader: h.reviewHeader(c, r), Score: scoreView(score), Form: f, Unanswered: score.Total - score.Answered}
	today := h.Today()
	for i := range findings {
		fd := &findings[i]
		if fd.Unresolved() && (fd.Risk == "critical" || fd.Risk == models.RiskHigh) {
			m.OpenHigh = append(m.OpenHigh, findingRow(today, &fd.Finding, fd.CarriedOver))
		}
	}
	return m, nil
}

func (h Reviews) SignOffForm(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	if r.Status != models.ReviewInReview {
		h.Flash(c, "warn", "Submit the review for sign-off first.")
		return h.Redirect(c, h.Path("reviews.show", r.ID))
	}
	if !models.CanSignOff(web.CurrentUser(c), r) {
		return fmt.Errorf("%w: only the review's facilitator or an admin signs off", models.ErrForbidden)
	}
	m, err := h.signOffModel(c, r, views.NewForm())
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.SignOffPage(h.Page(c, "Sign off "+r.Title, "reviews"), m))
}

func (h Reviews) SignOff(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.TransitionReview(c.Request().Context(), h.DB, web.Actor(c), r.ID, models.ActionComplete,
		models.SignOff{Decision: form.Get("decision"), Notes: form.Get("decision_notes")})
	if status, f, ok := web.FormRefusal(err, views.FormFrom(form)); ok {
		m, merr := h.signOffModel(c, r, f)
		if merr != nil {
			return merr
		}
		return h.Render(c, status, views.SignOffPage(h.Page(c, "Sign off "+r.Title, "reviews"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Review completed and signed off. Its snapshot is stored, and the component's next review is scheduled.")
	return h.Redirect(c, h.Path("reviews.show", r.ID))
}

func (h Reviews) Edit(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("title", r.Title).Set("scheduled_for", datePtrString(r.ScheduledFor)).Set("version", strconv.Itoa(r.Version))
	if r.Facilitator != nil {
		f.Set("facilitator", r.Facilitator.Email)
	}
	for _, p := range r.Participants {
		f.Multi["participants"] = append(f.Multi["participants"], p.Email)
	}
	m, err := h.reviewFormModel(c, f, true, r.ID)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ReviewFormPage(h.Page(c, "Edit "+r.Title, "reviews"), m))
}

func (h Reviews) Update(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	if !models.CanManageReview(web.CurrentUser(c), r) {
		return models.ErrForbidden
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	_, err = models.EditReview(c.Request().Context(), h.DB, web.Actor(c), r.ID, web.AtoiOr(form.Get("version"), 0), models.ReviewDetails{
		Title: form.Get("title"), Facilitator: form.Get("facilitator"), Participants: form["participants"], ScheduledFor: form.Get("scheduled_for"),
	})
	status := http.StatusUnprocessableEntity
	var ce *models.ConflictError
	switch {
	case err == nil:
		h.Flash(c, "ok", "Review saved.")
		return h.Redirect(c, h.Path("reviews.show", r.ID))
	case errors.As(err, &ce):
		status = http.StatusConflict
		f.Set("version", strconv.Itoa(ce.Current.(*models.Review).Version))
		f = f.WithErrors(nil, []string{"Someone else changed this review meanwhile. Your changes are below; save again to apply them."})
	default:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		f = f.WithErrors(ve.Fields, ve.Global)
	}
	m, err := h.reviewFormModel(c, f, true, r.ID)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.ReviewFormPage(h.Page(c, "Edit "+r.Title, "reviews"), m))
}
