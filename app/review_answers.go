package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// answerFragment renders one question (used by "use theirs").
func (s *Server) answerFragment(c echo.Context) error {
	r, err := s.reviewParam(c)
	if err != nil {
		return err
	}
	_, sec, q, ok := r.Question(c.Param("key"))
	if !ok {
		return models.ErrNotFound
	}
	a, err := models.GetAnswer(c.Request().Context(), s.db, r.ID, q.Key)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return s.redirect(c, s.reverse("reviews.show", r.ID)+"#q-"+views.DOMKey(q.Key))
	}
	v := s.answerView(c, r, sec, q, a, r.Editable() && currentUser(c).Role.Allows(models.RoleMember))
	return s.render(c, http.StatusOK, views.AnswerCard(v))
}

// answerSave autosaves one answer. htmx requests get out-of-band updates
// (version, progress, score) or, on a conflict, the view with both values;
// plain form posts get the page.
func (s *Server) answerSave(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := s.reviewParam(c)
	if err != nil {
		return err
	}
	si, sec, q, ok := r.Question(c.Param("key"))
	if !ok {
		return models.ErrNotFound
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	mine := views.AnswerValues{State: form.Get("state"), Reason: form.Get("reason"), Notes: form.Get("notes"), Evidence: form.Get("evidence")}
	in := models.AnswerInput{State: mine.State, Reason: mine.Reason, Notes: mine.Notes, Evidence: models.ParseEvidence(mine.Evidence)}
	saved, err := models.SaveAnswer(ctx, s.db, actor(c), r.ID, q.Key, atoiOr(form.Get("version"), 0), in)
	key := views.DOMKey(q.Key)
	var ce *models.ConflictError
	switch {
	case err == nil:
		if !isHTMX(c) {
			s.flash(c, "ok", "Answer saved.")
			return s.redirect(c, s.reverse("reviews.show", r.ID)+"#q-"+key)
		}
		answers, err := models.ListAnswers(ctx, s.db, r.ID)
		if err != nil {
			return err
		}
		score := models.ComputeScore(models.ScoredQuestions(r.TemplateVersion, answers))
		v := s.answerView(c, r, sec, q, saved, true)
		return s.render(c, http.StatusOK, views.AnswerSaved(v, checklistSection(sec, score.Sections[si]), scoreView(score)))
	case errors.As(err, &ce):
		cur := ce.Current.(*models.ReviewAnswer)
		v := s.answerView(c, r, sec, q, cur, true)
		v.Values = mine
		v.Version = atoiOr(form.Get("version"), 0)
		v.Conflict = &views.AnswerConflict{Mine: mine, Theirs: answerValues(cur), TheirsAt: s.fmtTime(c, cur.UpdatedAt), Version: cur.Version, TheirsBy: "Someone"}
		if cur.UpdatedBy != nil {
			v.Conflict.TheirsBy = cur.UpdatedBy.Name
		}
		if isHTMX(c) {
			c.Response().Header().Set("HX-Retarget", "#conflict-"+key)
			c.Response().Header().Set("HX-Reswap", "innerHTML")
			return s.render(c, http.StatusConflict, views.AnswerConflictView(v))
		}
		return s.renderReviewWith(c, r, http.StatusConflict, map[string]views.AnswerView{q.Key: v})
	}
	var errs map[string]string
	if ve, ok := models.AsValidation(err); ok {
		errs = ve.Fields
	} else if errors.Is(err, models.ErrInvalidState) {
		errs = map[string]string{"state": unwrapMessage(err)}
	} else {
		return err
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Retarget", "#err-"+key)
		c.Response().Header().Set("HX-Reswap", "innerHTML")
		return s.render(c, http.StatusUnprocessableEntity, views.AnswerErrorsFragment(errs))
	}
	cur, gerr := models.GetAnswer(ctx, s.db, r.ID, q.Key)
	if gerr != nil {
		return gerr
	}
	v := s.answerView(c, r, sec, q, cur, r.Editable())
	v.Values, v.Errors = mine, errs
	return s.renderReviewWith(c, r, http.StatusUnprocessableEntity, map[string]views.AnswerView{q.Key: v})
}

func (s *Server) renderReviewWith(c echo.Context, r *models.Review, status int, overrides map[string]views.AnswerView) error {
	m, err := s.reviewPageModel(c, r, overrides)
	if err != nil {
		return err
	}
	p := s.page(c, r.Title, "reviews")
	p.Scripts = append(p.Scripts, "js/reviews.js")
	return s.render(c, status, views.ReviewPage(p, m))
}

var _ = strings.TrimSpace
