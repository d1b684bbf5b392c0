package app

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/followup"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (s *Server) reminderSettings(c echo.Context) error {
	rs, err := models.GetReminderSettings(c.Request().Context(), s.db)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("days_before", strconv.Itoa(rs.DaysBefore)).Set("hour", strconv.Itoa(rs.Hour))
	return s.renderReminderSettings(c, http.StatusOK, f)
}

func (s *Server) renderReminderSettings(c echo.Context, status int, f views.Form) error {
	m := views.ReminderSettingsModel{Form: f, Zone: s.cfg.Location.String(), DigestWhen: followup.DigestSchedule}
	return s.render(c, status, views.ReminderSettingsPage(s.page(c, "Reminders", "admin"), m))
}

func (s *Server) reminderSettingsSave(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	days, derr := strconv.Atoi(form.Get("days_before"))
	hour, herr := strconv.Atoi(form.Get("hour"))
	if derr != nil || herr != nil {
		fields := map[string]string{}
		if derr != nil {
			fields["days_before"] = "Enter a whole number of days from 0 to 30."
		}
		if herr != nil {
			fields["hour"] = "Enter an hour from 0 to 23."
		}
		return s.renderReminderSettings(c, http.StatusUnprocessableEntity, f.WithErrors(fields, nil))
	}
	err = models.SaveReminderSettings(c.Request().Context(), s.db, actor(c), models.ReminderSettings{DaysBefore: days, Hour: hour})
	if ve, ok := models.AsValidation(err); ok {
		return s.renderReminderSettings(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Reminder settings saved. They apply from the next check (every hour).")
	return s.redirect(c, s.reverse("admin.reminders"))
}
