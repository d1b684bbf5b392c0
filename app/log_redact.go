package app

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

// secretQueryParams are query parameters whose values are credentials
// (the OIDC callback's code and state, tokens some clients put in URLs).
var secretQueryParams = []string{"code", "state", "token", "access_token", "id_token", "session_state"}

// loggedURI is the request URI as logs may show it: a path that carries a
// credential (a route marked Secret) becomes its route pattern, and the
// values of secretQueryParams become "REDACTED".
func (s *Server) loggedURI(c echo.Context, uri string) string {
	if r, ok := s.routeFor(c); ok && r.Secret {
		return r.Path
	}
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return uri
	}
	if u.RawQuery == "" {
		return uri
	}
	q := u.Query()
	changed := false
	for _, k := range secretQueryParams {
		if q.Has(k) {
			q.Set(k, "REDACTED")
			changed = true
		}
	}
	if !changed {
		return uri
	}
	u.RawQuery = q.Encode()
	return u.RequestURI()
}
