package pages

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Integrations serves the admin pages of alerting integrations (PagerDuty).
type Integrations struct{ base }

// webhookURL is the absolute URL to give PagerDuty.
func (h Integrations) webhookURL(c echo.Context, it *models.Integration) string {
	return h.ExternalURL(c) + h.Path("api.webhooks.pagerduty", it.Token)
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

func (h Integrations) integrationsPage(c echo.Context, status int, f views.Form) error {
	ctx := c.Request().Context()
	list, err := models.ListIntegrations(ctx, h.DB)
	if err != nil {
		return err
	}
	sevs, err := models.ListSeverities(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.IntegrationsModel{Form: f, SeverityOptions: severityOptionsByID(sevs, "Unclassified")}
	for i := range list {
		m.Items = append(m.Items, views.IntegrationItem{Integration: integrationView(&list[i]), URL: h.webhookURL(c, &list[i])})
	}
	return h.Render(c, status, views.Integrations(h.Page(c, "PagerDuty", "admin"), m))
}

func (h Integrations) Index(c echo.Context) error {
	return h.integrationsPage(c, http.StatusOK, views.NewForm().Set("name", "PagerDuty"))
}

func (h Integrations) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	v := &models.ValidationError{}
	in := models.IntegrationInput{Name: f.Get("name"), Secret: form.Get("secret"), Enabled: true, DefaultSeverityID: optionalID(form, "default_severity", v)}
	var it *models.Integration
	if err = v.Err(); err == nil {
		it, err = models.CreateIntegration(c.Request().Context(), h.DB, web.Actor(c), in)
	}
	if ve, ok := models.AsValidation(err); ok {
		return h.integrationsPage(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Integration created. Give PagerDuty its webhook URL, then paste the signing secret here.")
	return h.Redirect(c, h.Path("admin.integrations.show", it.ID))
}

func (h Integrations) integrationPage(c echo.Context, status int, it *models.Integration, f views.Form) error {
	ctx := c.Request().Context()
	sevs, err := models.ListSeverities(ctx, h.DB)
	if err != nil {
		return err
	}
	events, err := models.RecentWebhookEvents(ctx, h.DB, it.ID, 20)
	if err != nil {
		return err
	}
	m := views.IntegrationModel{Integration: integrationView(it), URL: h.webhookURL(c, it), Form: f, Events: webhookEventViews(events),
		SeverityOptions: severityOptionsByID(sevs, "Unclassified")}
	return h.Render(c, status, views.IntegrationShow(h.Page(c, it.Name, "admin"), m))
}

func (h Integrations) integrationForm(it *models.Integration) views.Form {
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

func (h Integrations) Show(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	it, err := models.GetIntegration(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	return h.integrationPage(c, http.StatusOK, it, h.integrationForm(it))
}

func (h Integrations) Update(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	it, err := models.GetIntegration(ctx, h.DB, id)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
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
		_, err = models.UpdateIntegration(ctx, h.DB, web.Actor(c), id, version, in)
	}
	if ve, ok := models.AsValidation(err); ok {
		return h.integrationPage(c, http.StatusUnprocessableEntity, it, f.WithErrors(ve.Fields, ve.Global))
	}
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Integration)
		f.Set("version", strconv.Itoa(cur.Version))
		return h.integrationPage(c, http.StatusConflict, cur, f.WithErrors(nil, []string{"Someone else changed this integration meanwhile. Check the values and save again."}))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Integration saved.")
	return h.Redirect(c, h.Path("admin.integrations.show", id))
}

func (h Integrations) Delete(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeleteIntegration(c.Request().Context(), h.DB, web.Actor(c), id); err != nil {
		return err
	}
	h.Flash(c, "ok", "Integration deleted; its webhook URL no longer works.")
	return h.Redirect(c, h.Path("admin.integrations"))
}
