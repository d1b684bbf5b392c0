package pages

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Notifications) Settings(c echo.Context) error {
	return h.renderNotificationSettings(c, http.StatusOK, 0, views.Form{})
}

// renderNotificationSettings shows the page; failedTeam's form shows
// failed (the values typed and the messages) instead of the stored values.
func (h Notifications) renderNotificationSettings(c echo.Context, status int, failedTeam int64, failed views.Form) error {
	teams, err := models.ListTeams(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	m := views.NotificationSettingsModel{MailConfigured: h.Mailer != nil}
	if h.Mailer != nil {
		from := h.Mailer.From()
		m.SMTP, m.MailFrom = h.Mailer.Config().Redacted(), from.Address
		if from.Name != "" {
			m.MailFrom = from.Name + " <" + from.Address + ">"
		}
	}
	for _, t := range teams {
		row := views.TeamTargetsRow{ID: t.ID, Name: t.Name, Slug: t.Slug, Form: teamTargetsForm(&t)}
		row.WebhookSecret = deref(t.WebhookSecret)
		row.HasTargets = len(notify.TeamChannels(&t)) > 0
		if t.ID == failedTeam {
			row.Form = failed
		}
		m.Teams = append(m.Teams, row)
	}
	return h.Render(c, status, views.NotificationSettingsPage(h.Page(c, "Notifications", "admin"), m))
}

// teamTargetsForm is a team's stored notification targets as a form.
func teamTargetsForm(t *models.Team) views.Form {
	return views.NewForm().Set("slack_webhook_url", deref(t.SlackWebhookURL)).Set("webhook_url", deref(t.WebhookURL))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (h Notifications) TeamTargetsSave(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	t, err := models.SetTeamTargets(c.Request().Context(), h.DB, web.Actor(c), id, models.TeamTargets{
		SlackWebhookURL: form.Get("slack_webhook_url"), WebhookURL: form.Get("webhook_url"), AllowPrivate: h.allowPrivate,
	})
	if ve, ok := models.AsValidation(err); ok {
		return h.renderNotificationSettings(c, http.StatusUnprocessableEntity, id, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Saved the notification targets of "+t.Name+".")
	return h.Redirect(c, h.Path("admin.notifications")+"#team-"+strconv.FormatInt(t.ID, 10))
}

func (h Notifications) TeamWebhookSecretRotate(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	t, err := models.RotateTeamWebhookSecret(c.Request().Context(), h.DB, web.Actor(c), id)
	if ve, ok := models.AsValidation(err); ok {
		// The team's form, as stored, with the reason at its field.
		t, gerr := models.GetTeam(c.Request().Context(), h.DB, id)
		if gerr != nil {
			return gerr
		}
		return h.renderNotificationSettings(c, http.StatusUnprocessableEntity, id, teamTargetsForm(t).WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "New signing secret for "+t.Name+": update the receiver, the old secret no longer verifies.")
	return h.Redirect(c, h.Path("admin.notifications")+"#team-"+strconv.FormatInt(t.ID, 10))
}
