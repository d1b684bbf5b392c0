package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

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
	p := pages.New(s.kit, pages.Options{OIDC: s.cfg.OIDC, WebhookAllowPrivate: s.cfg.WebhookAllowPrivate})
	a := api.New(s.kit)
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
		{Name: "me.my_work", Method: http.MethodGet, Path: "/me", Handler: s.myWork, Access: viewer},
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
		{Name: "home", Method: http.MethodGet, Path: "/", Handler: s.home, Access: viewer},

		// Components, review templates, reviews and findings
		{Name: "reviews.index", Method: http.MethodGet, Path: "/reviews", Handler: s.reviewsIndex, Access: viewer},
		{Name: "components.index", Method: http.MethodGet, Path: "/components", Handler: s.componentIndex, Access: viewer},
		{Name: "components.new", Method: http.MethodGet, Path: "/components/new", Handler: s.componentNew, Access: member},
		{Name: "components.create", Method: http.MethodPost, Path: "/components", Handler: s.componentCreate, Access: member},
		{Name: "components.show", Method: http.MethodGet, Path: "/components/:slug", Handler: s.componentShow, Access: viewer},
		{Name: "components.edit", Method: http.MethodGet, Path: "/components/:slug/edit", Handler: s.componentEdit, Access: member},
		{Name: "components.update", Method: http.MethodPost, Path: "/components/:slug/edit", Handler: s.componentUpdate, Access: member},
		{Name: "reviews.due", Method: http.MethodGet, Path: "/reviews/due", Handler: s.reviewsDue, Access: viewer},
		{Name: "templates.index", Method: http.MethodGet, Path: "/review-templates", Handler: s.templateIndex, Access: viewer},
		{Name: "templates.create", Method: http.MethodPost, Path: "/review-templates", Handler: s.templateCreate, Access: admin},
		{Name: "templates.import", Method: http.MethodGet, Path: "/review-templates/import", Handler: s.templateImportForm, Access: admin},
		{Name: "templates.import.submit", Method: http.MethodPost, Path: "/review-templates/import", Handler: s.templateImport, Access: admin, Upload: true},
		{Name: "templates.show", Method: http.MethodGet, Path: "/review-templates/:key", Handler: s.templateShow, Access: viewer},
		{Name: "templates.version", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n", Handler: s.templateVersion, Access: viewer},
		{Name: "templates.export", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/yaml", Handler: s.templateExport, Access: viewer},
		{Name: "templates.draft", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/draft", Handler: s.templateTransition("draft"), Access: admin},
		{Name: "templates.publish", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/publish", Handler: s.templateTransition("publish"), Access: admin},
		{Name: "templates.deprecate", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/deprecate", Handler: s.templateTransition("deprecate"), Access: admin},
		{Name: "templates.discard", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/discard", Handler: s.templateTransition("discard"), Access: admin},
		{Name: "templates.yaml", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/edit", Handler: s.templateYAMLForm, Access: admin},
		{Name: "templates.yaml.save", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/edit", Handler: s.templateYAMLSave, Access: admin},
		{Name: "templates.section.add", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/sections", Handler: s.templateSectionAdd, Access: admin},
		{Name: "templates.question.add", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/sections/:section/questions", Handler: s.templateQuestionAdd, Access: admin},
		{Name: "templates.question", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/questions/:q/edit", Handler: s.templateQuestionForm, Access: admin},
		{Name: "templates.question.update", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/questions/:q/edit", Handler: s.templateQuestionUpdate, Access: admin},
		{Name: "templates.question.delete", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/questions/:q/delete", Handler: s.templateQuestionDelete, Access: admin},
		{Name: "reviews.new", Method: http.MethodGet, Path: "/reviews/new", Handler: s.reviewNew, Access: member},
		{Name: "reviews.create", Method: http.MethodPost, Path: "/reviews", Handler: s.reviewCreate, Access: member},
		{Name: "reviews.show", Method: http.MethodGet, Path: "/reviews/:id", Handler: s.reviewShow, Access: viewer},
		{Name: "reviews.edit", Method: http.MethodGet, Path: "/reviews/:id/edit", Handler: s.reviewEdit, Access: member},
		{Name: "reviews.update", Method: http.MethodPost, Path: "/reviews/:id/edit", Handler: s.reviewUpdate, Access: member},
		{Name: "reviews.transition", Method: http.MethodPost, Path: "/reviews/:id/transition", Handler: s.reviewTransition, Access: member},
		{Name: "reviews.signoff", Method: http.MethodGet, Path: "/reviews/:id/signoff", Handler: s.reviewSignOffForm, Access: facilitator},
		{Name: "reviews.signoff.submit", Method: http.MethodPost, Path: "/reviews/:id/signoff", Handler: s.reviewSignOff, Access: facilitator},
		{Name: "reviews.readout", Method: http.MethodGet, Path: "/reviews/:id/readout", Handler: s.reviewReadout, Access: viewer},
		{Name: "reviews.readout.md", Method: http.MethodGet, Path: "/reviews/:id/readout.md", Handler: s.reviewReadoutMarkdown, Access: viewer},
		{Name: "components.compare", Method: http.MethodGet, Path: "/components/:slug/compare", Handler: s.componentCompare, Access: viewer},
		{Name: "reviews.answer", Method: http.MethodGet, Path: "/reviews/:id/answers/:key", Handler: s.answerFragment, Access: viewer},
		{Name: "reviews.answer.save", Method: http.MethodPost, Path: "/reviews/:id/answers/:key", Handler: s.answerSave, Access: member},
		{Name: "findings.new", Method: http.MethodGet, Path: "/reviews/:id/findings/new", Handler: s.findingNew, Access: member},
		{Name: "findings.create", Method: http.MethodPost, Path: "/reviews/:id/findings", Handler: s.findingCreate, Access: member},
		{Name: "findings.show", Method: http.MethodGet, Path: "/findings/:id", Handler: s.findingShow, Access: viewer},
		{Name: "findings.edit", Method: http.MethodGet, Path: "/findings/:id/edit", Handler: s.findingEdit, Access: member},
		{Name: "findings.update", Method: http.MethodPost, Path: "/findings/:id/edit", Handler: s.findingUpdate, Access: member},
		{Name: "findings.status", Method: http.MethodPost, Path: "/findings/:id/status", Handler: s.findingStatus, Access: member},

		// Incidents: records, timelines, import, postmortems
		{Name: "incidents.index", Method: http.MethodGet, Path: "/incidents", Handler: s.incidentsIndex, Access: viewer},
		{Name: "incidents.export", Method: http.MethodGet, Path: "/incidents/export.csv", Handler: s.incidentsExport, Access: viewer},
		{Name: "incidents.import", Method: http.MethodGet, Path: "/incidents/import", Handler: s.importNew, Access: member},
		{Name: "incidents.import.upload", Method: http.MethodPost, Path: "/incidents/import", Handler: s.importUpload, Access: member, Upload: true},
		{Name: "incidents.import.show", Method: http.MethodGet, Path: "/incidents/import/:id", Handler: s.importShow, Access: member},
		{Name: "incidents.import.progress", Method: http.MethodGet, Path: "/incidents/import/:id/progress", Handler: s.importProgress, Access: member},
		{Name: "incidents.import.confirm", Method: http.MethodPost, Path: "/incidents/import/:id/confirm", Handler: s.importConfirm, Access: member},
		{Name: "incidents.new", Method: http.MethodGet, Path: "/incidents/new", Handler: s.incidentNew, Access: member},
		{Name: "incidents.create", Method: http.MethodPost, Path: "/incidents", Handler: s.incidentCreate, Access: member},
		{Name: "incidents.show", Method: http.MethodGet, Path: "/incidents/:key", Handler: s.incidentShow, Access: viewer},
		{Name: "incidents.edit", Method: http.MethodGet, Path: "/incidents/:key/edit", Handler: s.incidentEdit, Access: member},
		{Name: "incidents.update", Method: http.MethodPost, Path: "/incidents/:key", Handler: s.incidentUpdate, Access: member},
		{Name: "timeline.index", Method: http.MethodGet, Path: "/incidents/:key/timeline", Handler: s.timelineIndex, Access: viewer},
		{Name: "timeline.create", Method: http.MethodPost, Path: "/incidents/:key/timeline", Handler: s.timelineCreate, Access: member},
		{Name: "timeline.edit", Method: http.MethodGet, Path: "/incidents/:key/timeline/:id/edit", Handler: s.timelineEdit, Access: member},
		{Name: "timeline.update", Method: http.MethodPost, Path: "/incidents/:key/timeline/:id", Handler: s.timelineUpdate, Access: member},
		{Name: "timeline.delete", Method: http.MethodPost, Path: "/incidents/:key/timeline/:id/delete", Handler: s.timelineDelete, Access: member},
		{Name: "timeline.paste", Method: http.MethodPost, Path: "/incidents/:key/timeline/paste", Handler: s.timelinePaste, Access: member},
		{Name: "timeline.paste.save", Method: http.MethodPost, Path: "/incidents/:key/timeline/paste/save", Handler: s.timelinePasteSave, Access: member},
		{Name: "postmortems.index", Method: http.MethodGet, Path: "/postmortems", Handler: s.postmortemIndex, Access: viewer},
		{Name: "postmortems.show", Method: http.MethodGet, Path: "/incidents/:key/postmortem", Handler: s.postmortemShow, Access: viewer},
		{Name: "postmortems.new", Method: http.MethodGet, Path: "/incidents/:key/postmortem/new", Handler: s.postmortemNew, Access: member},
		{Name: "postmortems.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem", Handler: s.postmortemCreate, Access: member},
		{Name: "postmortems.people", Method: http.MethodPost, Path: "/incidents/:key/postmortem/people", Handler: s.postmortemPeople, Access: member},
		{Name: "postmortems.status", Method: http.MethodPost, Path: "/incidents/:key/postmortem/status", Handler: s.postmortemStatus, Access: member},
		{Name: "postmortems.publish", Method: http.MethodPost, Path: "/incidents/:key/postmortem/publish", Handler: s.postmortemStatus, Access: facilitator},
		{Name: "postmortems.reopen", Method: http.MethodPost, Path: "/incidents/:key/postmortem/reopen", Handler: s.postmortemStatus, Access: admin},
		{Name: "postmortems.section", Method: http.MethodGet, Path: "/incidents/:key/postmortem/sections/:id", Handler: s.postmortemSection, Access: viewer},
		{Name: "postmortems.section.save", Method: http.MethodPost, Path: "/incidents/:key/postmortem/sections/:id", Handler: s.postmortemSectionSave, Access: member},
		{Name: "postmortems.section.history", Method: http.MethodGet, Path: "/incidents/:key/postmortem/sections/:id/history", Handler: s.postmortemSectionHistory, Access: viewer},
		{Name: "postmortems.factors.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem/factors", Handler: s.postmortemFactorCreate, Access: member},
		{Name: "postmortems.factors.delete", Method: http.MethodPost, Path: "/incidents/:key/postmortem/factors/:id/delete", Handler: s.postmortemFactorDelete, Access: member},
		{Name: "postmortems.actions.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem/actions", Handler: s.postmortemActionCreate, Access: member},
		{Name: "postmortems.export", Method: http.MethodGet, Path: "/incidents/:key/postmortem/export.md", Handler: s.postmortemExport, Access: viewer},
		{Name: "postmortems.print", Method: http.MethodGet, Path: "/incidents/:key/postmortem/print", Handler: s.postmortemPrint, Access: viewer},

		// Live retrospectives; every write publishes to the retro's topic
		{Name: "retros.index", Method: http.MethodGet, Path: "/retros", Handler: s.retroIndex, Access: viewer},
		{Name: "retros.new", Method: http.MethodGet, Path: "/retros/new", Handler: s.retroNew, Access: facilitator},
		{Name: "retros.create", Method: http.MethodPost, Path: "/retros", Handler: s.retroCreate, Access: facilitator},
		{Name: "retros.show", Method: http.MethodGet, Path: "/retros/:id", Handler: s.retroShow, Access: viewer},
		{Name: "retros.stream", Method: http.MethodGet, Path: "/retros/:id/stream", Handler: s.retroStream, Access: viewer, Stream: true},
		{Name: "retros.phase", Method: http.MethodPost, Path: "/retros/:id/phase", Handler: s.retroPhase, Access: member},
		{Name: "retros.timer", Method: http.MethodPost, Path: "/retros/:id/timer", Handler: s.retroTimerSet, Access: member},
		{Name: "retros.ready", Method: http.MethodPost, Path: "/retros/:id/ready", Handler: s.retroReady, Access: member},
		{Name: "retros.reveal", Method: http.MethodPost, Path: "/retros/:id/reveal", Handler: s.retroReveal, Access: member},
		{Name: "retros.settings", Method: http.MethodPost, Path: "/retros/:id/settings", Handler: s.retroSettingsSave, Access: member},
		{Name: "retros.notes.create", Method: http.MethodPost, Path: "/retros/:id/notes", Handler: s.retroNoteCreate, Access: member},
		{Name: "retros.notes.update", Method: http.MethodPost, Path: "/retros/:id/notes/:nid", Handler: s.retroNoteUpdate, Access: member},
		{Name: "retros.notes.delete", Method: http.MethodPost, Path: "/retros/:id/notes/:nid/delete", Handler: s.retroNoteDelete, Access: member},
		{Name: "retros.notes.group", Method: http.MethodPost, Path: "/retros/:id/notes/:nid/group", Handler: s.retroNoteGroup, Access: member},
		{Name: "retros.themes.create", Method: http.MethodPost, Path: "/retros/:id/themes", Handler: s.retroThemeCreate, Access: member},
		{Name: "retros.themes.delete", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/delete", Handler: s.retroThemeDelete, Access: member},
		{Name: "retros.votes.cast", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/vote", Handler: s.retroVote, Access: member},
		{Name: "retros.votes.withdraw", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/unvote", Handler: s.retroVote, Access: member},
		{Name: "retros.proposals.create", Method: http.MethodPost, Path: "/retros/:id/proposals", Handler: s.retroProposalCreate, Access: member},
		{Name: "retros.proposals.decide", Method: http.MethodPost, Path: "/retros/:id/proposals/:pid", Handler: s.retroProposalDecide, Access: member},
		{Name: "retros.factors.create", Method: http.MethodPost, Path: "/retros/:id/factors", Handler: s.retroFactorCreate, Access: member},
		{Name: "retros.actions.create", Method: http.MethodPost, Path: "/retros/:id/actions", Handler: s.retroActionCreate, Access: member},
		{Name: "retros.close", Method: http.MethodPost, Path: "/retros/:id/close", Handler: s.retroClose, Access: member},

		// Action items and follow-through
		{Name: "actions.index", Method: http.MethodGet, Path: "/action-items", Handler: s.actionIndex, Access: viewer},
		{Name: "actions.new", Method: http.MethodGet, Path: "/action-items/new", Handler: s.actionNew, Access: member},
		{Name: "actions.create", Method: http.MethodPost, Path: "/action-items", Handler: s.actionCreate, Access: member},
		{Name: "actions.show", Method: http.MethodGet, Path: "/action-items/:id", Handler: s.actionShow, Access: viewer},
		{Name: "actions.edit", Method: http.MethodGet, Path: "/action-items/:id/edit", Handler: s.actionEdit, Access: member},
		{Name: "actions.update", Method: http.MethodPost, Path: "/action-items/:id/edit", Handler: s.actionUpdate, Access: member},
		{Name: "actions.status", Method: http.MethodPost, Path: "/action-items/:id/status", Handler: s.actionStatus, Access: member},
		{Name: "actions.export", Method: http.MethodGet, Path: "/action-items/export", Handler: s.actionExport, Access: viewer},
		{Name: "actions.bulk", Method: http.MethodPost, Path: "/action-items/bulk", Handler: s.actionBulk, Access: member},
		{Name: "actions.dashboard", Method: http.MethodGet, Path: "/action-items/dashboard", Handler: s.followThroughDashboard, Access: viewer},
		{Name: "actions.burnup", Method: http.MethodGet, Path: "/action-items/burn-up", Handler: s.burnUpPage, Access: viewer},
		{Name: "actions.row", Method: http.MethodGet, Path: "/action-items/:id/row", Handler: s.actionRowShow, Access: viewer},
		{Name: "actions.row.edit", Method: http.MethodGet, Path: "/action-items/:id/row/edit", Handler: s.actionRowEdit, Access: member},
		{Name: "actions.row.update", Method: http.MethodPost, Path: "/action-items/:id/row", Handler: s.actionRowUpdate, Access: member},
		{Name: "actions.comments.create", Method: http.MethodPost, Path: "/action-items/:id/comments", Handler: s.actionCommentCreate, Access: member},

		// Insights
		{Name: "insights.index", Method: http.MethodGet, Path: "/insights", Handler: s.insightsIndex, Access: viewer},
		{Name: "insights.over_time", Method: http.MethodGet, Path: "/insights/over-time", Handler: s.insightsOverTime, Access: viewer},
		{Name: "insights.over_time.csv", Method: http.MethodGet, Path: "/insights/over-time.csv", Handler: s.insightsOverTimeCSV, Access: viewer},
		{Name: "insights.weekdays", Method: http.MethodGet, Path: "/insights/weekdays", Handler: s.insightsWeekdays, Access: viewer},
		{Name: "insights.weekdays.csv", Method: http.MethodGet, Path: "/insights/weekdays.csv", Handler: s.insightsWeekdaysCSV, Access: viewer},
		{Name: "insights.heatmap", Method: http.MethodGet, Path: "/insights/heatmap", Handler: s.insightsHeatmap, Access: viewer},
		{Name: "insights.heatmap.csv", Method: http.MethodGet, Path: "/insights/heatmap.csv", Handler: s.insightsHeatmapCSV, Access: viewer},
		{Name: "insights.durations", Method: http.MethodGet, Path: "/insights/durations", Handler: s.insightsDurations, Access: viewer},
		{Name: "insights.durations.csv", Method: http.MethodGet, Path: "/insights/durations.csv", Handler: s.insightsDurationsCSV, Access: viewer},
		{Name: "insights.components", Method: http.MethodGet, Path: "/insights/components", Handler: s.insightsComponents, Access: viewer},
		{Name: "insights.components.csv", Method: http.MethodGet, Path: "/insights/components.csv", Handler: s.insightsComponentsCSV, Access: viewer},
		{Name: "insights.history", Method: http.MethodGet, Path: "/insights/today", Handler: s.insightsHistory, Access: viewer},
		{Name: "insights.follow_through", Method: http.MethodGet, Path: "/insights/follow-through", Handler: s.insightsFollowThrough, Access: viewer},
		{Name: "insights.history.csv", Method: http.MethodGet, Path: "/insights/today.csv", Handler: s.insightsHistoryCSV, Access: viewer},

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
		{Name: "admin.severities", Method: http.MethodGet, Path: "/admin/severities", Handler: s.severitiesIndex, Access: admin},
		{Name: "admin.severities.create", Method: http.MethodPost, Path: "/admin/severities", Handler: s.severityCreate, Access: admin},
		{Name: "admin.severities.edit", Method: http.MethodGet, Path: "/admin/severities/:id/edit", Handler: s.severityEdit, Access: admin},
		{Name: "admin.severities.update", Method: http.MethodPost, Path: "/admin/severities/:id", Handler: s.severityUpdate, Access: admin},
		{Name: "admin.severities.delete", Method: http.MethodPost, Path: "/admin/severities/:id/delete", Handler: s.severityDelete, Access: admin},
		{Name: "admin.integrations", Method: http.MethodGet, Path: "/admin/integrations", Handler: s.integrationsIndex, Access: admin},
		{Name: "admin.integrations.create", Method: http.MethodPost, Path: "/admin/integrations", Handler: s.integrationCreate, Access: admin},
		{Name: "admin.integrations.show", Method: http.MethodGet, Path: "/admin/integrations/:id", Handler: s.integrationShow, Access: admin},
		{Name: "admin.integrations.update", Method: http.MethodPost, Path: "/admin/integrations/:id", Handler: s.integrationUpdate, Access: admin},
		{Name: "admin.integrations.delete", Method: http.MethodPost, Path: "/admin/integrations/:id/delete", Handler: s.integrationDelete, Access: admin},
		{Name: "admin.deliveries", Method: http.MethodGet, Path: "/admin/deliveries", Handler: p.Notifications.Deliveries, Access: admin},
		{Name: "admin.deliveries.retry", Method: http.MethodPost, Path: "/admin/deliveries/:id/retry", Handler: p.Notifications.Retry, Access: admin},
		{Name: "admin.notifications", Method: http.MethodGet, Path: "/admin/notifications", Handler: p.Notifications.Settings, Access: admin},
		{Name: "admin.notifications.team", Method: http.MethodPost, Path: "/admin/notifications/teams/:id", Handler: p.Notifications.TeamTargetsSave, Access: admin},
		{Name: "admin.notifications.secret", Method: http.MethodPost, Path: "/admin/notifications/teams/:id/secret", Handler: p.Notifications.TeamWebhookSecretRotate, Access: admin},
		{Name: "admin.notifications.test", Method: http.MethodPost, Path: "/admin/notifications/test", Handler: p.Notifications.Test, Access: admin},
		{Name: "admin.live", Method: http.MethodGet, Path: "/admin/live", Handler: p.LiveCheck.Show, Access: admin},
		{Name: "admin.live.stream", Method: http.MethodGet, Path: "/admin/live/stream", Handler: p.LiveCheckStream.Stream, Access: admin, Stream: true},
		{Name: "admin.live.ping", Method: http.MethodPost, Path: "/admin/live/ping", Handler: p.LiveCheck.Ping, Access: admin},
		{Name: "admin.pm_templates", Method: http.MethodGet, Path: "/admin/postmortem-templates", Handler: s.pmTemplates, Access: admin},
		{Name: "admin.pm_templates.new", Method: http.MethodGet, Path: "/admin/postmortem-templates/new", Handler: s.pmTemplateNew, Access: admin},
		{Name: "admin.pm_templates.create", Method: http.MethodPost, Path: "/admin/postmortem-templates", Handler: s.pmTemplateCreate, Access: admin},
		{Name: "admin.pm_templates.edit", Method: http.MethodGet, Path: "/admin/postmortem-templates/:id", Handler: s.pmTemplateEdit, Access: admin},
		{Name: "admin.pm_templates.update", Method: http.MethodPost, Path: "/admin/postmortem-templates/:id", Handler: s.pmTemplateUpdate, Access: admin},
		{Name: "admin.pm_templates.default", Method: http.MethodPost, Path: "/admin/postmortem-templates/:id/default", Handler: s.pmTemplateDefault, Access: admin},
		{Name: "admin.pm_defaults", Method: http.MethodPost, Path: "/admin/postmortem-defaults", Handler: s.pmDefaultsSave, Access: admin},
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
		{Name: "api.components.list", Method: http.MethodGet, Path: "/api/v1/components", Handler: s.apiComponentList, Access: viewer},
		{Name: "api.components.create", Method: http.MethodPost, Path: "/api/v1/components", Handler: s.apiComponentCreate, Access: member},
		{Name: "api.components.get", Method: http.MethodGet, Path: "/api/v1/components/:slug", Handler: s.apiComponentGet, Access: viewer},
		{Name: "api.components.update", Method: http.MethodPatch, Path: "/api/v1/components/:slug", Handler: s.apiComponentUpdate, Access: member},
		{Name: "api.templates.list", Method: http.MethodGet, Path: "/api/v1/review-templates", Handler: s.apiTemplateList, Access: viewer},
		{Name: "api.templates.import", Method: http.MethodPost, Path: "/api/v1/review-templates/import", Handler: s.apiTemplateImport, Access: admin, Upload: true},
		{Name: "api.templates.get", Method: http.MethodGet, Path: "/api/v1/review-templates/:key", Handler: s.apiTemplateGet, Access: viewer},
		{Name: "api.reviews.list", Method: http.MethodGet, Path: "/api/v1/reviews", Handler: s.apiReviewList, Access: viewer},
		{Name: "api.reviews.create", Method: http.MethodPost, Path: "/api/v1/reviews", Handler: s.apiReviewCreate, Access: member},
		{Name: "api.reviews.get", Method: http.MethodGet, Path: "/api/v1/reviews/:id", Handler: s.apiReviewGet, Access: viewer},
		{Name: "api.reviews.transition", Method: http.MethodPost, Path: "/api/v1/reviews/:id/transitions", Handler: s.apiReviewTransition, Access: member},
		{Name: "api.reviews.answer", Method: http.MethodPut, Path: "/api/v1/reviews/:id/answers/:question_key", Handler: s.apiAnswerPut, Access: member},
		{Name: "api.reviews.findings.list", Method: http.MethodGet, Path: "/api/v1/reviews/:id/findings", Handler: s.apiFindingList, Access: viewer},
		{Name: "api.reviews.findings.create", Method: http.MethodPost, Path: "/api/v1/reviews/:id/findings", Handler: s.apiFindingCreate, Access: member},

		// JSON API: severities, incidents, timelines, postmortems
		{Name: "api.severities", Method: http.MethodGet, Path: "/api/v1/severities", Handler: s.apiSeverities, Access: viewer},
		{Name: "api.incidents", Method: http.MethodGet, Path: "/api/v1/incidents", Handler: s.apiIncidents, Access: viewer},
		{Name: "api.incidents.create", Method: http.MethodPost, Path: "/api/v1/incidents", Handler: s.apiIncidentCreate, Access: member},
		{Name: "api.incidents.show", Method: http.MethodGet, Path: "/api/v1/incidents/:key", Handler: s.apiIncidentShow, Access: viewer},
		{Name: "api.incidents.update", Method: http.MethodPatch, Path: "/api/v1/incidents/:key", Handler: s.apiIncidentUpdate, Access: member},
		{Name: "api.timeline", Method: http.MethodGet, Path: "/api/v1/incidents/:key/timeline", Handler: s.apiTimeline, Access: viewer},
		{Name: "api.timeline.create", Method: http.MethodPost, Path: "/api/v1/incidents/:key/timeline", Handler: s.apiTimelineCreate, Access: member},
		{Name: "api.postmortems.show", Method: http.MethodGet, Path: "/api/v1/incidents/:key/postmortem", Handler: s.apiPostmortemShow, Access: viewer},

		// JSON API: action items
		{Name: "api.actions.bulk", Method: http.MethodPost, Path: "/api/v1/action-items/bulk", Handler: s.apiActionBulk, Access: member},
		{Name: "api.actions.history", Method: http.MethodGet, Path: "/api/v1/action-items/:id/history", Handler: s.apiActionHistory, Access: viewer},
		{Name: "api.actions.comments", Method: http.MethodGet, Path: "/api/v1/action-items/:id/comments", Handler: s.apiActionComments, Access: viewer},
		{Name: "api.actions.comments.create", Method: http.MethodPost, Path: "/api/v1/action-items/:id/comments", Handler: s.apiActionCommentCreate, Access: member},
		{Name: "api.actions.list", Method: http.MethodGet, Path: "/api/v1/action-items", Handler: s.apiActionList, Access: viewer},
		{Name: "api.actions.create", Method: http.MethodPost, Path: "/api/v1/action-items", Handler: s.apiActionCreate, Access: member},
		{Name: "api.actions.get", Method: http.MethodGet, Path: "/api/v1/action-items/:id", Handler: s.apiActionGet, Access: viewer},
		{Name: "api.actions.update", Method: http.MethodPatch, Path: "/api/v1/action-items/:id", Handler: s.apiActionUpdate, Access: member},

		// JSON API: insights
		{Name: "api.insights.follow_through", Method: http.MethodGet, Path: "/api/v1/insights/follow-through", Handler: s.apiFollowThrough, Access: viewer},
		{Name: "api.insights.weekdays", Method: http.MethodGet, Path: "/api/v1/insights/weekdays", Handler: s.apiInsightWeekdays, Access: viewer},
		{Name: "api.insights.heatmap", Method: http.MethodGet, Path: "/api/v1/insights/heatmap", Handler: s.apiInsightHeatmap, Access: viewer},
		{Name: "api.insights.over_time", Method: http.MethodGet, Path: "/api/v1/insights/over-time", Handler: s.apiInsightOverTime, Access: viewer},
		{Name: "api.insights.durations", Method: http.MethodGet, Path: "/api/v1/insights/durations", Handler: s.apiInsightDurations, Access: viewer},
		{Name: "api.insights.durations.summary", Method: http.MethodGet, Path: "/api/v1/insights/durations/summary", Handler: s.apiInsightDurationSummary, Access: viewer},
		{Name: "api.insights.durations.histogram", Method: http.MethodGet, Path: "/api/v1/insights/durations/histogram", Handler: s.apiInsightDurationHistogram, Access: viewer},
		{Name: "api.insights.durations.trend", Method: http.MethodGet, Path: "/api/v1/insights/durations/trend", Handler: s.apiInsightDurationTrend, Access: viewer},
		{Name: "api.insights.components", Method: http.MethodGet, Path: "/api/v1/insights/components", Handler: s.apiInsightComponents, Access: viewer},
		{Name: "api.insights.history", Method: http.MethodGet, Path: "/api/v1/insights/today", Handler: s.apiInsightHistory, Access: viewer},

		// Webhooks: authenticated by their signature or secret, not a session
		{Name: "api.webhooks.pagerduty", Method: http.MethodPost, Path: "/api/v1/webhooks/pagerduty/:token", Handler: s.pagerDutyWebhook, Access: public, NoSession: true, Webhook: true, Secret: true},
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

// reverse returns the path of the named route with params substituted in
// order (path-escaped). An unknown name is a programming error.
func (s *Server) reverse(name string, params ...any) string { return s.kit.Path(name, params...) }

// can reports whether the signed-in user may use the named route.
func (s *Server) can(c echo.Context, name string) bool { return s.kit.Can(c, name) }

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
func (s *Server) Path(name string, params ...any) string { return s.reverse(name, params...) }
