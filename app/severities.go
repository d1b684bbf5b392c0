package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// asConflict returns the ConflictError inside err, if any.
func asConflict(err error) (*models.ConflictError, bool) {
	var ce *models.ConflictError
	ok := errors.As(err, &ce)
	return ce, ok
}

func severityInput(f views.Form) models.SeverityInput {
	rank, err := strconv.Atoi(f.Get("rank"))
	if err != nil {
		rank = 0
	}
	return models.SeverityInput{Name: f.Get("name"), Rank: rank, Description: f.Get("description"), Color: f.Get("color")}
}

func (s *Server) severitiesPage(c echo.Context, status int, f views.Form) error {
	list, err := models.ListSeverities(c.Request().Context(), s.db)
	if err != nil {
		return err
	}
	if f.Get("color") == "" {
		f.Set("color", "slate")
	}
	if f.Get("rank") == "" && len(list) > 0 {
		f.Set("rank", strconv.Itoa(list[len(list)-1].Rank+1))
	}
	return s.render(c, status, views.Severities(s.page(c, "Severities", "admin"), severitiesView(list, f)))
}

func (s *Server) severitiesIndex(c echo.Context) error {
	return s.severitiesPage(c, http.StatusOK, views.NewForm())
}

func (s *Server) severityCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	sev, err := models.CreateSeverity(c.Request().Context(), s.db, actor(c), severityInput(f))
	if ve, ok := models.AsValidation(err); ok {
		return s.severitiesPage(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Severity "+sev.Name+" added.")
	return s.redirect(c, s.reverse("admin.severities"))
}

func (s *Server) severityEdit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sev, err := models.GetSeverity(c.Request().Context(), s.db, id)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("name", sev.Name).Set("rank", strconv.Itoa(sev.Rank)).
		Set("description", sev.Description).Set("color", sev.Color).Set("version", strconv.Itoa(sev.Version))
	return s.render(c, http.StatusOK, views.SeverityEdit(s.page(c, "Edit "+sev.Name, "admin"), severityEditView(sev, f)))
}

func (s *Server) severityUpdate(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sev, err := models.GetSeverity(ctx, s.db, id)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	version, _ := strconv.Atoi(f.Get("version"))
	_, err = models.UpdateSeverity(ctx, s.db, actor(c), id, version, severityInput(f))
	if ve, ok := models.AsValidation(err); ok {
		return s.render(c, http.StatusUnprocessableEntity, views.SeverityEdit(s.page(c, "Edit "+sev.Name, "admin"), severityEditView(sev, f.WithErrors(ve.Fields, ve.Global))))
	}
	if ce, ok := asConflict(err); ok {
		cur := ce.Current.(*models.Severity)
		f.Set("version", strconv.Itoa(cur.Version))
		return s.render(c, http.StatusConflict, views.SeverityEdit(s.page(c, "Edit "+sev.Name, "admin"), severityEditView(cur, f.WithErrors(nil, []string{
			"Someone else changed this severity (now " + cur.Name + ", rank " + strconv.Itoa(cur.Rank) + "). Save again to keep your values.",
		}))))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Severity saved.")
	return s.redirect(c, s.reverse("admin.severities"))
}

func (s *Server) severityDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeleteSeverity(c.Request().Context(), s.db, actor(c), id); err != nil {
		if errors.Is(err, models.ErrInvalidState) {
			s.flash(c, "bad", unwrapMessage(err))
			return s.redirect(c, s.reverse("admin.severities.edit", id))
		}
		return err
	}
	s.flash(c, "ok", "Severity deleted.")
	return s.redirect(c, s.reverse("admin.severities"))
}
