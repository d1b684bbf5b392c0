package pages

import (
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// postmortemStatusOptions are the postmortem statuses in order, labelled.
func postmortemStatusOptions() []views.Option {
	out := make([]views.Option, 0, len(models.PostmortemStatuses()))
	for _, s := range models.PostmortemStatuses() {
		out = append(out, views.Option{Value: s, Label: models.PostmortemStatusLabel(s)})
	}
	return out
}

// pmOverrides carries what a failed submit typed back into the page.
type pmOverrides struct {
	sections   map[int64]views.PMSection
	factorForm *views.Form
	actionForm *views.Form
	people     *views.Form
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
