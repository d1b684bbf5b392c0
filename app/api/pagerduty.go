package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// PagerDuty receives PagerDuty's signed webhooks and turns them into incidents.
type PagerDuty struct{ *web.Kit }

// pagerDutyWebhook receives PagerDuty v3 webhooks. The URL names the
// integration; the X-PagerDuty-Signature header (HMAC-SHA256 of the raw
// body with the integration's signing secret) proves the sender.
func (h PagerDuty) Webhook(c echo.Context) error {
	ctx := c.Request().Context()
	it, err := models.GetIntegrationByToken(ctx, h.DB, c.Param("token"))
	if errors.Is(err, models.ErrNotFound) || (err == nil && !it.Enabled) {
		return echo.NewHTTPError(http.StatusNotFound, "no enabled integration has this webhook URL")
	}
	if err != nil {
		return err
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the payload is too large")
		}
		return echo.NewHTTPError(http.StatusBadRequest, "could not read the payload")
	}
	if it.Secret == "" {
		return echo.NewHTTPError(http.StatusUnauthorized, "this integration has no signing secret yet: paste PagerDuty's signing secret on its page in Debrief")
	}
	sig := c.Request().Header.Get("X-PagerDuty-Signature")
	if sig == "" {
		return echo.NewHTTPError(http.StatusUnauthorized, "the X-PagerDuty-Signature header is missing")
	}
	if !models.VerifyPagerDutySignature(it.Secret, body, sig) {
		return echo.NewHTTPError(http.StatusForbidden, "the X-PagerDuty-Signature does not match this integration's signing secret")
	}
	res, err := models.IngestPagerDuty(ctx, h.DB, it, body)
	if errors.Is(err, models.ErrMalformedWebhook) {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Status == "ignored" {
		status = http.StatusAccepted
	}
	return web.WriteJSON(c, status, res)
}
