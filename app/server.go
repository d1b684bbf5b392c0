// Package app is Debrief's HTTP layer and the only package that imports
// echo. Handlers are thin: parse the request, call models, render views.
package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/pages"
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/migrations"
	"github.com/debrief-sre/debrief/models"
)

// OIDCConfig configures single sign-on with an OpenID Connect provider.
type OIDCConfig = pages.OIDCConfig

// Config is the part of Debrief's configuration the HTTP layer needs.
type Config struct {
	// BaseURL is the externally visible URL (for links in mails, calendar
	// feeds, OIDC redirects and secure cookies). Links never come from the
	// request's Host header; cmd/debrief derives the URL from the listen
	// address when none is configured, and empty here means
	// http://localhost.
	BaseURL string
	// Location is the default time zone for aggregations and for users
	// without a preference.
	Location *time.Location
	Version  string
	// BodyLimit caps request bodies (imports get ImportBodyLimit).
	BodyLimit       string
	ImportBodyLimit string
	// SessionIdle ends a session after this long without a request;
	// SessionLifetime ends it this long after sign-in, whatever happens.
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	// OIDC enables single sign-on when its Issuer is set.
	OIDC OIDCConfig

	// ImportAsyncRows: incident imports with more rows run in the
	// background with a progress bar (default 2000).
	ImportAsyncRows int

	// TrustedProxies are the networks of reverse proxies whose
	// X-Forwarded-For names the client; empty trusts no one, and the
	// client is the connection's address.
	TrustedProxies []*net.IPNet
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string
	// WebhookAllowPrivate lets teams' webhook URLs point at private,
	// loopback and link-local addresses (refused by default).
	WebhookAllowPrivate bool
}

// Deps are the collaborators the server is built from.
type Deps struct {
	DB     *gorm.DB
	Logger *slog.Logger
	// Registry receives Debrief's metrics; a fresh one is made when nil.
	Registry *prometheus.Registry
	// Now is the clock (tests move it); time.Now when nil.
	Now func() time.Time
	// Jobs is the process's job queue (notifications, reminders); nil
	// makes an insert-only queue whose jobs another process works.
	Jobs *jobs.Queue
	// Mailer is the configured SMTP mailer, nil without mail (shown on
	// the admin notifications page; the delivery worker sends with it).
	Mailer *notify.Mailer
	// Live tunes live updates (zero: production defaults; Logger and Now
	// default to the ones above).
	Live live.Options
}

// Server is the HTTP application.
type Server struct {
	cfg Config
	db  *gorm.DB
	log *slog.Logger
	now func() time.Time
	e   *echo.Echo
	// kit is what every handler shares (app/web); its Routes is the
	// route table.
	kit     *web.Kit
	metrics *metrics
	dialect string

	sessions     *scs.SessionManager
	stopSessions func()

	// Background jobs and notifications.
	jobs    *jobs.Queue
	ownJobs bool // made here, closed by Close
	mailer  *notify.Mailer
	// live carries live updates (SSE) within and across instances.
	live *live.Broker
	// pages are the page handlers (Close waits for their background work).
	pages *pages.Handlers
	// builtins adds the built-in review templates on first use.
	builtins *models.Builtins
	// readyMig checks the schema for /readyz; built on the first probe
	// (it parses every embedded migration) and kept.
	readyMu  sync.Mutex
	readyMig *migrations.Migrator
}

// New builds the server with every route and middleware in place.
func New(cfg Config, deps Deps) (*Server, error) {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "2M"
	}
	if cfg.ImportBodyLimit == "" {
		cfg.ImportBodyLimit = "24M" // an import file of importing.MaxFileBytes, its mapping and the form
	}
	if cfg.ImportAsyncRows == 0 {
		cfg.ImportAsyncRows = 2000
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 12 * time.Hour
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 7 * 24 * time.Hour
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Registry == nil {
		deps.Registry = prometheus.NewRegistry()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	// Every model timestamp reads the same clock as the handlers.
	deps.DB = models.WithClock(deps.DB, deps.Now)
	s := &Server{
		cfg:      cfg,
		db:       deps.DB,
		log:      deps.Logger,
		now:      deps.Now,
		dialect:  deps.DB.Dialector.Name(),
		builtins: &models.Builtins{},
	}
	m, err := newMetrics(deps.Registry, deps.DB)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if s.sessions, s.stopSessions, err = s.newSessions(); err != nil {
		return nil, err
	}
	s.jobs, s.mailer = deps.Jobs, deps.Mailer
	if s.jobs == nil {
		if s.jobs, err = jobs.New(deps.DB, jobs.Config{Logger: deps.Logger}); err != nil {
			return nil, err
		}
		s.ownJobs = true
	}
	if err := s.startLive(deps); err != nil {
		s.stopSessions()
		return nil, err
	}

	s.kit = &web.Kit{
		DB: s.db, Log: s.log, Now: s.now, Location: cfg.Location, BaseURL: cfg.BaseURL, Version: cfg.Version,
		Sessions: s.sessions, Live: s.live, Jobs: s.jobs, Mailer: s.mailer,
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.e = e
	s.useMiddleware()
	s.register(s.routeList())
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// Close stops background work owned by the server.
func (s *Server) Close() error {
	s.stopSessions()
	s.pages.Close()
	s.live.Close()
	if s.ownJobs {
		return s.jobs.Close()
	}
	return nil
}

// Ready reports whether the database answers and its schema is current.
func (s *Server) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return errDBDown{Err: err}
	}
	s.readyMu.Lock()
	if s.readyMig == nil {
		if s.readyMig, err = migrations.New(sqlDB, s.dialect, nil); err != nil {
			s.readyMu.Unlock()
			return err
		}
	}
	mig := s.readyMig
	s.readyMu.Unlock()
	pending, err := mig.HasPending(ctx)
	if err != nil {
		return errDBDown{Err: err}
	}
	if pending {
		return errSchemaBehind
	}
	return nil
}

// BeginShutdown is called when the HTTP server starts shutting down; it
// ends long-lived streams (live SSE) so that http.Server.Shutdown, which
// waits for every request to finish, is not held up by them. Browsers
// reconnect to another instance, or to this one when it is back.
func (s *Server) BeginShutdown() { s.live.Shutdown() }
