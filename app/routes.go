package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// access is who may call a route. It is checked in one place (authorize)
// for every route, from this table.
type access int

const (
	// public routes need no sign-in (health, static, sign-in itself).
	public access = iota
	// viewer routes need any signed-in user: viewers read.
	viewer
	// member routes create and edit content, answer reviews, own items.
	member
	// facilitator routes run reviews and retros.
	facilitator
	// admin routes manage users, teams, templates, severities, settings.
	admin
)

func (a access) String() string {
	return [...]string{"public", "viewer", "member", "facilitator", "admin"}[a]
}

// route is one entry of the route table.
type route struct {
	Name    string
	Method  string
	Path    string
	Handler echo.HandlerFunc
	Access  access
	// Stream marks long-lived responses (SSE): no gzip, no write deadline.
	Stream bool
	// Upload marks routes that accept large bodies (imports).
	Upload bool
	// NoSession skips loading the session (probes, static files).
	NoSession bool
	// Webhook routes authenticate by signature and need no CSRF token.
	Webhook bool
}

// routeList is every route of Debrief, in one list, each named. Tests and
// templates build URLs from the names.
func (s *Server) routeList() []route {
	return []route{
		// Operations
		{Name: "healthz", Method: http.MethodGet, Path: "/healthz", Handler: s.healthz, Access: public, NoSession: true},
		{Name: "readyz", Method: http.MethodGet, Path: "/readyz", Handler: s.readyz, Access: public, NoSession: true},
		{Name: "metrics", Method: http.MethodGet, Path: "/metrics", Handler: s.metricsHandler, Access: public, NoSession: true},
		{Name: "static", Method: http.MethodGet, Path: "/static/*", Handler: s.serveStatic, Access: public, NoSession: true},

		// Accounts
		{Name: "auth.setup", Method: http.MethodGet, Path: "/setup", Handler: s.setupForm, Access: public},
		{Name: "auth.setup.submit", Method: http.MethodPost, Path: "/setup", Handler: s.setupSubmit, Access: public},
		{Name: "auth.signin", Method: http.MethodGet, Path: "/signin", Handler: s.signInForm, Access: public},
		{Name: "auth.signin.submit", Method: http.MethodPost, Path: "/signin", Handler: s.signInSubmit, Access: public},
		{Name: "auth.oidc.start", Method: http.MethodGet, Path: "/auth/oidc/start", Handler: s.oidcStart, Access: public},
		{Name: "auth.oidc.callback", Method: http.MethodGet, Path: "/auth/oidc/callback", Handler: s.oidcCallback, Access: public},
		{Name: "auth.signout", Method: http.MethodPost, Path: "/signout", Handler: s.signOut, Access: viewer},

		// Pages
		{Name: "home", Method: http.MethodGet, Path: "/", Handler: s.home, Access: viewer},
		{Name: "reviews.index", Method: http.MethodGet, Path: "/reviews", Handler: s.sectionPage("reviews", "Reviews", "Operational reviews of platform components against checklists."), Access: viewer},
		{Name: "incidents.index", Method: http.MethodGet, Path: "/incidents", Handler: s.sectionPage("incidents", "Incidents", "Incident records, timelines and postmortems."), Access: viewer},
		{Name: "retros.index", Method: http.MethodGet, Path: "/retros", Handler: s.sectionPage("retros", "Retros", "Live, blameless retrospectives."), Access: viewer},
		{Name: "actions.index", Method: http.MethodGet, Path: "/action-items", Handler: s.actionIndex, Access: viewer},
		{Name: "insights.index", Method: http.MethodGet, Path: "/insights", Handler: s.sectionPage("insights", "Insights", "Incident patterns and trends."), Access: viewer},

		// Components and operational reviews (issue 4)
		{Name: "components.index", Method: http.MethodGet, Path: "/components", Handler: s.componentIndex, Access: viewer},
		{Name: "components.new", Method: http.MethodGet, Path: "/components/new", Handler: s.componentNew, Access: member},
		{Name: "components.create", Method: http.MethodPost, Path: "/components", Handler: s.componentCreate, Access: member},
		{Name: "components.show", Method: http.MethodGet, Path: "/components/:slug", Handler: s.componentShow, Access: viewer},
		{Name: "components.edit", Method: http.MethodGet, Path: "/components/:slug/edit", Handler: s.componentEdit, Access: member},
		{Name: "components.update", Method: http.MethodPost, Path: "/components/:slug/edit", Handler: s.componentUpdate, Access: member},
		{Name: "reviews.due", Method: http.MethodGet, Path: "/reviews/due", Handler: s.reviewsDue, Access: viewer},
		{Name: "actions.new", Method: http.MethodGet, Path: "/action-items/new", Handler: s.actionNew, Access: member},
		{Name: "actions.create", Method: http.MethodPost, Path: "/action-items", Handler: s.actionCreate, Access: member},
		{Name: "actions.show", Method: http.MethodGet, Path: "/action-items/:id", Handler: s.actionShow, Access: viewer},
		{Name: "actions.edit", Method: http.MethodGet, Path: "/action-items/:id/edit", Handler: s.actionEdit, Access: member},
		{Name: "actions.update", Method: http.MethodPost, Path: "/action-items/:id/edit", Handler: s.actionUpdate, Access: member},
		{Name: "actions.status", Method: http.MethodPost, Path: "/action-items/:id/status", Handler: s.actionStatus, Access: member},

		// Account
		{Name: "me.my_work", Method: http.MethodGet, Path: "/me", Handler: s.myWork, Access: viewer},
		{Name: "account.show", Method: http.MethodGet, Path: "/account", Handler: s.accountShow, Access: viewer},
		{Name: "account.profile", Method: http.MethodPost, Path: "/account/profile", Handler: s.accountProfile, Access: viewer},
		{Name: "account.password", Method: http.MethodPost, Path: "/account/password", Handler: s.accountPassword, Access: viewer},
		{Name: "account.tokens.create", Method: http.MethodPost, Path: "/account/tokens", Handler: s.accountTokenCreate, Access: viewer},
		{Name: "account.tokens.revoke", Method: http.MethodPost, Path: "/account/tokens/:id/revoke", Handler: s.accountTokenRevoke, Access: viewer},

		// Administration
		{Name: "admin.index", Method: http.MethodGet, Path: "/admin", Handler: s.adminIndex, Access: admin},
		{Name: "admin.users", Method: http.MethodGet, Path: "/admin/users", Handler: s.adminUsers, Access: admin},
		{Name: "admin.users.create", Method: http.MethodPost, Path: "/admin/users", Handler: s.adminUserCreate, Access: admin},
		{Name: "admin.users.edit", Method: http.MethodGet, Path: "/admin/users/:id", Handler: s.adminUserEdit, Access: admin},
		{Name: "admin.users.update", Method: http.MethodPost, Path: "/admin/users/:id", Handler: s.adminUserUpdate, Access: admin},
		{Name: "admin.users.reset_password", Method: http.MethodPost, Path: "/admin/users/:id/reset-password", Handler: s.adminUserResetPassword, Access: admin},
		{Name: "admin.teams", Method: http.MethodGet, Path: "/admin/teams", Handler: s.adminTeams, Access: admin},
		{Name: "admin.teams.create", Method: http.MethodPost, Path: "/admin/teams", Handler: s.adminTeamCreate, Access: admin},
		{Name: "admin.teams.edit", Method: http.MethodGet, Path: "/admin/teams/:id", Handler: s.adminTeamEdit, Access: admin},
		{Name: "admin.teams.update", Method: http.MethodPost, Path: "/admin/teams/:id", Handler: s.adminTeamUpdate, Access: admin},
		{Name: "admin.audit", Method: http.MethodGet, Path: "/admin/audit", Handler: s.adminAudit, Access: admin},

		// Incidents: records, timelines, severities, import and ingest
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
		{Name: "admin.severities", Method: http.MethodGet, Path: "/admin/severities", Handler: s.severitiesIndex, Access: admin},
		{Name: "admin.severities.create", Method: http.MethodPost, Path: "/admin/severities", Handler: s.severityCreate, Access: admin},
		{Name: "admin.severities.edit", Method: http.MethodGet, Path: "/admin/severities/:id/edit", Handler: s.severityEdit, Access: admin},
		{Name: "admin.severities.update", Method: http.MethodPost, Path: "/admin/severities/:id", Handler: s.severityUpdate, Access: admin},
		{Name: "admin.severities.delete", Method: http.MethodPost, Path: "/admin/severities/:id/delete", Handler: s.severityDelete, Access: admin},

		// Notifications, background jobs and calendar feeds (notifications.go)
		{Name: "admin.deliveries", Method: http.MethodGet, Path: "/admin/deliveries", Handler: s.deliveriesPage, Access: admin},
		{Name: "admin.deliveries.retry", Method: http.MethodPost, Path: "/admin/deliveries/:id/retry", Handler: s.deliveryRetry, Access: admin},
		{Name: "admin.notifications", Method: http.MethodGet, Path: "/admin/notifications", Handler: s.notificationSettings, Access: admin},
		{Name: "admin.notifications.team", Method: http.MethodPost, Path: "/admin/notifications/teams/:id", Handler: s.teamTargetsSave, Access: admin},
		{Name: "admin.notifications.secret", Method: http.MethodPost, Path: "/admin/notifications/teams/:id/secret", Handler: s.teamWebhookSecretRotate, Access: admin},
		{Name: "admin.notifications.test", Method: http.MethodPost, Path: "/admin/notifications/test", Handler: s.notificationTest, Access: admin},
		{Name: "account.notifications", Method: http.MethodGet, Path: "/account/notifications", Handler: s.accountNotifications, Access: viewer},
		{Name: "account.notifications.mute", Method: http.MethodPost, Path: "/account/notifications/mute", Handler: s.muteReminders, Access: viewer},
		{Name: "account.calendar.new", Method: http.MethodPost, Path: "/account/calendar", Handler: s.calendarNew, Access: viewer},
		{Name: "account.calendar.revoke", Method: http.MethodPost, Path: "/account/calendar/revoke", Handler: s.calendarRevoke, Access: viewer},
		{Name: "calendar.feed", Method: http.MethodGet, Path: "/calendar/:file", Handler: s.calendarFeed, Access: public, NoSession: true},

		// Follow-through (issue 7): the list's export, bulk changes and inline
		// edits, comments, the dashboard, burn-ups and reminder settings
		{Name: "actions.export", Method: http.MethodGet, Path: "/action-items/export", Handler: s.actionExport, Access: viewer},
		{Name: "actions.bulk", Method: http.MethodPost, Path: "/action-items/bulk", Handler: s.actionBulk, Access: member},
		{Name: "actions.dashboard", Method: http.MethodGet, Path: "/action-items/dashboard", Handler: s.followThroughDashboard, Access: viewer},
		{Name: "actions.burnup", Method: http.MethodGet, Path: "/action-items/burn-up", Handler: s.burnUpPage, Access: viewer},
		{Name: "actions.row", Method: http.MethodGet, Path: "/action-items/:id/row", Handler: s.actionRowShow, Access: viewer},
		{Name: "actions.row.edit", Method: http.MethodGet, Path: "/action-items/:id/row/edit", Handler: s.actionRowEdit, Access: member},
		{Name: "actions.row.update", Method: http.MethodPost, Path: "/action-items/:id/row", Handler: s.actionRowUpdate, Access: member},
		{Name: "actions.comments.create", Method: http.MethodPost, Path: "/action-items/:id/comments", Handler: s.actionCommentCreate, Access: member},
		{Name: "admin.reminders", Method: http.MethodGet, Path: "/admin/reminders", Handler: s.reminderSettings, Access: admin},
		{Name: "admin.reminders.save", Method: http.MethodPost, Path: "/admin/reminders", Handler: s.reminderSettingsSave, Access: admin},
		{Name: "api.actions", Method: http.MethodGet, Path: "/api/v1/action-items", Handler: s.apiActions, Access: viewer},
		{Name: "api.actions.create", Method: http.MethodPost, Path: "/api/v1/action-items", Handler: s.apiActionCreate, Access: member},
		{Name: "api.actions.bulk", Method: http.MethodPost, Path: "/api/v1/action-items/bulk", Handler: s.apiActionBulk, Access: member},
		{Name: "api.actions.show", Method: http.MethodGet, Path: "/api/v1/action-items/:id", Handler: s.apiActionShow, Access: viewer},
		{Name: "api.actions.update", Method: http.MethodPatch, Path: "/api/v1/action-items/:id", Handler: s.apiActionUpdate, Access: member},
		{Name: "api.actions.comments", Method: http.MethodGet, Path: "/api/v1/action-items/:id/comments", Handler: s.apiActionComments, Access: viewer},
		{Name: "api.actions.comments.create", Method: http.MethodPost, Path: "/api/v1/action-items/:id/comments", Handler: s.apiActionCommentCreate, Access: member},
		{Name: "api.insights.follow_through", Method: http.MethodGet, Path: "/api/v1/insights/follow-through", Handler: s.apiFollowThrough, Access: viewer},

		// JSON API
		{Name: "api.openapi", Method: http.MethodGet, Path: "/api/v1/openapi.json", Handler: s.openAPI, Access: public},
		{Name: "api.me", Method: http.MethodGet, Path: "/api/v1/me", Handler: s.apiMe, Access: viewer},
		{Name: "api.users", Method: http.MethodGet, Path: "/api/v1/users", Handler: s.apiUsers, Access: admin},
		{Name: "api.users.create", Method: http.MethodPost, Path: "/api/v1/users", Handler: s.apiUserCreate, Access: admin},
		{Name: "api.teams", Method: http.MethodGet, Path: "/api/v1/teams", Handler: s.apiTeams, Access: viewer},
		{Name: "api.teams.create", Method: http.MethodPost, Path: "/api/v1/teams", Handler: s.apiTeamCreate, Access: admin},
	}
}

// register adds the routes to echo with their access checks.
func (s *Server) register(routes []route) {
	for _, r := range routes {
		if _, dup := s.paths[r.Name]; dup {
			panic("app: duplicate route name " + r.Name)
		}
		s.paths[r.Name] = r.Path
		r := r
		h := r.Handler
		s.e.Add(r.Method, r.Path, h, s.authorize(r)).Name = r.Name
		if r.Method == http.MethodGet {
			s.e.Add(http.MethodHead, r.Path, h, s.authorize(r))
		}
		s.routes = append(s.routes, r)
		s.byPattern[r.Method+" "+r.Path] = r
	}
}

// reverse returns the path of the named route with params substituted in
// order (path-escaped). An unknown name is a programming error.
func (s *Server) reverse(name string, params ...any) string {
	p, ok := s.paths[name]
	if !ok {
		panic(fmt.Sprintf("app: no route named %q", name))
	}
	var b strings.Builder
	segs := strings.Split(p, "/")
	n := 0
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		if strings.HasPrefix(seg, ":") || seg == "*" {
			if n >= len(params) {
				panic(fmt.Sprintf("app: route %q needs more parameters", name))
			}
			b.WriteString(url.PathEscape(fmt.Sprint(params[n])))
			n++
			continue
		}
		b.WriteString(seg)
	}
	return b.String()
}

// RouteInfo describes a registered route for tests and documentation.
type RouteInfo struct {
	Name, Method, Path, Access string
}

// Routes lists every route in the table.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(s.routes))
	for _, r := range s.routes {
		out = append(out, RouteInfo{Name: r.Name, Method: r.Method, Path: r.Path, Access: r.Access.String()})
	}
	return out
}

// Path returns the path of a named route (for tests and the CLI).
func (s *Server) Path(name string, params ...any) string { return s.reverse(name, params...) }
