package pages

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// answerFragment renders one question (used by "use theirs").
func (h Reviews) AnswerFragment(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	_, sec, q, ok := r.Question(c.Param("key"))
	if !ok {
		return models.ErrNotFound
	}
	a, err := models.GetAnswer(c.Request().Context(), h.DB, r.ID, q.Key)
	if err != nil {
		return err
	}
	if !web.IsHTMX(c) {
		return h.Redirect(c, h.Path("reviews.show", r.ID)+"#q-"+views.DOMKey(q.Key))
	}
	v := h.answerView(c, r, sec, q, a, r.Editable() && h.Can(c, "reviews.answer.save"))
	return h.Render(c, http.StatusOK, views.AnswerCard(v))
}

// answerSave autosaves one answer. htmx requests get out-of-band updates
// (version, progress, score) or, on a conflict, the view with both values;
// plain form posts get the page.
func (h Reviews) AnswerSave(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	si, sec, q, ok := r.Question(c.Param("key"))
	if !ok {
		return models.ErrNotFound
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	mine := views.AnswerValues{State: form.Get("state"), Reason: form.Get("reason"), Notes: form.Get("notes"), Evidence: form.Get("evidence")}
	in := models.AnswerInput{State: mine.State, Reason: mine.Reason, Notes: mine.Notes, Evidence: models.ParseEvidence(mine.Evidence)}
	saved, err := models.SaveAnswer(ctx, h.DB, web.Actor(c), r.ID, q.Key, web.AtoiOr(form.Get("version"), 0), in)
	key := views.DOMKey(q.Key)
	var ce *models.ConflictError
	switch {
	case err == nil:
		if !web.IsHTMX(c) {
			h.Flash(c, "ok", "Answer saved.")
			return h.Redirect(c, h.Path("reviews.show", r.ID)+"#q-"+key)
		}
		answers, err := models.ListAnswers(ctx, h.DB, r.ID)
		if err != nil {
			return err
		}
		score := models.ComputeScore(models.ScoredQuestions(r.TemplateVersion, answers))
		v := h.answerView(c, r, sec, q, saved, true)
		return h.Render(c, http.StatusOK, views.AnswerSaved(v, checklistSection(sec, score.Sections[si]), scoreView(score)))
	case errors.As(err, &ce):
		cur := ce.Current.(*models.ReviewAnswer)
		v := h.answerView(c, r, sec, q, cur, true)
		v.Values = mine
		v.Version = web.AtoiOr(form.Get("version"), 0)
		v.Conflict = &views.AnswerConflict{Mine: mine, Theirs: answerValues(cur), TheirsAt: h.fmtTime(c, cur.UpdatedAt), Version: cur.Version, TheirsBy: "Someone"}
		if cur.UpdatedBy != nil {
			v.Conflict.TheirsBy = cur.UpdatedBy.Name
		}
		if web.IsHTMX(c) {
			c.Response().Header().Set("HX-Retarget", "#conflict-"+key)
			c.Response().Header().Set("HX-Reswap", "innerHTML")
			return h.Render(c, http.StatusConflict, views.AnswerConflictView(v))
		}
		return h.renderReviewWith(c, r, http.StatusConflict, map[string]views.AnswerView{q.Key: v})
	}
	var errs map[string]string
	if ve, ok := models.AsValidation(err); ok {
		errs = ve.Fields
	} else if errors.Is(err, models.ErrInvalidState) {
		errs = map[string]string{"state": web.Message(err)}
	} else {
		return err
	}
	if web.IsHTMX(c) {
		c.Response().Header().Set("HX-Retarget", "#err-"+key)
		c.Response().Header().Set("HX-Reswap", "innerHTML")
		return h.Render(c, http.StatusUnprocessableEntity, views.AnswerErrorsFragment(errs))
	}
	cur, gerr := models.GetAnswer(ctx, h.DB, r.ID, q.Key)
	if gerr != nil {
		return gerr
	}
	v := h.answerView(c, r, sec, q, cur, r.Editable())
	v.Values, v.Errors = mine, errs
	return h.renderReviewWith(c, r, http.StatusUnprocessableEntity, map[string]views.AnswerView{q.Key: v})
}

func (h Reviews) renderReviewWith(c echo.Context, r *models.Review, status int, overrides map[string]views.AnswerView) error {
	m, err := h.reviewPageModel(c, r, overrides)
	if err != nil {
		return err
	}
	p := h.Page(c, r.Title, "reviews")
	p.Scripts = append(p.Scripts, "js/reviews.js")
	return h.Render(c, status, views.ReviewPage(p, m))
}

var _ = strings.TrimSpace

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
