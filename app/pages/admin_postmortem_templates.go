package pages

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// PostmortemTemplates serves the admin pages of postmortem templates and the defaults by severity.
type PostmortemTemplates struct{ base }

// Admin pages for postmortem templates and the defaults by severity.

// blankTemplateRows are the empty section rows offered below the filled
// ones, for adding sections.
const blankTemplateRows = 3

func (h PostmortemTemplates) pmTemplatesPage(c echo.Context, f *views.Form) (views.PMTemplatesPage, error) {
	ctx := c.Request().Context()
	var m views.PMTemplatesPage
	tpls, err := models.ListPostmortemTemplates(ctx, h.DB, true)
	if err != nil {
		return m, err
	}
	for _, t := range tpls {
		row := views.PMTemplateRow{ID: t.ID, Name: t.Name, Description: t.Description, IsDefault: t.IsDefault, Archived: t.Archived}
		for _, sec := range t.Sections {
			row.Sections = append(row.Sections, sec.Title)
		}
		m.Templates = append(m.Templates, row)
	}
	defs, err := models.ListPostmortemDefaults(ctx, h.DB)
	if err != nil {
		return m, err
	}
	m.Form = views.NewForm()
	for _, d := range defs {
		m.Defaults = append(m.Defaults, views.PMDefaultRow{SeverityID: d.Severity.ID, Severity: d.Severity.Name, Color: d.Severity.Color, Stored: d.Stored})
		id := strconv.FormatInt(d.Severity.ID, 10)
		m.Form.Set("defaults."+id+".due_days", strconv.Itoa(d.DueDays))
		if d.Facilitator != nil {
			m.Form.Set("defaults."+id+".facilitator", d.Facilitator.Email)
		}
	}
	if f != nil {
		m.Form = *f
	}
	opts, err := h.userOptions(ctx, models.RoleMember)
	if err != nil {
		return m, err
	}
	m.People = append([]views.Option{{Value: "", Label: "— nobody —"}}, opts...)
	return m, nil
}

func (h PostmortemTemplates) Index(c echo.Context) error {
	m, err := h.pmTemplatesPage(c, nil)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.PMTemplates(h.Page(c, "Postmortem templates", "admin"), m))
}

func (h PostmortemTemplates) DefaultsSave(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	defs, err := models.ListPostmortemDefaults(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	var ins []models.PostmortemDefaultInput
	for _, d := range defs {
		id := strconv.FormatInt(d.Severity.ID, 10)
		days, err := strconv.Atoi(strings.TrimSpace(form.Get("defaults." + id + ".due_days")))
		if err != nil {
			days = 0 // reported by the model as out of range
		}
		ins = append(ins, models.PostmortemDefaultInput{SeverityID: d.Severity.ID, DueDays: days, Facilitator: form.Get("defaults." + id + ".facilitator")})
	}
	err = models.SavePostmortemDefaults(c.Request().Context(), h.DB, web.Actor(c), ins)
	if ve, ok := models.AsValidation(err); ok {
		f := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		m, merr := h.pmTemplatesPage(c, &f)
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.PMTemplates(h.Page(c, "Postmortem templates", "admin"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Postmortem defaults saved.")
	return h.Redirect(c, h.Path("admin.pm_templates"))
}

// templateForm fills the form from a template, with blank rows to add.
func templateForm(t *models.PostmortemTemplate) (views.Form, int) {
	f := views.NewForm().Set("name", t.Name).Set("description", t.Description).Set("version", strconv.Itoa(t.Version))
	if t.Archived {
		f.Set("archived", "1")
	}
	for i, sec := range t.Sections {
		p := "sections." + strconv.Itoa(i) + "."
		f.Set(p+"key", sec.Key).Set(p+"title", sec.Title).Set(p+"guidance", sec.Guidance).Set(p+"position", strconv.Itoa(i+1))
	}
	return f, len(t.Sections) + blankTemplateRows
}

// templateInput reads the section rows in the order of their numbers
// (rows without a number keep their place after numbered ones). It
// returns, for each input section, the form row it came from, so errors
// land on the right row.
func templateInput(form url.Values) (models.PostmortemTemplateInput, []int) {
	in := models.PostmortemTemplateInput{Name: form.Get("name"), Description: form.Get("description"), Archived: form.Get("archived") == "1"}
	type row struct {
		index, pos int
		sec        models.TemplateSectionInput
	}
	var rows []row
	for i := 0; i < 200; i++ {
		p := "sections." + strconv.Itoa(i) + "."
		if _, ok := form[p+"title"]; !ok {
			if _, ok := form[p+"guidance"]; !ok {
				continue
			}
		}
		pos, err := strconv.Atoi(strings.TrimSpace(form.Get(p + "position")))
		if err != nil || pos <= 0 {
			pos = 1000 + i
		}
		rows = append(rows, row{index: i, pos: pos, sec: models.TemplateSectionInput{Key: form.Get(p + "key"), Title: form.Get(p + "title"), Guidance: form.Get(p + "guidance")}})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].pos < rows[b].pos })
	from := make([]int, 0, len(rows))
	for _, r := range rows {
		in.Sections = append(in.Sections, r.sec)
		from = append(from, r.index)
	}
	return in, from
}

// templateErrors maps "sections.N.x" errors of the sorted input back to
// form rows.
func templateErrors(ve *models.ValidationError, from []int) map[string]string {
	out := map[string]string{}
	for k, msg := range ve.Fields {
		if rest, ok := strings.CutPrefix(k, "sections."); ok {
			if n, field, ok := strings.Cut(rest, "."); ok {
				if i, err := strconv.Atoi(n); err == nil && i < len(from) {
					k = "sections." + strconv.Itoa(from[i]) + "." + field
				}
			}
		}
		out[k] = msg
	}
	return out
}

func countRows(form url.Values) int {
	n := 0
	for k := range form {
		if rest, ok := strings.CutPrefix(k, "sections."); ok {
			if idx, _, ok := strings.Cut(rest, "."); ok {
				if i, err := strconv.Atoi(idx); err == nil && i+1 > n {
					n = i + 1
				}
			}
		}
	}
	return n
}

func (h PostmortemTemplates) New(c echo.Context) error {
	m := views.PMTemplateForm{Form: views.NewForm(), Rows: 6}
	for i := 0; i < m.Rows; i++ {
		m.Form.Set("sections."+strconv.Itoa(i)+".position", strconv.Itoa(i+1))
	}
	return h.Render(c, http.StatusOK, views.PMTemplateEdit(h.Page(c, "New postmortem template", "admin"), m))
}

func (h PostmortemTemplates) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in, from := templateInput(form)
	_, err = models.CreatePostmortemTemplate(c.Request().Context(), h.DB, web.Actor(c), in)
	if ve, ok := models.AsValidation(err); ok {
		m := views.PMTemplateForm{Form: views.FormFrom(form).WithErrors(templateErrors(ve, from), ve.Global), Rows: countRows(form)}
		return h.Render(c, http.StatusUnprocessableEntity, views.PMTemplateEdit(h.Page(c, "New postmortem template", "admin"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Template created.")
	return h.Redirect(c, h.Path("admin.pm_templates"))
}

func (h PostmortemTemplates) Edit(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := models.GetPostmortemTemplate(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	f, rows := templateForm(t)
	m := views.PMTemplateForm{ID: t.ID, Editing: true, IsDefault: t.IsDefault, Form: f, Rows: rows}
	return h.Render(c, http.StatusOK, views.PMTemplateEdit(h.Page(c, "Edit "+t.Name, "admin"), m))
}

func (h PostmortemTemplates) Update(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := models.GetPostmortemTemplate(ctx, h.DB, id)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in, from := templateInput(form)
	_, err = models.UpdatePostmortemTemplate(ctx, h.DB, web.Actor(c), id, web.AtoiOr(form.Get("version"), -1), in)
	render := func(status int, f views.Form) error {
		m := views.PMTemplateForm{ID: id, Editing: true, IsDefault: t.IsDefault, Form: f, Rows: countRows(form)}
		return h.Render(c, status, views.PMTemplateEdit(h.Page(c, "Edit "+t.Name, "admin"), m))
	}
	if ve, ok := models.AsValidation(err); ok {
		return render(http.StatusUnprocessableEntity, views.FormFrom(form).WithErrors(templateErrors(ve, from), ve.Global))
	}
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.PostmortemTemplate)
		f := views.FormFrom(form).Set("version", strconv.Itoa(cur.Version))
		return render(http.StatusConflict, f.WithErrors(nil, []string{"Someone else saved this template while you were editing it (now " +
			views.Plural(len(cur.Sections), "section", "sections") + ", named “" + cur.Name + "”). Your version is below; save again to replace theirs, or cancel to see it."}))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Template saved. New postmortems use it from now on.")
	return h.Redirect(c, h.Path("admin.pm_templates"))
}

func (h PostmortemTemplates) Default(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.SetDefaultPostmortemTemplate(c.Request().Context(), h.DB, web.Actor(c), id); err != nil {
		return err
	}
	h.Flash(c, "ok", "Default template changed.")
	return h.Redirect(c, h.Path("admin.pm_templates"))
}
