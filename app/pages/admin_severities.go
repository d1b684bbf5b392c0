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

// Severities serves the admin pages of incident severities.
type Severities struct{ base }

// asConflict returns the ConflictError inside err, if any.

func severityInput(f views.Form) models.SeverityInput {
	rank, err := strconv.Atoi(f.Get("rank"))
	if err != nil {
		rank = 0
	}
	return models.SeverityInput{Name: f.Get("name"), Rank: rank, Description: f.Get("description"), Color: f.Get("color")}
}

func (h Severities) severitiesPage(c echo.Context, status int, f views.Form) error {
	list, err := models.ListSeverities(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	if f.Get("color") == "" {
		f.Set("color", "slate")
	}
	if f.Get("rank") == "" && len(list) > 0 {
		f.Set("rank", strconv.Itoa(list[len(list)-1].Rank+1))
	}
	return h.Render(c, status, views.Severities(h.Page(c, "Severities", "admin"), severitiesView(list, f)))
}

func (h Severities) Index(c echo.Context) error {
	return h.severitiesPage(c, http.StatusOK, views.NewForm())
}

func (h Severities) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	sev, err := models.CreateSeverity(c.Request().Context(), h.DB, web.Actor(c), severityInput(f))
	if ve, ok := models.AsValidation(err); ok {
		return h.severitiesPage(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Severity "+sev.Name+" added.")
	return h.Redirect(c, h.Path("admin.severities"))
}

func (h Severities) Edit(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	sev, err := models.GetSeverity(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("name", sev.Name).Set("rank", strconv.Itoa(sev.Rank)).
		Set("description", sev.Description).Set("color", sev.Color).Set("version", strconv.Itoa(sev.Version))
	return h.Render(c, http.StatusOK, views.SeverityEdit(h.Page(c, "Edit "+sev.Name, "admin"), severityEditView(sev, f)))
}

func (h Severities) Update(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sev, err := models.GetSeverity(ctx, h.DB, id)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	version, _ := strconv.Atoi(f.Get("version"))
	_, err = models.UpdateSeverity(ctx, h.DB, web.Actor(c), id, version, severityInput(f))
	if ve, ok := models.AsValidation(err); ok {
		return h.Render(c, http.StatusUnprocessableEntity, views.SeverityEdit(h.Page(c, "Edit "+sev.Name, "admin"), severityEditView(sev, f.WithErrors(ve.Fields, ve.Global))))
	}
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Severity)
		f.Set("version", strconv.Itoa(cur.Version))
		return h.Render(c, http.StatusConflict, views.SeverityEdit(h.Page(c, "Edit "+sev.Name, "admin"), severityEditView(cur, f.WithErrors(nil, []string{
			"Someone else changed this severity (now " + cur.Name + ", rank " + strconv.Itoa(cur.Rank) + "). Save again to keep your values.",
		}))))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Severity saved.")
	return h.Redirect(c, h.Path("admin.severities"))
}

func (h Severities) Delete(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeleteSeverity(c.Request().Context(), h.DB, web.Actor(c), id); err != nil {
		if errors.Is(err, models.ErrInvalidState) {
			h.Flash(c, "bad", web.Message(err))
			return h.Redirect(c, h.Path("admin.severities.edit", id))
		}
		return err
	}
	h.Flash(c, "ok", "Severity deleted.")
	return h.Redirect(c, h.Path("admin.severities"))
}
