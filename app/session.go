package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// sessionCookie names the session cookie; over https it gets the
// __Host- prefix (see cookieName).
const sessionCookie = "debrief_session"

// cookieName prefixes name with __Host- when the site is served over
// https: browsers then accept the cookie only if it is Secure, has path /
// and no Domain, so a sibling subdomain cannot plant or overwrite it.
func (s *Server) cookieName(name string) string {
	if s.secureCookies() {
		return "__Host-" + name
	}
	return name
}

// newSessions builds the session manager on a database-backed store, so
// sessions survive restarts and are shared by every instance.
func (s *Server) newSessions() (*scs.SessionManager, func(), error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, nil, err
	}
	sm := scs.New()
	stop := func() {}
	switch s.dialect {
	case models.DialectPostgres:
		st := postgresstore.NewWithCleanupInterval(sqlDB, 10*time.Minute)
		sm.Store, stop = st, st.StopCleanup
	default:
		st := sqlite3store.NewWithCleanupInterval(sqlDB, 10*time.Minute)
		sm.Store, stop = st, st.StopCleanup
	}
	sm.Lifetime = s.cfg.SessionLifetime
	sm.IdleTimeout = s.cfg.SessionIdle
	sm.Cookie.Name = s.cookieName(sessionCookie)
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = s.secureCookies()
	sm.Cookie.Path = "/"
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.log.ErrorContext(r.Context(), "session store", "err", err)
	}
	return sm, stop, nil
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// loadSession loads the session and the signed-in user (or the owner of a
// bearer token on the API) for every request except static files and probes.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r, ok := s.routeFor(c)
		if ok && r.Access == public && r.NoSession {
			return next(c)
		}
		req := c.Request()
		if web.IsAPI(c) {
			if auth := req.Header.Get("Authorization"); auth != "" {
				tok, found := strings.CutPrefix(auth, "Bearer ")
				if !found {
					return echo.NewHTTPError(http.StatusUnauthorized, "use Authorization: Bearer TOKEN")
				}
				u, err := models.UserForToken(req.Context(), s.db, strings.TrimSpace(tok))
				if errors.Is(err, models.ErrBadToken) {
					return echo.NewHTTPError(http.StatusUnauthorized, "the API token is invalid or revoked")
				}
				if err != nil {
					return err
				}
				web.SetUser(c, u, true)
				return next(c)
			}
		}
		token := ""
		if ck, err := c.Cookie(s.sessions.Cookie.Name); err == nil {
			token = ck.Value
		}
		ctx, err := s.sessions.Load(req.Context(), token)
		if err != nil {
			return errDBDown{Err: err}
		}
		c.SetRequest(req.WithContext(ctx))
		web.MarkSessionLoaded(c)
		c.Response().Before(func() { s.commitSession(c) })
		if uid := s.sessions.GetInt64(ctx, "uid"); uid != 0 {
			u, err := models.GetUser(ctx, s.db, uid)
			switch {
			case errors.Is(err, models.ErrNotFound):
				_ = s.sessions.Destroy(ctx)
			case err != nil:
				return err
			case u.Disabled || u.SessionEpoch != s.sessions.GetInt(ctx, "epoch"):
				// Disabled, password changed or role changed: sign out.
				_ = s.sessions.Destroy(ctx)
			default:
				web.SetUser(c, u, false)
			}
		}
		return next(c)
	}
}

func (s *Server) commitSession(c echo.Context) {
	ctx := c.Request().Context()
	w := c.Response().Writer
	c.Response().Header().Add("Vary", "Cookie")
	switch s.sessions.Status(ctx) {
	case scs.Modified:
		token, expiry, err := s.sessions.Commit(ctx)
		if err != nil {
			s.log.ErrorContext(ctx, "commit session", "err", err)
			return
		}
		s.sessions.WriteSessionCookie(ctx, w, token, expiry)
	case scs.Destroyed:
		s.sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	}
	if web.CurrentUser(c) != nil && !strings.HasPrefix(c.Request().URL.Path, "/static/") {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
}

// authorize returns the access check of a route: public routes pass;
// others need a signed-in user whose role includes the route's.
func (s *Server) authorize(r route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if r.Access == public {
			return next
		}
		return func(c echo.Context) error {
			u := web.CurrentUser(c)
			if u == nil {
				if web.IsAPI(c) {
					return echo.NewHTTPError(http.StatusUnauthorized, "sign in with an API token: Authorization: Bearer TOKEN")
				}
				n, err := models.CountUsers(c.Request().Context(), s.db)
				if err != nil {
					return err
				}
				if n == 0 {
					return s.kit.Redirect(c, s.kit.Path("auth.setup"))
				}
				next := c.Request().URL.RequestURI()
				if c.Request().Method != http.MethodGet {
					next = "/"
				}
				return s.kit.Redirect(c, s.kit.Path("auth.signin")+"?next="+url.QueryEscape(next))
			}
			if !r.Access.Allows(u) {
				return models.ErrForbidden
			}
			return next(c)
		}
	}
}
