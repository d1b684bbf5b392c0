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
		{Name: "incidents.index", Method: http.MethodGet, Path: "/incidents", Handler: s.incidentsIndex, Access: viewer},
		{Name: "retros.index", Method: http.MethodGet, Path: "/retros", Handler: s.sectionPage("retros", "Retros", "Live, blameless retrospectives."), Access: viewer},
		{Name: "actions.index", Method: http.MethodGet, Path: "/action-items", Handler: s.sectionPage("actions", "Action items", "Every action item from every review and postmortem."), Access: viewer},
		{Name: "insights.index", Method: http.MethodGet, Path: "/insights", Handler: s.sectionPage("insights", "Insights", "Incident patterns and trends."), Access: viewer},

		// Account and administration
		{Name: "me.my_work", Method: http.MethodGet, Path: "/me", Handler: s.sectionPage("", "My work", "Your open action items and what you created."), Access: viewer},
		{Name: "account.show", Method: http.MethodGet, Path: "/account", Handler: s.sectionPage("", "Account", "Your profile, password and API tokens."), Access: viewer},
		{Name: "admin.index", Method: http.MethodGet, Path: "/admin", Handler: s.sectionPage("admin", "Administration", "Users, teams, templates, severities and the audit trail."), Access: admin},

		// Incidents: records, timelines, severities, import and ingest
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
		{Name: "api.severities", Method: http.MethodGet, Path: "/api/v1/severities", Handler: s.apiSeverities, Access: viewer},
		{Name: "api.incidents", Method: http.MethodGet, Path: "/api/v1/incidents", Handler: s.apiIncidents, Access: viewer},
		{Name: "api.incidents.create", Method: http.MethodPost, Path: "/api/v1/incidents", Handler: s.apiIncidentCreate, Access: member},
		{Name: "api.incidents.show", Method: http.MethodGet, Path: "/api/v1/incidents/:key", Handler: s.apiIncidentShow, Access: viewer},
		{Name: "api.incidents.update", Method: http.MethodPatch, Path: "/api/v1/incidents/:key", Handler: s.apiIncidentUpdate, Access: member},
		{Name: "api.timeline", Method: http.MethodGet, Path: "/api/v1/incidents/:key/timeline", Handler: s.apiTimeline, Access: viewer},
		{Name: "api.timeline.create", Method: http.MethodPost, Path: "/api/v1/incidents/:key/timeline", Handler: s.apiTimelineCreate, Access: member},
		{Name: "api.webhooks.pagerduty", Method: http.MethodPost, Path: "/api/v1/webhooks/pagerduty/:token", Handler: s.pagerDutyWebhook, Access: public, NoSession: true, Webhook: true},

		// JSON API
		{Name: "api.openapi", Method: http.MethodGet, Path: "/api/v1/openapi.json", Handler: s.openAPI, Access: public},
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
