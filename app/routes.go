package app

import (
	"github.com/labstack/echo/v4"
	"net/http"
	"slices"

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
// templates build URLs from the names. It is ordered by resource: the
// pages, then the JSON API, then webhooks; each group's entries are in
// its routes_*.go file.
func (s *Server) routeList() []route {
	p := pages.New(s.kit, pages.Options{OIDC: s.cfg.OIDC, Builtins: s.builtins, ImportAsyncRows: s.cfg.ImportAsyncRows, WebhookAllowPrivate: s.cfg.WebhookAllowPrivate})
	s.pages = p
	a := api.New(s.kit, api.Options{Builtins: s.builtins})
	return slices.Concat(
		s.operationRoutes(),
		accountRoutes(p),
		reviewRoutes(p),
		incidentRoutes(p),
		retroRoutes(p),
		actionRoutes(p),
		insightRoutes(p),
		adminRoutes(p),
		apiRoutes(a),
		webhookRoutes(a),
	)
}

// register indexes the routes in the kit's table and adds them to echo
// with their access checks.
func (s *Server) register(routes []route) {
	s.kit.Routes = web.NewTable(routes)
	for _, r := range routes {
		h := r.Handler
		mw := []echo.MiddlewareFunc{s.authorize(r)}
		if !r.Upload && !r.Webhook {
			// Uploads have their own caps (imports); webhooks carry the
			// sender's payload, which the receiver maps and validates.
			mw = append(mw, s.boundInput)
		}
		s.e.Add(r.Method, r.Path, h, mw...).Name = r.Name
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
