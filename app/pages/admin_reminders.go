package pages

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/followup"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Reminders serves the admin settings of action item reminders and digests.
type Reminders struct{ base }

func (h Reminders) Settings(c echo.Context) error {
	rs, err := models.GetReminderSettings(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("days_before", strconv.Itoa(rs.DaysBefore)).Set("hour", strconv.Itoa(rs.Hour))
	return h.renderReminderSettings(c, http.StatusOK, f)
}

func (h Reminders) renderReminderSettings(c echo.Context, status int, f views.Form) error {
	m := views.ReminderSettingsModel{Form: f, Zone: h.Location.String(), DigestWhen: followup.DigestSchedule}
	return h.Render(c, status, views.ReminderSettingsPage(h.Page(c, "Reminders", "admin"), m))
}

func (h Reminders) Save(c echo.Context) error {
	form, err := web.FormValues(c)
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
		return h.renderReminderSettings(c, http.StatusUnprocessableEntity, f.WithErrors(fields, nil))
	}
	err = models.SaveReminderSettings(c.Request().Context(), h.DB, web.Actor(c), models.ReminderSettings{DaysBefore: days, Hour: hour})
	if ve, ok := models.AsValidation(err); ok {
		return h.renderReminderSettings(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Reminder settings saved. They apply from the next check (every hour).")
	return h.Redirect(c, h.Path("admin.reminders"))
}
