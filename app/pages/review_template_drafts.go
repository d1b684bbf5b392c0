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

// questionProblems maps template problems about one question back onto
// the question form's fields.
func questionProblems(err error, path string) error {
	ve, ok := models.AsValidation(err)
	if !ok {
		return err
	}
	out := &models.ValidationError{}
	for _, g := range ve.Global {
		if i := strings.Index(g, path+"."); i >= 0 {
			rest := g[i+len(path)+1:]
			field, msg, _ := strings.Cut(rest, ": ")
			out.Add(field, strings.ToUpper(msg[:1])+msg[1:]+".")
			continue
		}
		out.AddGlobal(g)
	}
	if len(out.Fields) == 0 && len(out.Global) == 0 {
		return ve
	}
	return out
}

func (h Templates) SectionAdd(c echo.Context) error {
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
	si := len(d.Sections)
	d.Sections = append(d.Sections, models.SectionDef{Key: form.Get("key"), Title: form.Get("title")})
	_, err = models.SaveDraft(c.Request().Context(), h.DB, web.Actor(c), v.ID, web.AtoiOr(form.Get("version"), 0), d, "title")
	if err == nil {
		h.Flash(c, "ok", "Section added. Add its questions below it.")
		return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number))
	}
	status, f, err := draftProblem(err, f, fmt.Sprintf("sections[%d]", si), "Someone else changed this draft meanwhile. Add the section again.")
	if err != nil {
		return err
	}
	return h.renderDraft(c, v, status, func(m *views.TemplateVersionModel) { m.AddSection = f })
}

// draftProblem turns a failed edit of a draft into the form to show
// again: a conflict (409: someone saved the draft meanwhile; the form
// takes the current version and conflictMsg) or a validation error at the
// form's fields (422; path is where the edited part sits in the
// definition). Other errors come back as they are.
func draftProblem(err error, f views.Form, path, conflictMsg string) (int, views.Form, error) {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		f = f.Set("version", strconv.Itoa(ce.Current.(*models.TemplateVersion).Version))
		return http.StatusConflict, f.WithErrors(nil, []string{conflictMsg}), nil
	}
	if ve, ok := models.AsValidation(questionProblems(err, path)); ok {
		return http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global), nil
	}
	return 0, f, err
}

// renderDraft shows the draft version page as it is now, with set
// putting the submitted form in its place.
func (h Templates) renderDraft(c echo.Context, v *models.TemplateVersion, status int, set func(*views.TemplateVersionModel)) error {
	fresh, err := models.GetTemplateVersion(c.Request().Context(), h.DB, v.ID)
	if err != nil {
		return err
	}
	m, err := h.templateVersionModel(c, fresh)
	if err != nil {
		return err
	}
	set(&m)
	return h.Render(c, status, views.TemplateVersionPage(h.Page(c, v.Label(), "reviews"), m))
}
