package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// integrationView is a PagerDuty integration for its pages: whether a
// secret is set and its hint, never the secret.
func integrationView(it *models.Integration) views.IntegrationView {
	return views.IntegrationView{ID: it.ID, Name: it.Name, Enabled: it.Enabled, HasSecret: it.Secret != "",
		SecretHint: it.SecretHint(), LastEventAt: it.LastEventAt}
}

// webhookEventViews are an integration's latest deliveries.
func webhookEventViews(list []models.WebhookEvent) []views.WebhookEventView {
	out := make([]views.WebhookEventView, 0, len(list))
	for _, e := range list {
		out = append(out, views.WebhookEventView{ReceivedAt: e.ReceivedAt, EventType: e.EventType, EventID: e.EventID})
	}
	return out
}
