package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Reviews serves review templates, reviews, their answers and findings.
type Reviews struct {
	*web.Kit
	builtins *models.Builtins
}

func (h Reviews) ensureBuiltins(c echo.Context) error {
	return h.builtins.Ensure(c.Request().Context(), h.DB)
}

func (h Reviews) reviewParam(c echo.Context) (*models.Review, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return models.GetReview(c.Request().Context(), h.DB, id)
}

func (h Reviews) List(c echo.Context) error {
	ctx := c.Request().Context()
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	f := models.ReviewFilter{Limit: lp.Limit + 1, Statuses: c.QueryParams()["status"]}
	if err := decodeCursor(lp.Cursor, &f.AfterID); err != nil {
		return err
	}
	if slug := c.QueryParam("component"); slug != "" {
		comp, err := models.GetComponentBySlug(ctx, h.DB, slug)
		if errors.Is(err, models.ErrNotFound) {
			return models.FieldError("component", "no component has the slug "+slug)
		} else if err != nil {
			return err
		}
		f.ComponentID = comp.ID
	}
	rs, err := models.ListReviews(ctx, h.DB, f)
	if err != nil {
		return err
	}
	items := make([]reviewJSON, 0, len(rs))
	for i := range rs {
		items = append(items, toReviewJSON(&rs[i]))
	}
	return web.WriteJSON(c, http.StatusOK, newListPage(items, lp.Limit, func(j reviewJSON) any { return j.ID }))
}

type reviewCreateJSON struct {
	Component    string   `json:"component"`
	Template     string   `json:"template"`
	Title        string   `json:"title"`
	Facilitator  string   `json:"facilitator"`
	Participants []string `json:"participants"`
	ScheduledFor string   `json:"scheduled_for"`
}

func (h Reviews) Create(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	var in reviewCreateJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	r, err := models.CreateReview(c.Request().Context(), h.DB, web.Actor(c), models.NewReview{Component: in.Component, TemplateKey: in.Template,
		Title: in.Title, Facilitator: in.Facilitator, Participants: in.Participants, ScheduledFor: in.ScheduledFor})
	if err != nil {
		return err
	}
	full, err := h.fullReviewJSON(c, r)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, full)
}

// fullReviewJSON is a review with one answer per question, its findings
// and its score.
func (h Reviews) fullReviewJSON(c echo.Context, r *models.Review) (reviewJSON, error) {
	ctx := c.Request().Context()
	j := toReviewJSON(r)
	answers, err := models.ListAnswers(ctx, h.DB, r.ID)
	if err != nil {
		return j, err
	}
	j.Answers = []answerJSON{}
	for _, sec := range r.TemplateVersion.Sections {
		for _, q := range sec.Questions {
			if a := answers[q.Key]; a != nil {
				aj := toAnswerJSON(a)
				aj.Section, aj.Risk = sec.Key, q.Risk
				j.Answers = append(j.Answers, aj)
			}
		}
	}
	findings, err := models.ListReviewFindings(ctx, h.DB, r.ID)
	if err != nil {
		return j, err
	}
	j.Findings = []findingJSON{}
	for i := range findings {
		j.Findings = append(j.Findings, toFindingJSON(&findings[i].Finding, r.Component.Slug, findings[i].CarriedOver))
	}
	sc := models.ComputeScore(models.ScoredQuestions(r.TemplateVersion, answers))
	j.Score = &scoreJSON{Readiness: sc.Readiness, Formula: models.ScoreFormula, Answered: sc.Answered, Total: sc.Total, Met: sc.Met,
		Partial: sc.Partial, NotMet: sc.NotMet, NotApplicable: sc.NotApplicable, Risks: sc.Risks}
	return j, nil
}

func (h Reviews) Get(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	full, err := h.fullReviewJSON(c, r)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, full)
}
