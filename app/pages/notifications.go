package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Notifications serves deliveries and channel settings to admins, and each user's notification preferences and calendar feed.
type Notifications struct {
	base
	// allowPrivate accepts team webhook URLs on private networks
	// (DEBRIEF_WEBHOOK_ALLOW_PRIVATE).
	allowPrivate bool
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
