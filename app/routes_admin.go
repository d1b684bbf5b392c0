package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// adminRoutes are the administration pages.
func adminRoutes(p *pages.Handlers) []route {
	return []route{
		// Administration
		{Name: "admin.index", Method: http.MethodGet, Path: "/admin", Handler: p.AdminUsers.Index, Access: admin},
		{Name: "admin.users", Method: http.MethodGet, Path: "/admin/users", Handler: p.AdminUsers.List, Access: admin},
		{Name: "admin.users.create", Method: http.MethodPost, Path: "/admin/users", Handler: p.AdminUsers.Create, Access: admin},
		{Name: "admin.users.edit", Method: http.MethodGet, Path: "/admin/users/:id", Handler: p.AdminUsers.Edit, Access: admin},
		{Name: "admin.users.update", Method: http.MethodPost, Path: "/admin/users/:id", Handler: p.AdminUsers.Update, Access: admin},
		{Name: "admin.users.reset_password", Method: http.MethodPost, Path: "/admin/users/:id/reset-password", Handler: p.AdminUsers.ResetPassword, Access: admin},
		{Name: "admin.teams", Method: http.MethodGet, Path: "/admin/teams", Handler: p.AdminTeams.List, Access: admin},
		{Name: "admin.teams.create", Method: http.MethodPost, Path: "/admin/teams", Handler: p.AdminTeams.Create, Access: admin},
		{Name: "admin.teams.edit", Method: http.MethodGet, Path: "/admin/teams/:id", Handler: p.AdminTeams.Edit, Access: admin},
		{Name: "admin.teams.update", Method: http.MethodPost, Path: "/admin/teams/:id", Handler: p.AdminTeams.Update, Access: admin},
		{Name: "admin.audit", Method: http.MethodGet, Path: "/admin/audit", Handler: p.Audit.Index, Access: admin},
		{Name: "admin.severities", Method: http.MethodGet, Path: "/admin/severities", Handler: p.Severities.Index, Access: admin},
		{Name: "admin.severities.create", Method: http.MethodPost, Path: "/admin/severities", Handler: p.Severities.Create, Access: admin},
		{Name: "admin.severities.edit", Method: http.MethodGet, Path: "/admin/severities/:id/edit", Handler: p.Severities.Edit, Access: admin},
		{Name: "admin.severities.update", Method: http.MethodPost, Path: "/admin/severities/:id", Handler: p.Severities.Update, Access: admin},
		{Name: "admin.severities.delete", Method: http.MethodPost, Path: "/admin/severities/:id/delete", Handler: p.Severities.Delete, Access: admin},
		{Name: "admin.integrations", Method: http.MethodGet, Path: "/admin/integrations", Handler: p.Integrations.Index, Access: admin},
		{Name: "admin.integrations.create", Method: http.MethodPost, Path: "/admin/integrations", Handler: p.Integrations.Create, Access: admin},
		{Name: "admin.integrations.show", Method: http.MethodGet, Path: "/admin/integrations/:id", Handler: p.Integrations.Show, Access: admin},
		{Name: "admin.integrations.update", Method: http.MethodPost, Path: "/admin/integrations/:id", Handler: p.Integrations.Update, Access: admin},
		{Name: "admin.integrations.delete", Method: http.MethodPost, Path: "/admin/integrations/:id/delete", Handler: p.Integrations.Delete, Access: admin},
		{Name: "admin.deliveries", Method: http.MethodGet, Path: "/admin/deliveries", Handler: p.Notifications.Deliveries, Access: admin},
		{Name: "admin.deliveries.retry", Method: http.MethodPost, Path: "/admin/deliveries/:id/retry", Handler: p.Notifications.Retry, Access: admin},
		{Name: "admin.notifications", Method: http.MethodGet, Path: "/admin/notifications", Handler: p.Notifications.Settings, Access: admin},
		{Name: "admin.notifications.team", Method: http.MethodPost, Path: "/admin/notifications/teams/:id", Handler: p.Notifications.TeamTargetsSave, Access: admin},
		{Name: "admin.notifications.secret", Method: http.MethodPost, Path: "/admin/notifications/teams/:id/secret", Handler: p.Notifications.TeamWebhookSecretRotate, Access: admin},
		{Name: "admin.notifications.test", Method: http.MethodPost, Path: "/admin/notifications/test", Handler: p.Notifications.Test, Access: admin},
		{Name: "admin.live", Method: http.MethodGet, Path: "/admin/live", Handler: p.LiveCheck.Show, Access: admin},
		{Name: "admin.live.stream", Method: http.MethodGet, Path: "/admin/live/stream", Handler: p.LiveCheckStream.Stream, Access: admin, Stream: true},
		{Name: "admin.live.ping", Method: http.MethodPost, Path: "/admin/live/ping", Handler: p.LiveCheck.Ping, Access: admin},
		{Name: "admin.pm_templates", Method: http.MethodGet, Path: "/admin/postmortem-templates", Handler: p.PostmortemTemplates.Index, Access: admin},
		{Name: "admin.pm_templates.new", Method: http.MethodGet, Path: "/admin/postmortem-templates/new", Handler: p.PostmortemTemplates.New, Access: admin},
		{Name: "admin.pm_templates.create", Method: http.MethodPost, Path: "/admin/postmortem-templates", Handler: p.PostmortemTemplates.Create, Access: admin},
		{Name: "admin.pm_templates.edit", Method: http.MethodGet, Path: "/admin/postmortem-templates/:id", Handler: p.PostmortemTemplates.Edit, Access: admin},
		{Name: "admin.pm_templates.update", Method: http.MethodPost, Path: "/admin/postmortem-templates/:id", Handler: p.PostmortemTemplates.Update, Access: admin},
		{Name: "admin.pm_templates.default", Method: http.MethodPost, Path: "/admin/postmortem-templates/:id/default", Handler: p.PostmortemTemplates.Default, Access: admin},
		{Name: "admin.pm_defaults", Method: http.MethodPost, Path: "/admin/postmortem-defaults", Handler: p.PostmortemTemplates.DefaultsSave, Access: admin},
		{Name: "admin.reminders", Method: http.MethodGet, Path: "/admin/reminders", Handler: p.Reminders.Settings, Access: admin},
		{Name: "admin.reminders.save", Method: http.MethodPost, Path: "/admin/reminders", Handler: p.Reminders.Save, Access: admin},
	}
}
