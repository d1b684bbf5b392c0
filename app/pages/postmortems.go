package pages

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Postmortems serves postmortems: the list, writing one for an incident, its sections, factors, action items, review and export.
type Postmortems struct{ base }

// Postmortems: one per incident, at /incidents/:key/postmortem. Sections
// autosave (postmortem_sections.go); this file holds the page, creation,
// people, status, factors, action items, export and print.

// loadPostmortem finds the incident of :key and its postmortem.
func (b base) loadPostmortem(c echo.Context) (*models.Incident, *models.Postmortem, error) {
	return models.GetIncidentPostmortem(c.Request().Context(), b.DB, c.Param("key"))
}

// pmOverrides carries what a failed submit typed back into the page.
type pmOverrides struct {
	sections   map[int64]views.PMSection
	factorForm *views.Form
	actionForm *views.Form
	people     *views.Form
}

func userLabel(u *models.User) string {
	if u == nil {
		return ""
	}
	return u.Name
}

func idString(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

// personOptions offers the users with at least role min, by ID, after
// "nobody yet".
func personOptions(users []models.User, min models.Role) []views.Option {
	out := []views.Option{{Value: "", Label: "— nobody yet —"}}
	for _, u := range users {
		if u.Role.Allows(min) {
			out = append(out, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
		}
	}
	return out
}

// blamelessNames are the people a narrative may name as a cause: every
// active user.
func blamelessNames(users []models.User) []string {
	names := make([]string, 0, len(users))
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

// hintViews turns the detector's hints into what a page shows, with a few
// words of context on either side.
func hintViews(text string, hints []models.BlamelessHint) []views.HintView {
	out := make([]views.HintView, 0, len(hints))
	for _, h := range hints {
		out = append(out, views.HintView{Phrase: h.Phrase, Kind: h.Kind, Why: h.Why, Suggest: h.Suggest,
			Before: contextBefore(text[:h.Start], 40), After: contextAfter(text[h.End:], 40)})
	}
	return out
}

func contextBefore(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func contextAfter(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

func (h Postmortems) sectionView(c echo.Context, inc *models.Incident, pm *models.Postmortem, sec *models.PostmortemSection, canEdit bool, names []string) views.PMSection {
	v := views.PMSection{
		PostmortemID: pm.ID, IncidentKey: inc.Key(), ID: sec.ID, Key: sec.Key, Title: sec.Title, Guidance: sec.Guidance,
		Body: sec.Body, Version: sec.Version, CanEdit: canEdit,
		Hints: hintViews(sec.Body, models.BlamelessHints(sec.Body, names)),
	}
	if sec.UpdatedBy != nil && sec.Version > 1 {
		v.EditedBy, v.EditedAt = sec.UpdatedBy.Name, h.fmtTime(c, sec.UpdatedAt)
	}
	return v
}

func (b base) pmHeader(c echo.Context, inc *models.Incident, pm *models.Postmortem) views.PostmortemHeader {
	return views.PostmortemHeader{
		ID: pm.ID, IncidentKey: inc.Key(), Title: inc.Title, Severity: severityView(inc.Severity), Status: pm.Status,
		StatusLabel: models.PostmortemStatusLabel(pm.Status), Owner: userLabel(pm.Owner), Facilitator: userLabel(pm.Facilitator), Due: datePtrString(pm.DueDate),
		Overdue: pm.Overdue(b.Today()), Started: inc.StartedAt, Published: pm.PublishedAt,
	}
}

// postmortemPage builds the whole page for the viewer.
func (h Postmortems) postmortemPage(c echo.Context, inc *models.Incident, pm *models.Postmortem, o pmOverrides) (views.PostmortemPage, error) {
	ctx := c.Request().Context()
	m := views.PostmortemPage{
		PostmortemHeader: h.pmHeader(c, inc, pm), Durations: incidentDurations(inc), Version: pm.Version,
		CanEdit: pm.Editable() && h.Can(c, "postmortems.section.save"), CanAct: h.Can(c, "postmortems.actions.create"),
		CanReview: h.Can(c, "postmortems.publish"), CanReopen: h.Can(c, "postmortems.reopen"),
		CanRunRetro: h.Can(c, "retros.create") && h.retrosEnabled(),
	}
	users, err := h.activeUsers(ctx)
	if err != nil {
		return m, err
	}
	names := blamelessNames(users)
	revs, err := models.CountSectionRevisions(ctx, h.DB, pm.ID)
	if err != nil {
		return m, err
	}
	for i := range pm.Sections {
		sec := &pm.Sections[i]
		v := h.sectionView(c, inc, pm, sec, m.CanEdit, names)
		v.Revisions = revs[sec.ID]
		if ov, ok := o.sections[sec.ID]; ok {
			v = ov
		}
		m.HintCount += len(v.Hints)
		m.Sections = append(m.Sections, v)
	}
	events, err := models.ListTimeline(ctx, h.DB, inc.ID)
	if err != nil {
		return m, err
	}
	for _, e := range events {
		m.Timeline = append(m.Timeline, views.PostmortemTimelineEvent{At: e.OccurredAt, Kind: e.Kind, Text: e.Text})
	}
	factors, err := models.ListPostmortemFactors(ctx, h.DB, pm.ID)
	if err != nil {
		return m, err
	}
	themes, err := h.factorThemes(c, factors)
	if err != nil {
		return m, err
	}
	for _, f := range factors {
		fv := views.FactorView{ID: f.ID, Kind: f.Kind, Title: f.Title, Description: f.Description, By: userLabel(f.CreatedBy), FromRetro: themes[f.ID]}
		if fv.By == "" {
			fv.By = "Someone"
		}
		m.Factors = append(m.Factors, fv)
	}
	items, err := models.ListPostmortemActionItems(ctx, h.DB, pm.ID)
	if err != nil {
		return m, err
	}
	m.Actions = h.actionRows(items)
	m.Owners = append([]views.Option{{Value: "", Label: "— choose later —"}}, emailOptions(users, models.RoleMember)...)
	m.Components = []views.Option{}
	if len(inc.Components) > 0 {
		m.Components = append(m.Components, views.Option{Value: "", Label: "— none —"})
		for _, comp := range inc.Components {
			m.Components = append(m.Components, views.Option{Value: comp.Slug, Label: comp.Name})
		}
	}
	m.PeopleOpts = personOptions(users, models.RoleMember)
	m.People = views.NewForm().Set("owner", idString(pm.OwnerID)).Set("facilitator", idString(pm.FacilitatorID)).Set("due_date", datePtrString(pm.DueDate))
	m.FactorForm = views.NewForm().Set("kind", models.FactorContributing)
	m.ActionForm = views.NewForm().Set("priority", models.PriorityMedium).Set("owner", web.CurrentUser(c).Email)
	if o.people != nil {
		m.People = *o.people
	}
	if o.factorForm != nil {
		m.FactorForm = *o.factorForm
	}
	if o.actionForm != nil {
		m.ActionForm = *o.actionForm
	}
	if err := h.fillPostmortemRetros(c, pm, &m); err != nil {
		return m, err
	}
	return m, nil
}

func (h Postmortems) renderPostmortem(c echo.Context, status int, inc *models.Incident, pm *models.Postmortem, o pmOverrides) error {
	m, err := h.postmortemPage(c, inc, pm, o)
	if err != nil {
		return err
	}
	p := h.Page(c, "Postmortem "+inc.Key(), "incidents")
	p.Scripts = append(p.Scripts, "js/postmortems.js")
	return h.Render(c, status, views.PostmortemShow(p, m))
}

func (h Postmortems) Show(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if errors.Is(err, models.ErrNotFound) && inc != nil {
		if h.Can(c, "postmortems.new") {
			return h.Redirect(c, h.Path("postmortems.new", inc.Key()))
		}
		return echo.NewHTTPError(http.StatusNotFound, inc.Key()+" has no postmortem yet.")
	}
	if err != nil {
		return err
	}
	return h.renderPostmortem(c, http.StatusOK, inc, pm, pmOverrides{})
}

func (h Postmortems) postmortemNewModel(c echo.Context, inc *models.Incident, f views.Form) (views.PostmortemNewPage, error) {
	ctx := c.Request().Context()
	m := views.PostmortemNewPage{IncidentKey: inc.Key(), IncidentTitle: inc.Title, Form: f}
	tpls, err := models.ListPostmortemTemplates(ctx, h.DB, false)
	if err != nil {
		return m, err
	}
	for _, t := range tpls {
		label := t.Name
		if t.IsDefault {
			label += " (default)"
		}
		m.Templates = append(m.Templates, views.Option{Value: strconv.FormatInt(t.ID, 10), Label: label})
	}
	users, err := h.activeUsers(ctx)
	m.People = personOptions(users, models.RoleMember)
	return m, err
}

func (h Postmortems) New(c echo.Context) error {
	ctx := c.Request().Context()
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	if _, err := models.GetPostmortemOfIncident(ctx, h.DB, inc.ID); err == nil {
		return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
	}
	sug, err := models.SuggestPostmortem(ctx, h.DB, web.Actor(c), inc, h.Today())
	if err != nil {
		return err
	}
	f := views.NewForm().Set("template", strconv.FormatInt(sug.TemplateID, 10)).Set("owner", idString(sug.OwnerID)).
		Set("facilitator", idString(sug.FacilitatorID)).Set("due_date", sug.DueDate.String())
	m, err := h.postmortemNewModel(c, inc, f)
	if err != nil {
		return err
	}
	m.Why = sug.Why
	return h.Render(c, http.StatusOK, views.PostmortemNew(h.Page(c, "Start the postmortem of "+inc.Key(), "incidents"), m))
}

// optionalUserID reads a user id field ("" is nobody).
func optionalUserID(form url.Values, name string, v *models.ValidationError) *int64 {
	raw := form.Get(name)
	if raw == "" {
		return nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add(name, "Choose a person from the list.")
		return nil
	}
	return &id
}

func (h Postmortems) Create(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	perr := &models.ValidationError{}
	in := models.NewPostmortem{
		TemplateID: int64(web.AtoiOr(form.Get("template"), 0)), OwnerID: optionalUserID(form, "owner", perr),
		FacilitatorID: optionalUserID(form, "facilitator", perr), DueDate: form.Get("due_date"),
	}
	var pm *models.Postmortem
	if err = perr.Err(); err == nil {
		pm, err = models.CreatePostmortem(c.Request().Context(), h.DB, web.Actor(c), inc.ID, in)
	}
	if errors.Is(err, models.ErrDuplicate) {
		h.Flash(c, "info", inc.Key()+" already has a postmortem.")
		return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
	}
	if ve, ok := models.AsValidation(err); ok {
		m, merr := h.postmortemNewModel(c, inc, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.PostmortemNew(h.Page(c, "Start the postmortem of "+inc.Key(), "incidents"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Postmortem started. Sections save themselves as you write.")
	return h.Redirect(c, h.Path("postmortems.show", pm.Incident.Key()))
}

func (h Postmortems) People(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	perr := &models.ValidationError{}
	in := models.PostmortemPeople{OwnerID: optionalUserID(form, "owner", perr), FacilitatorID: optionalUserID(form, "facilitator", perr), DueDate: form.Get("due_date")}
	up := pm
	if err = perr.Err(); err == nil {
		up, err = models.UpdatePostmortemPeople(c.Request().Context(), h.DB, web.Actor(c), pm.ID, web.AtoiOr(form.Get("version"), -1), in)
	}
	f := views.FormFrom(form)
	status := http.StatusOK
	if ve, ok := models.AsValidation(err); ok {
		f, status = f.WithErrors(ve.Fields, ve.Global), http.StatusUnprocessableEntity
	} else if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Postmortem)
		f = f.WithErrors(nil, []string{"Someone else changed the people or due date a moment ago (now: owner " + orNobody(userLabel(cur.Owner)) +
			", facilitator " + orNobody(userLabel(cur.Facilitator)) + ", due " + orNobody(datePtrString(cur.DueDate)) + "). Your choices are below; save again to keep them."})
		status, up = http.StatusConflict, cur
	} else if err != nil {
		return err
	}
	if status == http.StatusOK {
		if !web.IsHTMX(c) {
			h.Flash(c, "ok", "Saved.")
			return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
		}
		f = views.NewForm().Set("owner", idString(up.OwnerID)).Set("facilitator", idString(up.FacilitatorID)).Set("due_date", datePtrString(up.DueDate))
	}
	if !web.IsHTMX(c) {
		return h.renderPostmortem(c, status, inc, up, pmOverrides{people: &f})
	}
	m, err := h.postmortemPage(c, inc, up, pmOverrides{people: &f})
	if err != nil {
		return err
	}
	return h.Render(c, status, views.PostmortemPeopleCard(m))
}

func orNobody(s string) string {
	if s == "" {
		return "nobody"
	}
	return s
}

// postmortemStatus handles the three status routes (their access levels
// differ in the route table: publishing is for facilitators, reopening
// for admins).
func (h Postmortems) Status(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	from, to := form.Get("from"), form.Get("to")
	switch r, _ := h.Routes.Of(c); r.Name {
	case "postmortems.publish":
		to = models.PostmortemPublished
	case "postmortems.reopen":
		from, to = models.PostmortemPublished, models.PostmortemDraft
	default:
		if to == models.PostmortemPublished || from == models.PostmortemPublished {
			return fmt.Errorf("app: %w: use the publish or reopen action", models.ErrForbidden)
		}
	}
	_, err = models.ChangePostmortemStatus(c.Request().Context(), h.DB, web.Actor(c), pm.ID, from, to)
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Postmortem)
		h.Flash(c, "warn", "The postmortem is "+models.PostmortemStatusLabel(cur.Status)+" already; nothing changed.")
		return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
	}
	if err != nil {
		return err
	}
	msg := map[string]string{
		models.PostmortemInReview:  "Sent for review. Reviewers see the blameless check at the top.",
		models.PostmortemPublished: "Published. The document is read-only now; action items stay open for follow-through.",
		models.PostmortemDraft:     "Back to draft.",
	}[to]
	h.Flash(c, "ok", msg)
	return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
}

func (h Postmortems) FactorCreate(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.AddPostmortemFactor(c.Request().Context(), h.DB, web.Actor(c), pm.ID,
		models.FactorInput{Kind: form.Get("kind"), Title: form.Get("title"), Description: form.Get("description")})
	var o pmOverrides
	status := http.StatusOK
	if ve, ok := models.AsValidation(err); ok {
		f := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		o.factorForm, status = &f, http.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	return h.renderFactors(c, status, inc, pm, o)
}

func (h Postmortems) renderFactors(c echo.Context, status int, inc *models.Incident, pm *models.Postmortem, o pmOverrides) error {
	if !web.IsHTMX(c) {
		if status == http.StatusOK {
			return h.Redirect(c, h.Path("postmortems.show", inc.Key())+"#pm-factors")
		}
		return h.renderPostmortem(c, status, inc, pm, o)
	}
	m, err := h.postmortemPage(c, inc, pm, o)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.FactorsBlock(m))
}

func (h Postmortems) FactorDelete(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeletePostmortemFactor(c.Request().Context(), h.DB, web.Actor(c), pm.ID, id); err != nil {
		return err
	}
	return h.renderFactors(c, http.StatusOK, inc, pm, pmOverrides{})
}

func (h Postmortems) ActionCreate(c echo.Context) error {
	ctx := c.Request().Context()
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in := models.NewActionItem{ActionItemInput: actionInput(form), ComponentSlug: form.Get("component")}
	_, err = models.CreatePostmortemActionItem(ctx, h.DB, web.Actor(c), pm.ID, in)
	if ve, ok := models.AsValidation(err); ok {
		f := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		return h.renderPostmortem(c, http.StatusUnprocessableEntity, inc, pm, pmOverrides{actionForm: &f})
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Action item added.")
	return h.Redirect(c, h.Path("postmortems.show", inc.Key())+"#pm-actions")
}

func (h Postmortems) Export(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	m, err := h.postmortemPage(c, inc, pm, pmOverrides{})
	if err != nil {
		return err
	}
	md := views.PostmortemMarkdown(m, h.viewerLoc(c), h.Now())
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-postmortem.md"`, inc.Key()))
	return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(md))
}

func (h Postmortems) Print(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	m, err := h.postmortemPage(c, inc, pm, pmOverrides{})
	if err != nil {
		return err
	}
	p := h.Page(c, "Postmortem "+inc.Key()+" (print)", "incidents")
	p.Scripts = append(p.Scripts, "js/postmortems.js")
	return h.Render(c, http.StatusOK, views.PostmortemPrint(p, m))
}

func (h Postmortems) Index(c echo.Context) error {
	ctx := c.Request().Context()
	status := c.QueryParam("status")
	f := models.PostmortemFilter{Today: h.Today()}
	switch status {
	case "overdue":
		f.Overdue = true
	case models.PostmortemDraft, models.PostmortemInReview, models.PostmortemPublished:
		f.Status = status
	default:
		status = ""
	}
	list, err := models.ListPostmortems(ctx, h.DB, f)
	if err != nil {
		return err
	}
	counts, err := models.CountPostmortemsByStatus(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.PostmortemListPage{Statuses: postmortemStatusOptions(), Status: status, Counts: counts}
	for _, n := range counts {
		m.Total += n
	}
	for _, pm := range list {
		m.Rows = append(m.Rows, views.PostmortemRow{
			IncidentKey: pm.Incident.Key(), Title: pm.Incident.Title, Severity: severityView(pm.Incident.Severity), Status: pm.Status,
			StatusLabel: models.PostmortemStatusLabel(pm.Status), Owner: userLabel(pm.Owner), Due: datePtrString(pm.DueDate), Overdue: pm.Overdue(h.Today()), Started: pm.Incident.StartedAt,
		})
	}
	return h.Render(c, http.StatusOK, views.PostmortemList(h.Page(c, "Postmortems", "incidents"), m))
}
