package pages

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

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
