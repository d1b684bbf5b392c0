package app

import (
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// pagerDutyWebhook receives PagerDuty v3 webhooks. The URL names the
// integration; the X-PagerDuty-Signature header (HMAC-SHA256 of the raw
// body with the integration's signing secret) proves the sender.
func (s *Server) pagerDutyWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	it, err := models.GetIntegrationByToken(ctx, s.db, c.Param("token"))
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
	res, err := models.IngestPagerDuty(ctx, s.db, it, body)
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
	return writeJSON(c, status, res)
}

// webhookURL is the absolute URL to give PagerDuty.
func (s *Server) webhookURL(c echo.Context, it *models.Integration) string {
	return s.externalURL(c) + s.reverse("api.webhooks.pagerduty", it.Token)
}

func severityOptionsByID(list []models.Severity, none string) []views.Option {
	out := []views.Option{{Value: "", Label: none}}
	for _, sv := range list {
		out = append(out, views.Option{Value: strconv.FormatInt(sv.ID, 10), Label: sv.Name})
	}
	return out
}

// parsePriorityMap reads lines like "P1 = SEV1".
func parsePriorityMap(s string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return nil, models.FieldError("priority_map", "Line "+strconv.Itoa(i+1)+": write one mapping per line, like P1 = SEV1.")
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

func formatPriorityMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + " = " + m[k] + "\n")
	}
	return b.String()
}

func (s *Server) integrationsPage(c echo.Context, status int, f views.Form) error {
	ctx := c.Request().Context()
	list, err := models.ListIntegrations(ctx, s.db)
	if err != nil {
		return err
	}
	sevs, err := models.ListSeverities(ctx, s.db)
	if err != nil {
		return err
	}
	m := views.IntegrationsModel{Form: f, SeverityOptions: severityOptionsByID(sevs, "Unclassified")}
	for i := range list {
		m.Items = append(m.Items, views.IntegrationItem{Integration: &list[i], URL: s.webhookURL(c, &list[i])})
	}
	return s.render(c, status, views.Integrations(s.page(c, "PagerDuty", "admin"), m))
}

func (s *Server) integrationsIndex(c echo.Context) error {
	return s.integrationsPage(c, http.StatusOK, views.NewForm().Set("name", "PagerDuty"))
}

func (s *Server) integrationCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	v := &models.ValidationError{}
	in := models.IntegrationInput{Name: f.Get("name"), Secret: form.Get("secret"), Enabled: true, DefaultSeverityID: optionalID(form, "default_severity", v)}
	var it *models.Integration
	if err = v.Err(); err == nil {
		it, err = models.CreateIntegration(c.Request().Context(), s.db, actor(c), in)
	}
	if ve, ok := models.AsValidation(err); ok {
		return s.integrationsPage(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Integration created. Give PagerDuty its webhook URL, then paste the signing secret here.")
	return s.redirect(c, s.reverse("admin.integrations.show", it.ID))
}

func (s *Server) integrationPage(c echo.Context, status int, it *models.Integration, f views.Form) error {
	ctx := c.Request().Context()
	sevs, err := models.ListSeverities(ctx, s.db)
	if err != nil {
		return err
	}
	events, err := models.RecentWebhookEvents(ctx, s.db, it.ID, 20)
	if err != nil {
		return err
	}
	m := views.IntegrationModel{Integration: it, URL: s.webhookURL(c, it), Form: f, Events: events,
		SeverityOptions: severityOptionsByID(sevs, "Unclassified")}
	return s.render(c, status, views.IntegrationShow(s.page(c, it.Name, "admin"), m))
}

func (s *Server) integrationForm(it *models.Integration) views.Form {
	f := views.NewForm().Set("name", it.Name).Set("priority_map", formatPriorityMap(it.PriorityMap)).
		Set("version", strconv.Itoa(it.Version))
	if it.DefaultSeverityID != nil {
		f.Set("default_severity", strconv.FormatInt(*it.DefaultSeverityID, 10))
	}
	if it.Enabled {
		f.Set("enabled", "1")
	}
	return f
}

func (s *Server) integrationShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := models.GetIntegration(c.Request().Context(), s.db, id)
	if err != nil {
		return err
	}
	return s.integrationPage(c, http.StatusOK, it, s.integrationForm(it))
}

func (s *Server) integrationUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := models.GetIntegration(ctx, s.db, id)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	f.Set("secret", "") // never echo a secret back
	v := &models.ValidationError{}
	in := models.IntegrationInput{Name: form.Get("name"), Secret: form.Get("secret"), ClearSecret: form.Get("clear_secret") != "",
		Enabled: form.Get("enabled") != "", DefaultSeverityID: optionalID(form, "default_severity", v)}
	pm, perr := parsePriorityMap(form.Get("priority_map"))
	if ve, ok := models.AsValidation(perr); ok {
		mergeValidation(v, ve)
	}
	in.PriorityMap = pm
	version, _ := strconv.Atoi(form.Get("version"))
	if err = v.Err(); err == nil {
		_, err = models.UpdateIntegration(ctx, s.db, actor(c), id, version, in)
	}
	if ve, ok := models.AsValidation(err); ok {
		return s.integrationPage(c, http.StatusUnprocessableEntity, it, f.WithErrors(ve.Fields, ve.Global))
	}
	if ce, ok := asConflict(err); ok {
		cur := ce.Current.(*models.Integration)
		f.Set("version", strconv.Itoa(cur.Version))
		return s.integrationPage(c, http.StatusConflict, cur, f.WithErrors(nil, []string{"Someone else changed this integration meanwhile. Check the values and save again."}))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Integration saved.")
	return s.redirect(c, s.reverse("admin.integrations.show", id))
}

func (s *Server) integrationDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeleteIntegration(c.Request().Context(), s.db, actor(c), id); err != nil {
		return err
	}
	s.flash(c, "ok", "Integration deleted; its webhook URL no longer works.")
	return s.redirect(c, s.reverse("admin.integrations"))
}
