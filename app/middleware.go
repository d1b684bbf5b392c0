package app

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// contentSecurityPolicy allows only our own origin for scripts and styles:
// no inline script or style anywhere in Debrief.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) useMiddleware() {
	e := s.e
	stream := func(c echo.Context) bool { return s.isStream(c) }
	e.Pre(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: newRequestID,
	}))
	e.Use(s.writeDeadline(60 * time.Second))
	e.Use(s.requestLogger())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableErrorHandler: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.ErrorContext(c.Request().Context(), "panic", "err", err, "request_id", web.RequestID(c), "stack", string(stack))
			return err
		},
	}))
	e.Use(s.metrics.middleware(s.now))
	// The view context comes before anything that may refuse a request
	// (the body limit's 413 among them), so the error page can render.
	e.Use(s.viewContext)
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            s.hstsMaxAge(),
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "same-origin",
	}))
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			return next(c)
		}
	})
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   s.cfg.BodyLimit,
		Skipper: func(c echo.Context) bool { return s.isUpload(c) },
	}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: s.cfg.ImportBodyLimit}))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     5,
		MinLength: 1024,
		Skipper:   stream,
	}))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: 30 * time.Second,
		Skipper: stream,
	}))
	e.Use(s.loadSession)
	e.Use(s.csrf())
}

func (s *Server) hstsMaxAge() int {
	if strings.HasPrefix(s.cfg.BaseURL, "https://") {
		return 31536000
	}
	return 0
}

func (s *Server) routeFor(c echo.Context) (route, bool) { return s.kit.Routes.Of(c) }

func (s *Server) isStream(c echo.Context) bool {
	r, ok := s.routeFor(c)
	return ok && r.Stream
}

func (s *Server) isUpload(c echo.Context) bool {
	r, ok := s.routeFor(c)
	return ok && r.Upload
}

// writeDeadline bounds how long writing a response may take, except for
// streams, which live as long as the client listens.
func (s *Server) writeDeadline(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !s.isStream(c) {
				_ = http.NewResponseController(c.Response().Writer).SetWriteDeadline(s.now().Add(d))
			}
			return next(c)
		}
	}
}

func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus:    true,
		LogURI:       true,
		LogMethod:    true,
		LogLatency:   true,
		LogRequestID: true,
		LogRemoteIP:  true,
		LogRoutePath: true,
		LogError:     true,
		HandleError:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			switch {
			case v.Status >= 500:
				level = slog.LevelError
			case v.Status >= 400:
				level = slog.LevelWarn
			case v.URI == "/healthz" || v.URI == "/readyz" || v.URI == "/metrics" || strings.HasPrefix(v.URI, "/static/"):
				level = slog.LevelDebug
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method),
				slog.String("uri", s.loggedURI(c, v.URI)),
				slog.String("route", v.RoutePath),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
				slog.String("request_id", v.RequestID),
				slog.String("ip", v.RemoteIP),
			}
			if v.Error != nil {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// viewContext puts the route reverser and the viewer's permissions into
// the request context, where templ components find them.
func (s *Server) viewContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		ctx := views.WithReverser(r.Context(), s.kit.Path)
		ctx = views.WithPermit(ctx, func(name string) bool { return s.kit.Can(c, name) })
		// The instance's zone: models derive calendar days (closed on, today) in it.
		ctx = models.WithZone(ctx, s.cfg.Location)
		c.SetRequest(r.WithContext(ctx))
		return next(c)
	}
}
