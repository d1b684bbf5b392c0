package pages

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Templates) Export(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	out, err := models.TemplateYAML(v.Def(), v.ExportHeader())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-v%d.yaml"`, v.Key(), v.Number))
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", out)
}

func (h Templates) ImportForm(c echo.Context) error {
	m := views.TemplateImportModel{Form: views.NewForm(), Blank: views.NewForm()}
	return h.Render(c, http.StatusOK, views.TemplateImportPage(h.Page(c, "Import a template", "reviews"), m))
}

func (h Templates) Import(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	src := []byte(form.Get("source"))
	if fh, ferr := c.FormFile("file"); ferr == nil && fh.Size > 0 {
		file, err := fh.Open()
		if err != nil {
			return err
		}
		defer file.Close()
		src, err = io.ReadAll(io.LimitReader(file, models.MaxTemplateSource+1))
		if err != nil {
			return err
		}
	}
	var res *models.ImportResult
	switch {
	case len(bytes.TrimSpace(src)) == 0:
		err = models.FieldError("source", "Choose a file or paste a template.")
	case len(src) > models.MaxTemplateSource:
		err = models.FieldError("source", "The file is larger than 4 MB.")
	default:
		var d *models.TemplateDef
		var source string
		d, source, err = models.ParseTemplateSource(src, form.Get("format"), form.Get("key"))
		if err == nil {
			res, err = models.ImportTemplate(c.Request().Context(), h.DB, web.Actor(c), d, models.TemplateImportOptions{Source: source, Publish: form.Get("publish") != ""})
		}
	}
	if ve, ok := models.AsValidation(err); ok {
		// An uploaded file comes back in the text box, to fix it in place
		// (a browser cannot refill a file input).
		if len(src) > 0 && len(src) <= models.MaxTemplateSource && f.Get("source") == "" && utf8.Valid(src) {
			f = f.Set("source", string(src))
		}
		m := views.TemplateImportModel{Form: f.WithErrors(ve.Fields, ve.Global), Blank: views.NewForm()}
		return h.Render(c, http.StatusUnprocessableEntity, views.TemplateImportPage(h.Page(c, "Import a template", "reviews"), m))
	}
	if err != nil {
		return err
	}
	v := res.Version
	switch {
	case res.Unchanged:
		h.Flash(c, "info", fmt.Sprintf("Nothing changed: version %d of %s has this exact content.", v.Number, v.Name))
	case res.ReplacedDraft:
		h.Flash(c, "ok", fmt.Sprintf("Imported into the draft, version %d of %s.", v.Number, v.Name))
	default:
		h.Flash(c, "ok", fmt.Sprintf("Imported %s as version %d (%s).", v.Name, v.Number, v.Status))
	}
	return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number))
}

func (h Templates) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	v, err := models.CreateBlankTemplate(c.Request().Context(), h.DB, web.Actor(c), form.Get("key"), form.Get("name"))
	if ve, ok := models.AsValidation(err); ok {
		m := views.TemplateImportModel{Form: views.NewForm(), Blank: views.FormFrom(form).WithErrors(ve.Fields, ve.Global)}
		return h.Render(c, http.StatusUnprocessableEntity, views.TemplateImportPage(h.Page(c, "Import a template", "reviews"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Draft created. Add sections and questions, then publish it.")
	return h.Redirect(c, h.Path("templates.version", v.Key(), v.Number))
}
