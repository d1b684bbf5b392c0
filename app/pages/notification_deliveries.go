package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

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
