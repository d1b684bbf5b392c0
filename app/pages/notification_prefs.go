package pages

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// accountNotifications is the page holding the MuteRemindersForm and
// CalendarFeedCard fragments; the account page can embed the same
// fragments (build their model with notificationPrefs).
func (h Notifications) Account(c echo.Context) error {
	m, err := h.notificationPrefs(c, h.Path("account.notifications"))
	if err != nil {
		return err
	}
	if tok, ok := h.Sessions.Pop(c.Request().Context(), "calendar_url").(string); ok {
		m.CalendarURL = tok
	}
	return h.Render(c, http.StatusOK, views.AccountNotificationsPage(h.Page(c, "Notifications and calendar", ""), m))
}

// notificationPrefs builds the fragments' model for the signed-in user;
// next is the page the forms return to.
func (h Notifications) notificationPrefs(c echo.Context, next string) (views.NotificationPrefs, error) {
	u := web.CurrentUser(c)
	m := views.NotificationPrefs{MuteReminders: u.MuteReminders, Next: next}
	t, err := models.ActiveCalendarToken(c.Request().Context(), h.DB, u.ID)
	switch {
	case err == nil:
		m.CalendarActive, m.CalendarPrefix, m.CalendarCreated, m.CalendarUsed = true, t.Prefix, t.CreatedAt, t.LastUsedAt
	case !errors.Is(err, models.ErrNotFound):
		return m, err
	}
	return m, nil
}

// backTo is the form's "next" page, kept on this site.
func (h Notifications) backTo(form url.Values) string {
	next := web.SafeNext(form.Get("next"))
	if next == "/" {
		return h.Path("account.notifications")
	}
	return next
}

func (h Notifications) Mute(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	mute := form.Get("mute") == "true"
	if err := models.SetMuteReminders(c.Request().Context(), h.DB, web.Actor(c), web.CurrentUser(c).ID, mute); err != nil {
		return err
	}
	if mute {
		h.Flash(c, "ok", "Reminders are muted. Team digests still come.")
	} else {
		h.Flash(c, "ok", "Reminders are on again.")
	}
	return h.Redirect(c, h.backTo(form))
}

func (h Notifications) CalendarNew(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, plain, err := models.NewCalendarToken(c.Request().Context(), h.DB, web.Actor(c), web.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	// Shown once, on the next page, then gone.
	h.Sessions.Put(c.Request().Context(), "calendar_url", h.ExternalURL(c)+h.Path("calendar.feed", plain+".ics"))
	return h.Redirect(c, h.backTo(form))
}

func (h Notifications) CalendarRevoke(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	err = models.RevokeCalendarToken(c.Request().Context(), h.DB, web.Actor(c), web.CurrentUser(c).ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	h.Flash(c, "ok", "Your calendar link no longer works. Remove the subscription from your calendar app.")
	return h.Redirect(c, h.backTo(form))
}
