package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Templates) YAMLForm(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	if v.Status != models.TemplateDraft {
		return models.StateErrorf("Only drafts can be edited.")
	}
	out, err := models.TemplateYAML(v.Def(), "")
	if err != nil {
		return err
	}
	f := views.NewForm().Set("yaml", string(out)).Set("version", strconv.Itoa(v.Version))
	return h.Render(c, http.StatusOK, views.TemplateYAMLPage(h.Page(c, "Edit "+v.Label(), "reviews"), views.TemplateYAMLModel{Key: v.Key(), Number: v.Number, Name: v.Name, Form: f}))
}

func (h Templates) YAMLSave(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	d, err := models.ParseTemplateYAML([]byte(form.Get("yaml")))
	if ve, ok := models.AsValidation(err); ok {
		// Problems of the file belong to the YAML field here.
		ve.Fields = map[string]string{"yaml": ve.Fields["file"]}
		err = ve
	} else if err == nil {
		_, err = models.SaveDraft(c.Request().Context(), h.DB, web.Actor(c), v.ID, web.AtoiOr(form.Get("version"), 0), d, "yaml")
	}
	status := http.StatusUnprocessableEntity
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		status = http.StatusConflict
		f.Set("version", strconv.Itoa(ce.Current.(*models.TemplateVersion).Version))
		f = f.WithErrors(nil, []string{"Someone else saved this draft while you were editing. Your YAML is below and not saved; reload the draft in another tab to compare, then save again."})
	case err == nil:
		h.Flash(c, "ok", "Draft saved.")
		return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number))
	default:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		f = f.WithErrors(ve.Fields, ve.Global)
	}
	return h.Render(c, status, views.TemplateYAMLPage(h.Page(c, "Edit "+v.Label(), "reviews"), views.TemplateYAMLModel{Key: v.Key(), Number: v.Number, Name: v.Name, Form: f}))
}
