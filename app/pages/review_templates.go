package pages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Templates serves review templates: the catalogue, versions, import and export, and the draft editor.
type Templates struct{ base }

// ensureBuiltins adds the built-in templates on first use.
func (b base) ensureBuiltins(c echo.Context) error {
	return b.builtins.Ensure(c.Request().Context(), b.DB)
}

func (b base) versionRefs(c echo.Context, vs []models.TemplateVersion, counts map[int64]int) []views.TemplateVersionRef {
	out := make([]views.TemplateVersionRef, 0, len(vs))
	for _, v := range vs {
		out = append(out, views.TemplateVersionRef{Number: v.Number, Status: v.Status, Questions: counts[v.ID], Published: b.fmtDay(c, v.PublishedAt), Source: v.Source})
	}
	return out
}

func (h Templates) Index(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ts, err := models.ListTemplates(ctx, h.DB)
	if err != nil {
		return err
	}
	counts, err := models.QuestionCounts(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.TemplatesModel{IsAdmin: h.Can(c, "templates.create")}
	for _, t := range ts {
		m.Templates = append(m.Templates, views.TemplateSummary{Key: t.Key, Name: t.Name, Description: t.Description, Builtin: t.Builtin,
			Versions: h.versionRefs(c, t.Versions, counts)})
	}
	return h.Render(c, http.StatusOK, views.Templates(h.Page(c, "Review templates", "reviews"), m))
}

// templateVersionParam loads the version named by :key and :n.
func (h Templates) templateVersionParam(c echo.Context) (*models.TemplateVersion, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return nil, models.ErrNotFound
	}
	return models.GetTemplateVersionByKey(c.Request().Context(), h.DB, c.Param("key"), n)
}

func (h Templates) Show(c echo.Context) error {
	t, err := models.GetTemplateByKey(c.Request().Context(), h.DB, c.Param("key"))
	if err != nil {
		return err
	}
	if len(t.Versions) == 0 {
		return models.ErrNotFound
	}
	n := t.Versions[0].Number
	for _, v := range t.Versions {
		if v.Status == models.TemplatePublished {
			n = v.Number
			break
		}
	}
	return h.Redirect(c, h.Path("templates.version", t.Key, n))
}

func (h Templates) templateVersionModel(c echo.Context, v *models.TemplateVersion) (views.TemplateVersionModel, error) {
	ctx := c.Request().Context()
	t, err := models.GetTemplateByKey(ctx, h.DB, v.Key())
	if err != nil {
		return views.TemplateVersionModel{}, err
	}
	counts, err := models.QuestionCounts(ctx, h.DB)
	if err != nil {
		return views.TemplateVersionModel{}, err
	}
	m := views.TemplateVersionModel{
		Key: v.Key(), Name: v.Name, DescriptionMD: v.Description, Number: v.Number, Status: v.Status, Source: v.Source,
		Published: h.fmtDay(c, v.PublishedAt), Deprecated: h.fmtDay(c, v.DeprecatedAt), Questions: len(v.Questions()),
		Versions: h.versionRefs(c, t.Versions, counts), IsAdmin: h.Can(c, "templates.yaml.save"), Version: v.Version,
	}
	for _, tv := range t.Versions {
		if tv.Status == models.TemplateDraft {
			m.HasDraft, m.DraftNumber = true, tv.Number
		}
	}
	for _, sec := range v.Sections {
		sv := views.SectionView{Key: sec.Key, Title: sec.Title, DescriptionMD: sec.Description}
		for _, q := range sec.Questions {
			sv.Questions = append(sv.Questions, views.QuestionView{Key: q.Key, Prompt: q.Prompt, GuidanceMD: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
		}
		m.Sections = append(m.Sections, sv)
	}
	return m, nil
}

func (h Templates) Version(c echo.Context) error {
	v, err := h.templateVersionParam(c)
	if err != nil {
		return err
	}
	m, err := h.templateVersionModel(c, v)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.TemplateVersionPage(h.Page(c, v.Label(), "reviews"), m))
}

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

// templateTransition runs publish, deprecate, discard or new draft.
func (h Templates) Transition(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		v, err := h.templateVersionParam(c)
		if err != nil {
			return err
		}
		target := h.Path("templates.version", v.Key(), v.Number)
		switch action {
		case "publish":
			err = models.PublishTemplateVersion(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", fmt.Sprintf("Version %d published. New reviews start from it.", v.Number))
			}
		case "deprecate":
			err = models.DeprecateTemplateVersion(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", fmt.Sprintf("Version %d deprecated.", v.Number))
			}
		case "discard":
			err = models.DiscardDraft(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", "Draft discarded.")
				target = h.Path("templates.index")
			}
		case "draft":
			var d *models.TemplateVersion
			d, err = models.NewDraftFrom(ctx, h.DB, web.Actor(c), v.ID)
			if err == nil {
				h.Flash(c, "ok", fmt.Sprintf("Draft version %d started from version %d.", d.Number, v.Number))
				target = h.Path("templates.version", d.Key(), d.Number)
			}
		}
		if errors.Is(err, models.ErrInvalidState) {
			h.Flash(c, "bad", web.Message(err))
			return h.Redirect(c, target)
		}
		if err != nil {
			return err
		}
		return h.Redirect(c, target)
	}
}

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
