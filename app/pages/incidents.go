package pages

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Incidents serves incident records: the list and its export, declaring, the incident page and editing.
type Incidents struct{ base }

// loadIncident finds the incident named by the :key path parameter.
func (b base) loadIncident(c echo.Context) (*models.Incident, error) {
	return models.GetIncidentByKey(c.Request().Context(), b.DB, c.Param("key"))
}

func (h Incidents) incidentFormModel(c echo.Context, f views.Form, inc *models.Incident) (views.IncidentFormModel, error) {
	choices, err := models.LoadIncidentChoices(c.Request().Context(), h.DB)
	if err != nil {
		return views.IncidentFormModel{}, err
	}
	return incidentFormView(f, choices, inc, h.viewerLoc(c), h.Now()), nil
}

// incidentNew shows the declare form, started now.
func (h Incidents) New(c echo.Context) error {
	now := h.Now()
	f := views.NewForm().Set("status", string(models.StatusInvestigating)).
		Set("started_at", views.InputTime(&now, h.viewerLoc(c)))
	if u := web.CurrentUser(c); u != nil {
		f.Set("commander", strconv.FormatInt(u.ID, 10))
	}
	m, err := h.incidentFormModel(c, f, nil)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.IncidentForm(h.Page(c, "Declare an incident", "incidents"), m))
}

func (h Incidents) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in, perr := h.incidentInputFromForm(c, form, nil)
	var inc *models.Incident
	if err = formErrors(&in, perr); err == nil {
		inc, err = models.CreateIncident(c.Request().Context(), h.DB, web.Actor(c), in)
	}
	if ve, ok := models.AsValidation(err); ok {
		addValidation(ve, perr)
		m, merr := h.incidentFormModel(c, f.WithErrors(ve.Fields, ve.Global), nil)
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.IncidentForm(h.Page(c, "Declare an incident", "incidents"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", inc.Key()+" declared. Add what you see to the timeline as you go.")
	return h.Redirect(c, h.Path("incidents.show", inc.Key()))
}

// formErrors reports the form's parse errors together with every rule the
// model checks without the database, so one submit shows all problems.
func formErrors(in *models.IncidentInput, perr *models.ValidationError) error {
	if perr.Err() == nil {
		return nil
	}
	ve := in.Validate()
	addValidation(perr, ve)
	return perr
}

// addValidation adds the messages of src to dst.
func addValidation(dst, src *models.ValidationError) {
	if src == nil || dst == src {
		return
	}
	for k, v := range src.Fields {
		dst.Add(k, v)
	}
	dst.Global = append(dst.Global, src.Global...)
}

func (h Incidents) Show(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	tl, err := h.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	return h.renderIncidentPage(c, http.StatusOK, inc, tl)
}

// renderIncidentPage renders the whole incident page with timeline state
// tl (an event being edited, a form with its errors): the incident page
// itself, and what a timeline form without JavaScript gets back.
func (b base) renderIncidentPage(c echo.Context, status int, inc *models.Incident, tl views.TimelineModel) error {
	m := views.IncidentShowModel{Incident: *incidentView(inc), Timeline: tl, CanEdit: b.Can(c, "incidents.update")}
	var err error
	if m.Postmortem, err = b.incidentPostmortem(c, inc); err != nil {
		return err
	}
	return b.Render(c, status, views.IncidentShow(b.Page(c, inc.Key()+" "+inc.Title, "incidents"), m))
}

func (h Incidents) Edit(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	m, err := h.incidentFormModel(c, h.incidentForm(c, inc), inc)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.IncidentForm(h.Page(c, "Edit "+inc.Key(), "incidents"), m))
}

func (h Incidents) Update(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in, perr := h.incidentInputFromForm(c, form, inc)
	version, _ := strconv.Atoi(form.Get("version"))
	if version == 0 {
		version = -1 // a form without a version is always stale
	}
	var up *models.Incident
	if err = formErrors(&in, perr); err == nil {
		up, err = models.UpdateIncident(c.Request().Context(), h.DB, web.Actor(c), inc.ID, version, in)
	}
	render := func(status int, f views.Form) error {
		m, merr := h.incidentFormModel(c, f, inc)
		if merr != nil {
			return merr
		}
		return h.Render(c, status, views.IncidentForm(h.Page(c, "Edit "+inc.Key(), "incidents"), m))
	}
	if ve, ok := models.AsValidation(err); ok {
		addValidation(ve, perr)
		return render(http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Incident)
		f.Set("version", strconv.Itoa(cur.Version))
		return render(http.StatusConflict, f.WithErrors(nil, []string{
			"Someone else changed " + cur.Key() + " while you were editing. Your values are below; the stored version now has status " +
				string(cur.Status) + " and title “" + cur.Title + "”. Save again to overwrite it with yours, or cancel to see theirs.",
		}))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", up.Key()+" saved.")
	return h.Redirect(c, h.Path("incidents.show", up.Key()))
}
