package pages

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/calendar"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Notifications serves deliveries and channel settings to admins, and each user's notification preferences and calendar feed.
type Notifications struct {
	base
	// allowPrivate accepts team webhook URLs on private networks
	// (DEBRIEF_WEBHOOK_ALLOW_PRIVATE).
	allowPrivate bool
}

// ---- admin: deliveries ----

const deliveriesPerPage = 50

func (h Notifications) Deliveries(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := views.FormFrom(q)
	filter := models.DeliveryFilter{
		Status: models.DeliveryStatus(q.Get("status")), Channel: models.Channel(q.Get("channel")),
		Kind: q.Get("kind"), Query: q.Get("q"), Limit: deliveriesPerPage + 1,
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		filter.BeforeID = b
	}
	rows, err := models.ListDeliveries(ctx, h.DB, filter)
	if err != nil {
		return err
	}
	counts, err := models.DeliveryCounts(ctx, h.DB)
	if err != nil {
		return err
	}
	kinds, err := models.DeliveryKinds(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.DeliveriesModel{Filter: f, Kinds: kinds}
	for _, st := range []models.DeliveryStatus{models.DeliveryFailed, models.DeliveryPending, models.DeliverySent, models.DeliverySkipped} {
		m.Counts = append(m.Counts, views.DeliveryCount{Status: string(st), Count: counts[st],
			Href: h.Path("admin.deliveries") + "?status=" + string(st)})
	}
	if len(rows) > deliveriesPerPage {
		rows = rows[:deliveriesPerPage]
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("before", strconv.FormatInt(rows[len(rows)-1].ID, 10))
		m.OlderURL = h.Path("admin.deliveries") + "?" + next.Encode()
	}
	for _, d := range rows {
		m.Rows = append(m.Rows, views.DeliveryRow{
			ID: d.ID, Kind: d.Kind, Channel: string(d.Channel), Recipient: d.Recipient, Subject: d.Subject,
			Status: string(d.Status), Attempts: d.Attempts, LastError: d.LastError, Created: d.CreatedAt,
			SendAfter: d.SendAfter, SentAt: d.SentAt, CanRetry: d.Status == models.DeliveryFailed,
		})
	}
	return h.Render(c, http.StatusOK, views.DeliveriesPage(h.Page(c, "Deliveries", "admin"), m))
}

func (h Notifications) Retry(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	d, err := notify.Retry(c.Request().Context(), h.DB, h.Jobs, web.Actor(c), id)
	if err != nil {
		return err
	}
	h.Flash(c, "ok", fmt.Sprintf("Delivery to %s is queued again.", d.Recipient))
	return h.Redirect(c, h.Path("admin.deliveries")+"#delivery-"+strconv.FormatInt(id, 10))
}

// ---- admin: mail and team targets ----

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

// notificationTest queues a test message: a mail to the admin ("me") or a
// post to a team's targets ("team:ID").
func (h Notifications) Test(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	now := h.Now().UTC()
	msg := notify.Message{
		Key:     notify.Key("test", now.Format(time.RFC3339Nano)),
		Kind:    models.DeliveryKindTest,
		Subject: "Test message from Debrief",
		Text:    "If you can read this, Debrief's notifications reach you. Sent by " + web.CurrentUser(c).Name + ".",
		Link:    h.ExternalURL(c) + h.Path("admin.deliveries"),
	}
	target := form.Get("target")
	switch {
	case target == "me":
		if _, _, err := notify.ToUser(ctx, h.DB, h.Jobs, web.CurrentUser(c), msg); err != nil {
			return err
		}
		h.Flash(c, "ok", "A test mail to "+web.CurrentUser(c).Email+" is on its way. See its state below.")
	case strings.HasPrefix(target, "team:"):
		id, err := strconv.ParseInt(strings.TrimPrefix(target, "team:"), 10, 64)
		if err != nil {
			return models.ErrNotFound
		}
		t, err := models.GetTeam(ctx, h.DB, id)
		if err != nil {
			return err
		}
		ds, err := notify.ToTeam(ctx, h.DB, h.Jobs, t, msg)
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			h.Flash(c, "warn", t.Name+" has no Slack or webhook URL yet: save one first.")
			return h.Redirect(c, h.Path("admin.notifications"))
		}
		h.Flash(c, "ok", fmt.Sprintf("A test message to %s is on its way. See its state below.", t.Name))
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "unknown test target")
	}
	return h.Redirect(c, h.Path("admin.deliveries"))
}

// ---- account: reminders and calendar feed ----

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

// calendarFeed serves /calendar/TOKEN.ics to calendar apps: no session,
// the token is the credential. Unknown and revoked tokens are 404.
func (h Notifications) CalendarFeed(c echo.Context) error {
	ctx := c.Request().Context()
	tok, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return models.ErrNotFound
	}
	u, err := models.UserForCalendarToken(ctx, h.DB, tok)
	if err != nil {
		return err
	}
	items, err := h.calendarItems(c, u)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = calendar.Write(&buf, calendar.Feed{
		Name:        "Debrief: " + u.Name + "'s action items",
		Description: "Due dates of the open action items " + u.Name + " owns.",
		Items:       items,
		Now:         h.Now(),
	})
	if err != nil {
		return err
	}
	hdr := c.Response().Header()
	hdr.Set("Cache-Control", "private, max-age=300")
	hdr.Set("X-Robots-Tag", "noindex")
	hdr.Set("Content-Disposition", `inline; filename="debrief.ics"`)
	return c.Blob(http.StatusOK, calendar.ContentType, buf.Bytes())
}

// calendarItems returns the entries of a user's feed: the due dates of
// the open action items u owns (follow-through).
func (h Notifications) calendarItems(c echo.Context, u *models.User) ([]calendar.Item, error) {
	q := models.ActionQuery{Sort: "due", Now: h.Now(), Loc: h.Location}
	q.OwnerID, q.OpenOnly, q.Limit = u.ID, true, 1000
	items, err := models.FindActionItems(c.Request().Context(), h.DB, q)
	if err != nil {
		return nil, err
	}
	base := h.ExternalURL(c)
	host := base
	if pu, err := url.Parse(base); err == nil && pu.Host != "" {
		host = pu.Hostname()
	}
	out := make([]calendar.Item, 0, len(items))
	for _, it := range items {
		if it.DueDate == nil {
			continue
		}
		desc := "Priority " + it.Priority + " · " + models.ActionStatusLabel(it.Status)
		if it.Team != nil {
			desc += " · " + it.Team.Name
		}
		if it.Incident != nil {
			desc += " · from " + it.Incident.Key()
		}
		out = append(out, calendar.Item{
			UID:   fmt.Sprintf("action-item-%d@%s", it.ID, host),
			Title: "Due: " + it.Title, Due: it.DueDate.Time(), Updated: it.UpdatedAt,
			URL: base + h.Path("actions.show", it.ID), Description: desc,
		})
	}
	return out, nil
}
