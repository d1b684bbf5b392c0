package app

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

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// ensureBuiltins adds the built-in templates on first use.
func (s *Server) ensureBuiltins(c echo.Context) error {
	return s.builtins.Ensure(c.Request().Context(), s.db)
}

func versionRefs(c echo.Context, s *Server, vs []models.TemplateVersion, counts map[int64]int) []views.TemplateVersionRef {
	out := make([]views.TemplateVersionRef, 0, len(vs))
	for _, v := range vs {
		out = append(out, views.TemplateVersionRef{Number: v.Number, Status: v.Status, Questions: counts[v.ID], Published: s.fmtDay(c, v.PublishedAt), Source: v.Source})
	}
	return out
}

func (s *Server) templateIndex(c echo.Context) error {
	if err := s.ensureBuiltins(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ts, err := models.ListTemplates(ctx, s.db)
	if err != nil {
		return err
	}
	counts, err := models.QuestionCounts(ctx, s.db)
	if err != nil {
		return err
	}
	m := views.TemplatesModel{IsAdmin: currentUser(c).Role.Allows(models.RoleAdmin)}
	for _, t := range ts {
		m.Templates = append(m.Templates, views.TemplateSummary{Key: t.Key, Name: t.Name, Description: t.Description, Builtin: t.Builtin,
			Versions: versionRefs(c, s, t.Versions, counts)})
	}
	return s.render(c, http.StatusOK, views.Templates(s.page(c, "Review templates", "reviews"), m))
}

// templateVersionParam loads the version named by :key and :n.
func (s *Server) templateVersionParam(c echo.Context) (*models.TemplateVersion, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return nil, models.ErrNotFound
	}
	return models.GetTemplateVersionByKey(c.Request().Context(), s.db, c.Param("key"), n)
}

func (s *Server) templateShow(c echo.Context) error {
	t, err := models.GetTemplateByKey(c.Request().Context(), s.db, c.Param("key"))
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
	return s.redirect(c, s.reverse("templates.version", t.Key, n))
}

func (s *Server) templateVersionModel(c echo.Context, v *models.TemplateVersion) (views.TemplateVersionModel, error) {
	ctx := c.Request().Context()
	t, err := models.GetTemplateByKey(ctx, s.db, v.Key())
	if err != nil {
		return views.TemplateVersionModel{}, err
	}
	counts, err := models.QuestionCounts(ctx, s.db)
	if err != nil {
		return views.TemplateVersionModel{}, err
	}
	m := views.TemplateVersionModel{
		Key: v.Key(), Name: v.Name, DescriptionMD: v.Description, Number: v.Number, Status: v.Status, Source: v.Source,
		Published: s.fmtDay(c, v.PublishedAt), Deprecated: s.fmtDay(c, v.DeprecatedAt), Questions: len(v.Questions()),
		Versions: versionRefs(c, s, t.Versions, counts), IsAdmin: currentUser(c).Role.Allows(models.RoleAdmin), Version: v.Version,
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

func (s *Server) templateVersion(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	m, err := s.templateVersionModel(c, v)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.TemplateVersionPage(s.page(c, v.Label(), "reviews"), m))
}

func (s *Server) templateExport(c echo.Context) error {
	v, err := s.templateVersionParam(c)
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

func (s *Server) templateImportForm(c echo.Context) error {
	m := views.TemplateImportModel{Form: views.NewForm(), Blank: views.NewForm()}
	return s.render(c, http.StatusOK, views.TemplateImportPage(s.page(c, "Import a template", "reviews"), m))
}

func (s *Server) templateImport(c echo.Context) error {
	form, err := formValues(c)
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
			res, err = models.ImportTemplate(c.Request().Context(), s.db, actor(c), d, models.TemplateImportOptions{Source: source, Publish: form.Get("publish") != ""})
		}
	}
	if ve, ok := models.AsValidation(err); ok {
		// An uploaded file comes back in the text box, to fix it in place
		// (a browser cannot refill a file input).
		if len(src) > 0 && len(src) <= models.MaxTemplateSource && f.Get("source") == "" && utf8.Valid(src) {
			f = f.Set("source", string(src))
		}
		m := views.TemplateImportModel{Form: f.WithErrors(ve.Fields, ve.Global), Blank: views.NewForm()}
		return s.render(c, http.StatusUnprocessableEntity, views.TemplateImportPage(s.page(c, "Import a template", "reviews"), m))
	}
	if err != nil {
		return err
	}
	v := res.Version
	switch {
	case res.Unchanged:
		s.flash(c, "info", fmt.Sprintf("Nothing changed: version %d of %s has this exact content.", v.Number, v.Name))
	case res.ReplacedDraft:
		s.flash(c, "ok", fmt.Sprintf("Imported into the draft, version %d of %s.", v.Number, v.Name))
	default:
		s.flash(c, "ok", fmt.Sprintf("Imported %s as version %d (%s).", v.Name, v.Number, v.Status))
	}
	return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number))
}

func (s *Server) templateCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	v, err := models.CreateBlankTemplate(c.Request().Context(), s.db, actor(c), form.Get("key"), form.Get("name"))
	if ve, ok := models.AsValidation(err); ok {
		m := views.TemplateImportModel{Form: views.NewForm(), Blank: views.FormFrom(form).WithErrors(ve.Fields, ve.Global)}
		return s.render(c, http.StatusUnprocessableEntity, views.TemplateImportPage(s.page(c, "Import a template", "reviews"), m))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Draft created. Add sections and questions, then publish it.")
	return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number))
}

// templateTransition runs publish, deprecate, discard or new draft.
func (s *Server) templateTransition(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		v, err := s.templateVersionParam(c)
		if err != nil {
			return err
		}
		target := s.reverse("templates.version", v.Key(), v.Number)
		switch action {
		case "publish":
			err = models.PublishTemplateVersion(ctx, s.db, actor(c), v.ID)
			if err == nil {
				s.flash(c, "ok", fmt.Sprintf("Version %d published. New reviews start from it.", v.Number))
			}
		case "deprecate":
			err = models.DeprecateTemplateVersion(ctx, s.db, actor(c), v.ID)
			if err == nil {
				s.flash(c, "ok", fmt.Sprintf("Version %d deprecated.", v.Number))
			}
		case "discard":
			err = models.DiscardDraft(ctx, s.db, actor(c), v.ID)
			if err == nil {
				s.flash(c, "ok", "Draft discarded.")
				target = s.reverse("templates.index")
			}
		case "draft":
			var d *models.TemplateVersion
			d, err = models.NewDraftFrom(ctx, s.db, actor(c), v.ID)
			if err == nil {
				s.flash(c, "ok", fmt.Sprintf("Draft version %d started from version %d.", d.Number, v.Number))
				target = s.reverse("templates.version", d.Key(), d.Number)
			}
		}
		if errors.Is(err, models.ErrInvalidState) {
			s.flash(c, "bad", unwrapMessage(err))
			return s.redirect(c, target)
		}
		if err != nil {
			return err
		}
		return s.redirect(c, target)
	}
}

func (s *Server) templateYAMLForm(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	if v.Status != models.TemplateDraft {
		return fmt.Errorf("%w: only drafts can be edited", models.ErrInvalidState)
	}
	out, err := models.TemplateYAML(v.Def(), "")
	if err != nil {
		return err
	}
	f := views.NewForm().Set("yaml", string(out)).Set("version", strconv.Itoa(v.Version))
	return s.render(c, http.StatusOK, views.TemplateYAMLPage(s.page(c, "Edit "+v.Label(), "reviews"), views.TemplateYAMLModel{Key: v.Key(), Number: v.Number, Name: v.Name, Form: f}))
}

func (s *Server) templateYAMLSave(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
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
		_, err = models.SaveDraft(c.Request().Context(), s.db, actor(c), v.ID, atoiOr(form.Get("version"), 0), d, "yaml")
	}
	status := http.StatusUnprocessableEntity
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		status = http.StatusConflict
		f.Set("version", strconv.Itoa(ce.Current.(*models.TemplateVersion).Version))
		f = f.WithErrors(nil, []string{"Someone else saved this draft while you were editing. Your YAML is below and not saved; reload the draft in another tab to compare, then save again."})
	case err == nil:
		s.flash(c, "ok", "Draft saved.")
		return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number))
	default:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		f = f.WithErrors(ve.Fields, ve.Global)
	}
	return s.render(c, status, views.TemplateYAMLPage(s.page(c, "Edit "+v.Label(), "reviews"), views.TemplateYAMLModel{Key: v.Key(), Number: v.Number, Name: v.Name, Form: f}))
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

func (s *Server) templateQuestionForm(c echo.Context) error {
	v, err := s.templateVersionParam(c)
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
	return s.render(c, http.StatusOK, views.TemplateQuestionPage(s.page(c, "Edit question", "reviews"),
		views.TemplateQuestionModel{Key: v.Key(), Number: v.Number, Name: v.Name, Question: q.Key, Form: f}))
}

func (s *Server) templateQuestionUpdate(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
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
	_, err = models.SaveDraft(c.Request().Context(), s.db, actor(c), v.ID, atoiOr(form.Get("version"), 0), d, "key")
	if err == nil {
		s.flash(c, "ok", "Question saved.")
		return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number))
	}
	status, f, err := draftProblem(err, f, fmt.Sprintf("sections[%d].questions[%d]", si, qi),
		"Someone else changed this draft meanwhile. Your text is kept below; save again to apply it to the current draft.")
	if err != nil {
		return err
	}
	return s.render(c, status, views.TemplateQuestionPage(s.page(c, "Edit question", "reviews"),
		views.TemplateQuestionModel{Key: v.Key(), Number: v.Number, Name: v.Name, Question: c.Param("q"), Form: f}))
}

func (s *Server) templateQuestionAdd(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
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
	_, err = models.SaveDraft(c.Request().Context(), s.db, actor(c), v.ID, atoiOr(form.Get("version"), 0), d, "key")
	if err == nil {
		s.flash(c, "ok", "Question added.")
		return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number)+"#sec-"+c.Param("section"))
	}
	status, f, err := draftProblem(err, f, fmt.Sprintf("sections[%d].questions[%d]", si, qi),
		"Someone else changed this draft meanwhile. Your question is kept below; add it again.")
	if err != nil {
		return err
	}
	return s.renderDraft(c, v, status, func(m *views.TemplateVersionModel) {
		m.AddQuestion, m.AddQuestionSection = f, c.Param("section")
	})
}

func (s *Server) templateQuestionDelete(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
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
	_, err = models.SaveDraft(c.Request().Context(), s.db, actor(c), v.ID, atoiOr(form.Get("version"), 0), d, "key")
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		s.flash(c, "warn", "Someone else changed this draft meanwhile; nothing was removed. Check the draft and try again.")
	} else if err != nil {
		return err
	} else {
		s.flash(c, "ok", "Question removed.")
	}
	return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number))
}

func (s *Server) templateSectionAdd(c echo.Context) error {
	v, err := s.templateVersionParam(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	d := v.Def()
	si := len(d.Sections)
	d.Sections = append(d.Sections, models.SectionDef{Key: form.Get("key"), Title: form.Get("title")})
	_, err = models.SaveDraft(c.Request().Context(), s.db, actor(c), v.ID, atoiOr(form.Get("version"), 0), d, "title")
	if err == nil {
		s.flash(c, "ok", "Section added. Add its questions below it.")
		return s.redirect(c, s.reverse("templates.version", v.Key(), v.Number))
	}
	status, f, err := draftProblem(err, f, fmt.Sprintf("sections[%d]", si), "Someone else changed this draft meanwhile. Add the section again.")
	if err != nil {
		return err
	}
	return s.renderDraft(c, v, status, func(m *views.TemplateVersionModel) { m.AddSection = f })
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
func (s *Server) renderDraft(c echo.Context, v *models.TemplateVersion, status int, set func(*views.TemplateVersionModel)) error {
	fresh, err := models.GetTemplateVersion(c.Request().Context(), s.db, v.ID)
	if err != nil {
		return err
	}
	m, err := s.templateVersionModel(c, fresh)
	if err != nil {
		return err
	}
	set(&m)
	return s.render(c, status, views.TemplateVersionPage(s.page(c, v.Label(), "reviews"), m))
}
