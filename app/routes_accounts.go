package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// operationRoutes are the probes, metrics and static files.
func (s *Server) operationRoutes() []route {
	return []route{
		// Operations
		{Name: "healthz", Method: http.MethodGet, Path: "/healthz", Handler: s.healthz, Access: public, NoSession: true},
		{Name: "readyz", Method: http.MethodGet, Path: "/readyz", Handler: s.readyz, Access: public, NoSession: true},
		{Name: "metrics", Method: http.MethodGet, Path: "/metrics", Handler: s.metricsHandler, Access: public, NoSession: true},
		{Name: "static", Method: http.MethodGet, Path: "/static/*", Handler: s.serveStatic, Access: public, NoSession: true},
	}
}

// accountRoutes are signing in, the signed-in user's pages and home.
func accountRoutes(p *pages.Handlers) []route {
	return []route{
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
	}
}
