package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/api"
	"github.com/debrief-sre/debrief/app/pages"
	"github.com/debrief-sre/debrief/app/web"
)

// The route table's types live in app/web, where handlers find them too.
type (
	route  = web.Route
	access = web.Access
)

const (
	public      = web.Public
	viewer      = web.Viewer
	member      = web.Member
	facilitator = web.Facilitator
	admin       = web.Admin
)

// routeList is every route of Debrief, in one list, each named. Tests and
// templates build URLs from the names.
func (s *Server) routeList() []route {
	p := pages.New(s.kit, pages.Options{OIDC: s.cfg.OIDC, Builtins: s.builtins, ImportAsyncRows: s.cfg.ImportAsyncRows, WebhookAllowPrivate: s.cfg.WebhookAllowPrivate})
	s.pages = p
	a := api.New(s.kit, api.Options{Builtins: s.builtins})
	return []route{
		// Operations
		{Name: "healthz", Method: http.MethodGet, Path: "/healthz", Handler: s.healthz, Access: public, NoSession: true},
		{Name: "readyz", Method: http.MethodGet, Path: "/readyz", Handler: s.readyz, Access: public, NoSession: true},
		{Name: "metrics", Method: http.MethodGet, Path: "/metrics", Handler: s.metricsHandler, Access: public, NoSession: true},
		{Name: "static", Method: http.MethodGet, Path: "/static/*", Handler: s.serveStatic, Access: public, NoSession: true},

		// Sign-in and the signed-in user
		{Name: "auth.setup", Method: http.MethodGet, Path: "/setup", Handler: p.Auth.SetupForm, Access: public},
		{Name: "auth.setup.submit", Method: http.MethodPost, Path: "/setup", Handler: p.Auth.SetupSubmit, Access: public},
		{Name: "auth.signin", Method: http.MethodGet, Path: "/signin", Handler: p.Auth.SignInForm, Access: public},
		{Name: "auth.signin.submit", Method: http.MethodPost, Path: "/signin", Handler: p.Auth.SignInSubmit, Access: public},
		{Name: "auth.oidc.start", Method: http.MethodGet, Path: "/auth/oidc/start", Handler: p.Auth.OIDCStart, Access: public},
		{Name: "auth.oidc.callback", Method: http.MethodGet, Path: "/auth/oidc/callback", Handler: p.Auth.OIDCCallback, Access: public},
		{Name: "auth.signout", Method: http.MethodPost, Path: "/signout", Handler: p.Auth.SignOut, Access: viewer},
		{Name: "me.my_work", Method: http.MethodGet, Path: "/me", Handler: p.MyWork.Show, Access: viewer},
		{Name: "account.show", Method: http.MethodGet, Path: "/account", Handler: p.Account.Show, Access: viewer},
		{Name: "account.profile", Method: http.MethodPost, Path: "/account/profile", Handler: p.Account.Profile, Access: viewer},
		{Name: "account.password", Method: http.MethodPost, Path: "/account/password", Handler: p.Account.Password, Access: viewer},
		{Name: "account.tokens.create", Method: http.MethodPost, Path: "/account/tokens", Handler: p.Account.TokenCreate, Access: viewer},
		{Name: "account.tokens.revoke", Method: http.MethodPost, Path: "/account/tokens/:id/revoke", Handler: p.Account.TokenRevoke, Access: viewer},
		{Name: "account.notifications", Method: http.MethodGet, Path: "/account/notifications", Handler: p.Notifications.Account, Access: viewer},
		{Name: "account.notifications.mute", Method: http.MethodPost, Path: "/account/notifications/mute", Handler: p.Notifications.Mute, Access: viewer},
		{Name: "account.calendar.new", Method: http.MethodPost, Path: "/account/calendar", Handler: p.Notifications.CalendarNew, Access: viewer},
		{Name: "account.calendar.revoke", Method: http.MethodPost, Path: "/account/calendar/revoke", Handler: p.Notifications.CalendarRevoke, Access: viewer},
		{Name: "calendar.feed", Method: http.MethodGet, Path: "/calendar/:file", Handler: p.Notifications.CalendarFeed, Access: public, NoSession: true, Secret: true},

		// Home
		{Name: "home", Method: http.MethodGet, Path: "/", Handler: p.Home.Show, Access: viewer},

		// Components, review templates, reviews and findings
		{Name: "reviews.index", Method: http.MethodGet, Path: "/reviews", Handler: p.Reviews.Index, Access: viewer},
		{Name: "components.index", Method: http.MethodGet, Path: "/components", Handler: p.Components.Index, Access: viewer},
		{Name: "components.new", Method: http.MethodGet, Path: "/components/new", Handler: p.Components.New, Access: member},
		{Name: "components.create", Method: http.MethodPost, Path: "/components", Handler: p.Components.Create, Access: member},
		{Name: "components.show", Method: http.MethodGet, Path: "/components/:slug", Handler: p.Components.Show, Access: viewer},
		{Name: "components.edit", Method: http.MethodGet, Path: "/components/:slug/edit", Handler: p.Components.Edit, Access: member},
		{Name: "components.update", Method: http.MethodPost, Path: "/components/:slug/edit", Handler: p.Components.Update, Access: member},
		{Name: "reviews.due", Method: http.MethodGet, Path: "/reviews/due", Handler: p.Reviews.Due, Access: viewer},
		{Name: "templates.index", Method: http.MethodGet, Path: "/review-templates", Handler: p.Templates.Index, Access: viewer},
		{Name: "templates.create", Method: http.MethodPost, Path: "/review-templates", Handler: p.Templates.Create, Access: admin},
		{Name: "templates.import", Method: http.MethodGet, Path: "/review-templates/import", Handler: p.Templates.ImportForm, Access: admin},
		{Name: "templates.import.submit", Method: http.MethodPost, Path: "/review-templates/import", Handler: p.Templates.Import, Access: admin, Upload: true},
		{Name: "templates.show", Method: http.MethodGet, Path: "/review-templates/:key", Handler: p.Templates.Show, Access: viewer},
		{Name: "templates.version", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n", Handler: p.Templates.Version, Access: viewer},
		{Name: "templates.export", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/yaml", Handler: p.Templates.Export, Access: viewer},
		{Name: "templates.draft", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/draft", Handler: p.Templates.Transition("draft"), Access: admin},
		{Name: "templates.publish", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/publish", Handler: p.Templates.Transition("publish"), Access: admin},
		{Name: "templates.deprecate", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/deprecate", Handler: p.Templates.Transition("deprecate"), Access: admin},
		{Name: "templates.discard", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/discard", Handler: p.Templates.Transition("discard"), Access: admin},
		{Name: "templates.yaml", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/edit", Handler: p.Templates.YAMLForm, Access: admin},
		{Name: "templates.yaml.save", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/edit", Handler: p.Templates.YAMLSave, Access: admin},
		{Name: "templates.section.add", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/sections", Handler: p.Templates.SectionAdd, Access: admin},
		{Name: "templates.question.add", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/sections/:section/questions", Handler: p.Templates.QuestionAdd, Access: admin},
		{Name: "templates.question", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/questions/:q/edit", Handler: p.Templates.QuestionForm, Access: admin},
		{Name: "templates.question.update", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/questions/:q/edit", Handler: p.Templates.QuestionUpdate, Access: admin},
		{Name: "templates.question.delete", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/questions/:q/delete", Handler: p.Templates.QuestionDelete, Access: admin},
		{Name: "reviews.new", Method: http.MethodGet, Path: "/reviews/new", Handler: p.Reviews.New, Access: member},
		{Name: "reviews.create", Method: http.MethodPost, Path: "/reviews", Handler: p.Reviews.Create, Access: member},
		{Name: "reviews.show", Method: http.MethodGet, Path: "/reviews/:id", Handler: p.Reviews.Show, Access: viewer},
		{Name: "reviews.edit", Method: http.MethodGet, Path: "/reviews/:id/edit", Handler: p.Reviews.Edit, Access: member},
		{Name: "reviews.update", Method: http.MethodPost, Path: "/reviews/:id/edit", Handler: p.Reviews.Update, Access: member},
		{Name: "reviews.transition", Method: http.MethodPost, Path: "/reviews/:id/transition", Handler: p.Reviews.Transition, Access: member},
		{Name: "reviews.signoff", Method: http.MethodGet, Path: "/reviews/:id/signoff", Handler: p.Reviews.SignOffForm, Access: facilitator},
		{Name: "reviews.signoff.submit", Method: http.MethodPost, Path: "/reviews/:id/signoff", Handler: p.Reviews.SignOff, Access: facilitator},
		{Name: "reviews.readout", Method: http.MethodGet, Path: "/reviews/:id/readout", Handler: p.Readouts.Show, Access: viewer},
		{Name: "reviews.readout.md", Method: http.MethodGet, Path: "/reviews/:id/readout.md", Handler: p.Readouts.Markdown, Access: viewer},
		{Name: "components.compare", Method: http.MethodGet, Path: "/components/:slug/compare", Handler: p.Components.Compare, Access: viewer},
		{Name: "reviews.answer", Method: http.MethodGet, Path: "/reviews/:id/answers/:key", Handler: p.Reviews.AnswerFragment, Access: viewer},
		{Name: "reviews.answer.save", Method: http.MethodPost, Path: "/reviews/:id/answers/:key", Handler: p.Reviews.AnswerSave, Access: member},
		{Name: "findings.new", Method: http.MethodGet, Path: "/reviews/:id/findings/new", Handler: p.Findings.New, Access: member},
		{Name: "findings.create", Method: http.MethodPost, Path: "/reviews/:id/findings", Handler: p.Findings.Create, Access: member},
		{Name: "findings.show", Method: http.MethodGet, Path: "/findings/:id", Handler: p.Findings.Show, Access: viewer},
		{Name: "findings.edit", Method: http.MethodGet, Path: "/findings/:id/edit", Handler: p.Findings.Edit, Access: member},
		{Name: "findings.update", Method: http.MethodPost, Path: "/findings/:id/edit", Handler: p.Findings.Update, Access: member},
		{Name: "findings.status", Method: http.MethodPost, Path: "/findings/:id/status", Handler: p.Findings.Status, Access: member},

		// Incidents: records, timelines, import, postmortems
		{Name: "incidents.index", Method: http.MethodGet, Path: "/incidents", Handler: p.Incidents.Index, Access: viewer},
		{Name: "incidents.export", Method: http.MethodGet, Path: "/incidents/export.csv", Handler: p.Incidents.Export, Access: viewer},
		{Name: "incidents.import", Method: http.MethodGet, Path: "/incidents/import", Handler: p.Import.New, Access: member},
		{Name: "incidents.import.upload", Method: http.MethodPost, Path: "/incidents/import", Handler: p.Import.Upload, Access: member, Upload: true},
		{Name: "incidents.import.show", Method: http.MethodGet, Path: "/incidents/import/:id", Handler: p.Import.Show, Access: member},
		{Name: "incidents.import.progress", Method: http.MethodGet, Path: "/incidents/import/:id/progress", Handler: p.Import.Progress, Access: member},
		{Name: "incidents.import.confirm", Method: http.MethodPost, Path: "/incidents/import/:id/confirm", Handler: p.Import.Confirm, Access: member},
		{Name: "incidents.new", Method: http.MethodGet, Path: "/incidents/new", Handler: p.Incidents.New, Access: member},
		{Name: "incidents.create", Method: http.MethodPost, Path: "/incidents", Handler: p.Incidents.Create, Access: member},
		{Name: "incidents.show", Method: http.MethodGet, Path: "/incidents/:key", Handler: p.Incidents.Show, Access: viewer},
		{Name: "incidents.edit", Method: http.MethodGet, Path: "/incidents/:key/edit", Handler: p.Incidents.Edit, Access: member},
		{Name: "incidents.update", Method: http.MethodPost, Path: "/incidents/:key", Handler: p.Incidents.Update, Access: member},
		{Name: "timeline.index", Method: http.MethodGet, Path: "/incidents/:key/timeline", Handler: p.Timeline.Index, Access: viewer},
		{Name: "timeline.create", Method: http.MethodPost, Path: "/incidents/:key/timeline", Handler: p.Timeline.Create, Access: member},
		{Name: "timeline.edit", Method: http.MethodGet, Path: "/incidents/:key/timeline/:id/edit", Handler: p.Timeline.Edit, Access: member},
		{Name: "timeline.update", Method: http.MethodPost, Path: "/incidents/:key/timeline/:id", Handler: p.Timeline.Update, Access: member},
		{Name: "timeline.delete", Method: http.MethodPost, Path: "/incidents/:key/timeline/:id/delete", Handler: p.Timeline.Delete, Access: member},
		{Name: "timeline.paste", Method: http.MethodPost, Path: "/incidents/:key/timeline/paste", Handler: p.Timeline.Paste, Access: member},
		{Name: "timeline.paste.save", Method: http.MethodPost, Path: "/incidents/:key/timeline/paste/save", Handler: p.Timeline.PasteSave, Access: member},
		{Name: "postmortems.index", Method: http.MethodGet, Path: "/postmortems", Handler: p.Postmortems.Index, Access: viewer},
		{Name: "postmortems.show", Method: http.MethodGet, Path: "/incidents/:key/postmortem", Handler: p.Postmortems.Show, Access: viewer},
		{Name: "postmortems.new", Method: http.MethodGet, Path: "/incidents/:key/postmortem/new", Handler: p.Postmortems.New, Access: member},
		{Name: "postmortems.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem", Handler: p.Postmortems.Create, Access: member},
		{Name: "postmortems.people", Method: http.MethodPost, Path: "/incidents/:key/postmortem/people", Handler: p.Postmortems.People, Access: member},
		{Name: "postmortems.status", Method: http.MethodPost, Path: "/incidents/:key/postmortem/status", Handler: p.Postmortems.Status, Access: member},
		{Name: "postmortems.publish", Method: http.MethodPost, Path: "/incidents/:key/postmortem/publish", Handler: p.Postmortems.Status, Access: facilitator},
		{Name: "postmortems.reopen", Method: http.MethodPost, Path: "/incidents/:key/postmortem/reopen", Handler: p.Postmortems.Status, Access: admin},
		{Name: "postmortems.section", Method: http.MethodGet, Path: "/incidents/:key/postmortem/sections/:id", Handler: p.Postmortems.Section, Access: viewer},
		{Name: "postmortems.section.save", Method: http.MethodPost, Path: "/incidents/:key/postmortem/sections/:id", Handler: p.Postmortems.SectionSave, Access: member},
		{Name: "postmortems.section.history", Method: http.MethodGet, Path: "/incidents/:key/postmortem/sections/:id/history", Handler: p.Postmortems.SectionHistory, Access: viewer},
		{Name: "postmortems.factors.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem/factors", Handler: p.Postmortems.FactorCreate, Access: member},
		{Name: "postmortems.factors.delete", Method: http.MethodPost, Path: "/incidents/:key/postmortem/factors/:id/delete", Handler: p.Postmortems.FactorDelete, Access: member},
		{Name: "postmortems.actions.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem/actions", Handler: p.Postmortems.ActionCreate, Access: member},
		{Name: "postmortems.export", Method: http.MethodGet, Path: "/incidents/:key/postmortem/export.md", Handler: p.Postmortems.Export, Access: viewer},
		{Name: "postmortems.print", Method: http.MethodGet, Path: "/incidents/:key/postmortem/print", Handler: p.Postmortems.Print, Access: viewer},

		// Live retrospectives; every write publishes to the retro's topic
		{Name: "retros.index", Method: http.MethodGet, Path: "/retros", Handler: p.Retros.Index, Access: viewer},
		{Name: "retros.new", Method: http.MethodGet, Path: "/retros/new", Handler: p.Retros.New, Access: facilitator},
		{Name: "retros.create", Method: http.MethodPost, Path: "/retros", Handler: p.Retros.Create, Access: facilitator},
		{Name: "retros.show", Method: http.MethodGet, Path: "/retros/:id", Handler: p.Retros.Show, Access: viewer},
		{Name: "retros.stream", Method: http.MethodGet, Path: "/retros/:id/stream", Handler: p.RetroStream.Stream, Access: viewer, Stream: true},
		{Name: "retros.phase", Method: http.MethodPost, Path: "/retros/:id/phase", Handler: p.Retros.Phase, Access: member},
		{Name: "retros.timer", Method: http.MethodPost, Path: "/retros/:id/timer", Handler: p.Retros.Timer, Access: member},
		{Name: "retros.ready", Method: http.MethodPost, Path: "/retros/:id/ready", Handler: p.Retros.Ready, Access: member},
		{Name: "retros.reveal", Method: http.MethodPost, Path: "/retros/:id/reveal", Handler: p.Retros.Reveal, Access: member},
		{Name: "retros.settings", Method: http.MethodPost, Path: "/retros/:id/settings", Handler: p.Retros.Settings, Access: member},
		{Name: "retros.notes.create", Method: http.MethodPost, Path: "/retros/:id/notes", Handler: p.Retros.NoteCreate, Access: member},
		{Name: "retros.notes.update", Method: http.MethodPost, Path: "/retros/:id/notes/:nid", Handler: p.Retros.NoteUpdate, Access: member},
		{Name: "retros.notes.delete", Method: http.MethodPost, Path: "/retros/:id/notes/:nid/delete", Handler: p.Retros.NoteDelete, Access: member},
		{Name: "retros.notes.group", Method: http.MethodPost, Path: "/retros/:id/notes/:nid/group", Handler: p.Retros.NoteGroup, Access: member},
		{Name: "retros.themes.create", Method: http.MethodPost, Path: "/retros/:id/themes", Handler: p.Retros.ThemeCreate, Access: member},
		{Name: "retros.themes.delete", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/delete", Handler: p.Retros.ThemeDelete, Access: member},
		{Name: "retros.votes.cast", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/vote", Handler: p.Retros.Vote, Access: member},
		{Name: "retros.votes.withdraw", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/unvote", Handler: p.Retros.Vote, Access: member},
		{Name: "retros.proposals.create", Method: http.MethodPost, Path: "/retros/:id/proposals", Handler: p.Retros.ProposalCreate, Access: member},
		{Name: "retros.proposals.decide", Method: http.MethodPost, Path: "/retros/:id/proposals/:pid", Handler: p.Retros.ProposalDecide, Access: member},
		{Name: "retros.factors.create", Method: http.MethodPost, Path: "/retros/:id/factors", Handler: p.Retros.FactorCreate, Access: member},
		{Name: "retros.actions.create", Method: http.MethodPost, Path: "/retros/:id/actions", Handler: p.Retros.ActionCreate, Access: member},
		{Name: "retros.close", Method: http.MethodPost, Path: "/retros/:id/close", Handler: p.Retros.Close, Access: member},

		// Action items and follow-through
		{Name: "actions.index", Method: http.MethodGet, Path: "/action-items", Handler: p.ActionList.Index, Access: viewer},
		{Name: "actions.new", Method: http.MethodGet, Path: "/action-items/new", Handler: p.Actions.New, Access: member},
		{Name: "actions.create", Method: http.MethodPost, Path: "/action-items", Handler: p.Actions.Create, Access: member},
		{Name: "actions.show", Method: http.MethodGet, Path: "/action-items/:id", Handler: p.Actions.Show, Access: viewer},
		{Name: "actions.edit", Method: http.MethodGet, Path: "/action-items/:id/edit", Handler: p.Actions.Edit, Access: member},
		{Name: "actions.update", Method: http.MethodPost, Path: "/action-items/:id/edit", Handler: p.Actions.Update, Access: member},
		{Name: "actions.status", Method: http.MethodPost, Path: "/action-items/:id/status", Handler: p.Actions.Status, Access: member},
		{Name: "actions.export", Method: http.MethodGet, Path: "/action-items/export", Handler: p.ActionList.Export, Access: viewer},
		{Name: "actions.bulk", Method: http.MethodPost, Path: "/action-items/bulk", Handler: p.ActionList.Bulk, Access: member},
		{Name: "actions.dashboard", Method: http.MethodGet, Path: "/action-items/dashboard", Handler: p.FollowThrough.Dashboard, Access: viewer},
		{Name: "actions.burnup", Method: http.MethodGet, Path: "/action-items/burn-up", Handler: p.FollowThrough.BurnUp, Access: viewer},
		{Name: "actions.row", Method: http.MethodGet, Path: "/action-items/:id/row", Handler: p.ActionList.RowShow, Access: viewer},
		{Name: "actions.row.edit", Method: http.MethodGet, Path: "/action-items/:id/row/edit", Handler: p.ActionList.RowEdit, Access: member},
		{Name: "actions.row.update", Method: http.MethodPost, Path: "/action-items/:id/row", Handler: p.ActionList.RowUpdate, Access: member},
		{Name: "actions.comments.create", Method: http.MethodPost, Path: "/action-items/:id/comments", Handler: p.Actions.CommentCreate, Access: member},

		// Insights
		{Name: "insights.index", Method: http.MethodGet, Path: "/insights", Handler: p.Insights.Index, Access: viewer},
		{Name: "insights.over_time", Method: http.MethodGet, Path: "/insights/over-time", Handler: p.Insights.OverTime, Access: viewer},
		{Name: "insights.over_time.csv", Method: http.MethodGet, Path: "/insights/over-time.csv", Handler: p.Insights.OverTimeCSV, Access: viewer},
		{Name: "insights.weekdays", Method: http.MethodGet, Path: "/insights/weekdays", Handler: p.Insights.Weekdays, Access: viewer},
		{Name: "insights.weekdays.csv", Method: http.MethodGet, Path: "/insights/weekdays.csv", Handler: p.Insights.WeekdaysCSV, Access: viewer},
		{Name: "insights.heatmap", Method: http.MethodGet, Path: "/insights/heatmap", Handler: p.Insights.Heatmap, Access: viewer},
		{Name: "insights.heatmap.csv", Method: http.MethodGet, Path: "/insights/heatmap.csv", Handler: p.Insights.HeatmapCSV, Access: viewer},
		{Name: "insights.durations", Method: http.MethodGet, Path: "/insights/durations", Handler: p.Insights.Durations, Access: viewer},
		{Name: "insights.durations.csv", Method: http.MethodGet, Path: "/insights/durations.csv", Handler: p.Insights.DurationsCSV, Access: viewer},
		{Name: "insights.components", Method: http.MethodGet, Path: "/insights/components", Handler: p.Insights.Components, Access: viewer},
		{Name: "insights.components.csv", Method: http.MethodGet, Path: "/insights/components.csv", Handler: p.Insights.ComponentsCSV, Access: viewer},
		{Name: "insights.history", Method: http.MethodGet, Path: "/insights/today", Handler: p.Insights.History, Access: viewer},
		{Name: "insights.follow_through", Method: http.MethodGet, Path: "/insights/follow-through", Handler: p.Insights.FollowThrough, Access: viewer},
		{Name: "insights.history.csv", Method: http.MethodGet, Path: "/insights/today.csv", Handler: p.Insights.HistoryCSV, Access: viewer},

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

		// Webhooks: authenticated by their signature or secret, not a session
		{Name: "api.webhooks.pagerduty", Method: http.MethodPost, Path: "/api/v1/webhooks/pagerduty/:token", Handler: a.PagerDuty.Webhook, Access: public, NoSession: true, Webhook: true, Secret: true},
	}
}

// register indexes the routes in the kit's table and adds them to echo
// with their access checks.
func (s *Server) register(routes []route) {
	s.kit.Routes = web.NewTable(routes)
	for _, r := range routes {
		h := r.Handler
		s.e.Add(r.Method, r.Path, h, s.authorize(r)).Name = r.Name
		if r.Method == http.MethodGet {
			s.e.Add(http.MethodHead, r.Path, h, s.authorize(r))
		}
	}
}

// RouteInfo describes a registered route for tests and documentation.
type RouteInfo struct {
	Name, Method, Path, Access string
}

// Routes lists every route in the table.
func (s *Server) Routes() []RouteInfo {
	all := s.kit.Routes.All()
	out := make([]RouteInfo, 0, len(all))
	for _, r := range all {
		out = append(out, RouteInfo{Name: r.Name, Method: r.Method, Path: r.Path, Access: r.Access.String()})
	}
	return out
}

// Path returns the path of a named route (for tests and the CLI).
func (s *Server) Path(name string, params ...any) string { return s.kit.Path(name, params...) }
