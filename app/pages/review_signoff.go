package pages

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

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
