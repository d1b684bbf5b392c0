package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/api"
)

// apiRoutes are the JSON API under /api/v1.
func apiRoutes(a *api.Handlers) []route {
	return []route{
		// JSON API: the document, accounts and teams
		{Name: "api.openapi", Method: http.MethodGet, Path: "/api/v1/openapi.json", Handler: a.Docs.OpenAPI, Access: public},
		{Name: "api.me", Method: http.MethodGet, Path: "/api/v1/me", Handler: a.Accounts.Me, Access: viewer},
		{Name: "api.users", Method: http.MethodGet, Path: "/api/v1/users", Handler: a.Accounts.Users, Access: admin},
		{Name: "api.users.create", Method: http.MethodPost, Path: "/api/v1/users", Handler: a.Accounts.UserCreate, Access: admin},
		{Name: "api.teams", Method: http.MethodGet, Path: "/api/v1/teams", Handler: a.Accounts.Teams, Access: viewer},
		{Name: "api.teams.create", Method: http.MethodPost, Path: "/api/v1/teams", Handler: a.Accounts.TeamCreate, Access: admin},

		// JSON API: components, review templates, reviews and findings
		{Name: "api.components.list", Method: http.MethodGet, Path: "/api/v1/components", Handler: a.Components.List, Access: viewer},
		{Name: "api.components.create", Method: http.MethodPost, Path: "/api/v1/components", Handler: a.Components.Create, Access: member},
		{Name: "api.components.get", Method: http.MethodGet, Path: "/api/v1/components/:slug", Handler: a.Components.Get, Access: viewer},
		{Name: "api.components.update", Method: http.MethodPatch, Path: "/api/v1/components/:slug", Handler: a.Components.Update, Access: member},
		{Name: "api.templates.list", Method: http.MethodGet, Path: "/api/v1/review-templates", Handler: a.Reviews.TemplateList, Access: viewer},
		{Name: "api.templates.import", Method: http.MethodPost, Path: "/api/v1/review-templates/import", Handler: a.Reviews.TemplateImport, Access: admin, Upload: true},
		{Name: "api.templates.get", Method: http.MethodGet, Path: "/api/v1/review-templates/:key", Handler: a.Reviews.TemplateGet, Access: viewer},
		{Name: "api.reviews.list", Method: http.MethodGet, Path: "/api/v1/reviews", Handler: a.Reviews.List, Access: viewer},
		{Name: "api.reviews.create", Method: http.MethodPost, Path: "/api/v1/reviews", Handler: a.Reviews.Create, Access: member},
		{Name: "api.reviews.get", Method: http.MethodGet, Path: "/api/v1/reviews/:id", Handler: a.Reviews.Get, Access: viewer},
		{Name: "api.reviews.transition", Method: http.MethodPost, Path: "/api/v1/reviews/:id/transitions", Handler: a.Reviews.Transition, Access: member},
		{Name: "api.reviews.answer", Method: http.MethodPut, Path: "/api/v1/reviews/:id/answers/:question_key", Handler: a.Reviews.AnswerPut, Access: member},
		{Name: "api.reviews.findings.list", Method: http.MethodGet, Path: "/api/v1/reviews/:id/findings", Handler: a.Reviews.FindingList, Access: viewer},
		{Name: "api.reviews.findings.create", Method: http.MethodPost, Path: "/api/v1/reviews/:id/findings", Handler: a.Reviews.FindingCreate, Access: member},

		// JSON API: severities, incidents, timelines, postmortems
		{Name: "api.severities", Method: http.MethodGet, Path: "/api/v1/severities", Handler: a.Incidents.Severities, Access: viewer},
		{Name: "api.incidents", Method: http.MethodGet, Path: "/api/v1/incidents", Handler: a.Incidents.List, Access: viewer},
		{Name: "api.incidents.create", Method: http.MethodPost, Path: "/api/v1/incidents", Handler: a.Incidents.Create, Access: member},
		{Name: "api.incidents.show", Method: http.MethodGet, Path: "/api/v1/incidents/:key", Handler: a.Incidents.Show, Access: viewer},
		{Name: "api.incidents.update", Method: http.MethodPatch, Path: "/api/v1/incidents/:key", Handler: a.Incidents.Update, Access: member},
		{Name: "api.timeline", Method: http.MethodGet, Path: "/api/v1/incidents/:key/timeline", Handler: a.Incidents.Timeline, Access: viewer},
		{Name: "api.timeline.create", Method: http.MethodPost, Path: "/api/v1/incidents/:key/timeline", Handler: a.Incidents.TimelineCreate, Access: member},
		{Name: "api.postmortems.show", Method: http.MethodGet, Path: "/api/v1/incidents/:key/postmortem", Handler: a.Postmortems.Show, Access: viewer},

		// JSON API: action items
		{Name: "api.actions.bulk", Method: http.MethodPost, Path: "/api/v1/action-items/bulk", Handler: a.Actions.Bulk, Access: member},
		{Name: "api.actions.history", Method: http.MethodGet, Path: "/api/v1/action-items/:id/history", Handler: a.Actions.History, Access: viewer},
		{Name: "api.actions.comments", Method: http.MethodGet, Path: "/api/v1/action-items/:id/comments", Handler: a.Actions.Comments, Access: viewer},
		{Name: "api.actions.comments.create", Method: http.MethodPost, Path: "/api/v1/action-items/:id/comments", Handler: a.Actions.CommentCreate, Access: member},
		{Name: "api.actions.list", Method: http.MethodGet, Path: "/api/v1/action-items", Handler: a.Actions.List, Access: viewer},
		{Name: "api.actions.create", Method: http.MethodPost, Path: "/api/v1/action-items", Handler: a.Actions.Create, Access: member},
		{Name: "api.actions.get", Method: http.MethodGet, Path: "/api/v1/action-items/:id", Handler: a.Actions.Get, Access: viewer},
		{Name: "api.actions.update", Method: http.MethodPatch, Path: "/api/v1/action-items/:id", Handler: a.Actions.Update, Access: member},

		// JSON API: insights
		{Name: "api.insights.follow_through", Method: http.MethodGet, Path: "/api/v1/insights/follow-through", Handler: a.Actions.FollowThrough, Access: viewer},
		{Name: "api.insights.weekdays", Method: http.MethodGet, Path: "/api/v1/insights/weekdays", Handler: a.Insights.Weekdays, Access: viewer},
		{Name: "api.insights.heatmap", Method: http.MethodGet, Path: "/api/v1/insights/heatmap", Handler: a.Insights.Heatmap, Access: viewer},
		{Name: "api.insights.over_time", Method: http.MethodGet, Path: "/api/v1/insights/over-time", Handler: a.Insights.OverTime, Access: viewer},
		{Name: "api.insights.durations", Method: http.MethodGet, Path: "/api/v1/insights/durations", Handler: a.Insights.Durations, Access: viewer},
		{Name: "api.insights.durations.summary", Method: http.MethodGet, Path: "/api/v1/insights/durations/summary", Handler: a.Insights.DurationSummary, Access: viewer},
		{Name: "api.insights.durations.histogram", Method: http.MethodGet, Path: "/api/v1/insights/durations/histogram", Handler: a.Insights.DurationHistogram, Access: viewer},
		{Name: "api.insights.durations.trend", Method: http.MethodGet, Path: "/api/v1/insights/durations/trend", Handler: a.Insights.DurationTrend, Access: viewer},
		{Name: "api.insights.components", Method: http.MethodGet, Path: "/api/v1/insights/components", Handler: a.Insights.Components, Access: viewer},
		{Name: "api.insights.history", Method: http.MethodGet, Path: "/api/v1/insights/today", Handler: a.Insights.History, Access: viewer},
	}
}

// webhookRoutes are the webhooks: authenticated by their signature or secret, not a session.
func webhookRoutes(a *api.Handlers) []route {
	return []route{
		// Webhooks: authenticated by their signature or secret, not a session
		{Name: "api.webhooks.pagerduty", Method: http.MethodPost, Path: "/api/v1/webhooks/pagerduty/:token", Handler: a.PagerDuty.Webhook, Access: public, NoSession: true, Webhook: true, Secret: true},
	}
}
