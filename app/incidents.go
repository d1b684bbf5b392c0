package app

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// loadIncident finds the incident named by the :key path parameter.
func (s *Server) loadIncident(c echo.Context) (*models.Incident, error) {
	return models.GetIncidentByKey(c.Request().Context(), s.db, c.Param("key"))
}

func (s *Server) incidentFormModel(c echo.Context, f views.Form, inc *models.Incident) (views.IncidentFormModel, error) {
	choices, err := models.LoadIncidentChoices(c.Request().Context(), s.db)
	if err != nil {
		return views.IncidentFormModel{}, err
	}
	return incidentFormView(f, choices, inc, s.viewerLoc(c), s.now()), nil
}

// incidentNew shows the declare form, started now.
func (s *Server) incidentNew(c echo.Context) error {
	now := s.now()
	f := views.NewForm().Set("status", string(models.StatusInvestigating)).
		Set("started_at", views.InputTime(&now, s.viewerLoc(c)))
	if u := currentUser(c); u != nil {
		f.Set("commander", strconv.FormatInt(u.ID, 10))
	}
	m, err := s.incidentFormModel(c, f, nil)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.IncidentForm(s.page(c, "Declare an incident", "incidents"), m))
}

func (s *Server) incidentCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in, perr := s.incidentInputFromForm(c, form, nil)
	var inc *models.Incident
	if err = formErrors(&in, perr); err == nil {
		inc, err = models.CreateIncident(c.Request().Context(), s.db, actor(c), in)
	}
	if ve, ok := models.AsValidation(err); ok {
		addValidation(ve, perr)
		m, merr := s.incidentFormModel(c, f.WithErrors(ve.Fields, ve.Global), nil)
		if merr != nil {
			return merr
		}
		return s.render(c, http.StatusUnprocessableEntity, views.IncidentForm(s.page(c, "Declare an incident", "incidents"), m))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", inc.Key()+" declared. Add what you see to the timeline as you go.")
	return s.redirect(c, s.reverse("incidents.show", inc.Key()))
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

func (s *Server) incidentShow(c echo.Context) error {
	inc, err := s.loadIncident(c)
	if err != nil {
		return err
	}
	tl, err := s.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	return s.renderIncidentPage(c, http.StatusOK, inc, tl)
}

// renderIncidentPage renders the whole incident page with timeline state
// tl (an event being edited, a form with its errors): the incident page
// itself, and what a timeline form without JavaScript gets back.
func (s *Server) renderIncidentPage(c echo.Context, status int, inc *models.Incident, tl views.TimelineModel) error {
	m := views.IncidentShowModel{Incident: *incidentView(inc), Timeline: tl, CanEdit: currentUser(c).Role.Allows(models.RoleMember)}
	var err error
	if m.Postmortem, err = s.incidentPostmortem(c, inc); err != nil {
		return err
	}
	return s.render(c, status, views.IncidentShow(s.page(c, inc.Key()+" "+inc.Title, "incidents"), m))
}

func (s *Server) incidentEdit(c echo.Context) error {
	inc, err := s.loadIncident(c)
	if err != nil {
		return err
	}
	m, err := s.incidentFormModel(c, s.incidentForm(c, inc), inc)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.IncidentForm(s.page(c, "Edit "+inc.Key(), "incidents"), m))
}

func (s *Server) incidentUpdate(c echo.Context) error {
	inc, err := s.loadIncident(c)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in, perr := s.incidentInputFromForm(c, form, inc)
	version, _ := strconv.Atoi(form.Get("version"))
	if version == 0 {
		version = -1 // a form without a version is always stale
	}
	var up *models.Incident
	if err = formErrors(&in, perr); err == nil {
		up, err = models.UpdateIncident(c.Request().Context(), s.db, actor(c), inc.ID, version, in)
	}
	render := func(status int, f views.Form) error {
		m, merr := s.incidentFormModel(c, f, inc)
		if merr != nil {
			return merr
		}
		return s.render(c, status, views.IncidentForm(s.page(c, "Edit "+inc.Key(), "incidents"), m))
	}
	if ve, ok := models.AsValidation(err); ok {
		addValidation(ve, perr)
		return render(http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if ce, ok := asConflict(err); ok {
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
	s.flash(c, "ok", up.Key()+" saved.")
	return s.redirect(c, s.reverse("incidents.show", up.Key()))
}
