package pages

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func findQuestion(d *models.TemplateDef, key string) (si, qi int, ok bool) {
	for i, sec := range d.Sections {
		for j, q := range sec.Questions {
			if q.Key == key {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func questionFromForm(f views.Form) models.QuestionDef {
	return models.QuestionDef{Key: strings.TrimSpace(f.Get("key")), Prompt: f.Get("prompt"), Guidance: f.Get("guidance"), Evidence: f.Get("evidence"), Risk: f.Get("risk")}
}

func (h Templates) QuestionForm(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	d := v.Def()
	si, qi, ok := findQuestion(d, c.Param("q"))
	if !ok {
		return models.ErrNotFound
	}
	q := d.Sections[si].Questions[qi]
	f := views.NewForm().Set("key", q.Key).Set("prompt", q.Prompt).Set("guidance", q.Guidance).Set("evidence", q.Evidence).
		Set("risk", q.Risk).Set("version", strconv.Itoa(v.Version))
	return h.Render(c, http.StatusOK, views.TemplateQuestionPage(h.Page(c, "Edit question", "reviews"),
		views.TemplateQuestionModel{Key: v.Key(), Number: v.Number, Name: v.Name, Question: q.Key, Form: f}))
}

func (h Templates) QuestionUpdate(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	d := v.Def()
	si, qi, ok := findQuestion(d, c.Param("q"))
	if !ok {
		return models.ErrNotFound
	}
	d.Sections[si].Questions[qi] = questionFromForm(f)
	_, err = models.SaveDraft(c.Request().Context(), h.DB, web.Actor(c), v.ID, web.AtoiOr(form.Get("version"), 0), d, "key")
	if err == nil {
		h.Flash(c, "ok", "Question saved.")
		return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number))
	}
	status, f, err := draftProblem(err, f, fmt.Sprintf("sections[%d].questions[%d]", si, qi),
		"Someone else changed this draft meanwhile. Your text is kept below; save again to apply it to the current draft.")
	if err != nil {
		return err
	}
	return h.Render(c, status, views.TemplateQuestionPage(h.Page(c, "Edit question", "reviews"),
		views.TemplateQuestionModel{Key: v.Key(), Number: v.Number, Name: v.Name, Question: c.Param("q"), Form: f}))
}

func (h Templates) QuestionAdd(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	d := v.Def()
	si := -1
	for i, sec := range d.Sections {
		if sec.Key == c.Param("section") {
			si = i
		}
	}
	if si < 0 {
		return models.ErrNotFound
	}
	qi := len(d.Sections[si].Questions)
	d.Sections[si].Questions = append(d.Sections[si].Questions, questionFromForm(f))
	_, err = models.SaveDraft(c.Request().Context(), h.DB, web.Actor(c), v.ID, web.AtoiOr(form.Get("version"), 0), d, "key")
	if err == nil {
		h.Flash(c, "ok", "Question added.")
		return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number)+"#sec-"+c.Param("section"))
	}
	status, f, err := draftProblem(err, f, fmt.Sprintf("sections[%d].questions[%d]", si, qi),
		"Someone else changed this draft meanwhile. Your question is kept below; add it again.")
	if err != nil {
		return err
	}
	return h.renderDraft(c, v, status, func(m *views.TemplateVersionModel) {
		m.AddQuestion, m.AddQuestionSection = f, c.Param("section")
	})
}

func (h Templates) QuestionDelete(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	d := v.Def()
	si, qi, ok := findQuestion(d, c.Param("q"))
	if !ok {
		return models.ErrNotFound
	}
	qs := d.Sections[si].Questions
	d.Sections[si].Questions = append(qs[:qi:qi], qs[qi+1:]...)
	_, err = models.SaveDraft(c.Request().Context(), h.DB, web.Actor(c), v.ID, web.AtoiOr(form.Get("version"), 0), d, "key")
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		h.Flash(c, "warn", "Someone else changed this draft meanwhile; nothing was removed. Check the draft and try again.")
	} else if err != nil {
		return err
	} else {
		h.Flash(c, "ok", "Question removed.")
	}
	return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number))
}
