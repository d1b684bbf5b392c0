package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
)

// csrf requires the session's token (web.Kit.CSRFToken) on every
// state-changing request that rides on the session cookie, in the _csrf
// form field or the X-CSRF-Token header (htmx sends it from the page's
// hx-headers). Browsers that say a request came from another site
// (Sec-Fetch-Site: cross-site) are refused before the token is looked at.
// Bearer-token API calls carry no cookie and are exempt; so are webhooks,
// which are authenticated by their signature.
func (s *Server) csrf() echo.MiddlewareFunc {
	refuse := echo.NewHTTPError(http.StatusForbidden, "The form had expired or came from another site. Reload the page and try again.")
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				return next(c)
			}
			if s.csrfExempt(c) {
				return next(c)
			}
			if c.Request().Header.Get(echo.HeaderSecFetchSite) == "cross-site" {
				return refuse
			}
			submitted := []string{c.Request().Header.Get("X-CSRF-Token")}
			if submitted[0] == "" {
				submitted[0] = c.FormValue("_csrf")
			}
			if !s.kit.CSRFValid(c, submitted...) {
				return refuse
			}
			return next(c)
		}
	}
}

func (s *Server) csrfExempt(c echo.Context) bool {
	if web.ViaToken(c) {
		return true
	}
	// An API call with no credentials at all gets its 401 from authorize;
	// there is no session for a forged request to ride on.
	if web.IsAPI(c) && web.CurrentUser(c) == nil {
		return true
	}
	r, ok := s.routeFor(c)
	return ok && r.Webhook
}
