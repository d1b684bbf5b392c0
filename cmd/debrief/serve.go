package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/migrations"
	"github.com/debrief-sre/debrief/models"
)

// serveOptions are hooks for tests.
type serveOptions struct {
	// wrap wraps the app's handler (tests add slow routes with it).
	wrap func(http.Handler) http.Handler
	// listening receives the bound address once the server accepts.
	listening chan<- string
}

func cmdServe(ctx context.Context, e env, args []string, opts serveOptions) error {
	cfg, rest, err := parseConfig("serve", args, e.getenv, e.stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError(fmt.Sprintf("serve takes no arguments, got %q", rest))
	}
	log := cfg.logger(e.stdout)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if cfg.DSN.Dialect == models.DialectSQLite {
		// One instance owns a SQLite file; `debrief restore` checks this lock.
		unlock, err := lockDatabase(cfg.DSN.Path)
		if err != nil {
			return fmt.Errorf("serve %s: %w", cfg.DSN.Path, err)
		}
		defer unlock()
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()

	if err := ensureSchema(ctx, cfg, db, log); err != nil {
		return err
	}

	// Listening comes before the app is built: without DEBRIEF_BASE_URL
	// the public URL is derived from the address actually bound (never
	// from a request's Host header).
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set PORT or --addr to another port)", cfg.Addr, err)
	}
	defer ln.Close()
	if cfg.BaseURL == "" {
		cfg.BaseURL = cfg.listenURL(ln.Addr())
	}

	queue, mailer, err := newJobs(cfg, db, log)
	if err != nil {
		return err
	}
	defer queue.Close()

	srv, err := app.New(app.Config{
		BaseURL:         cfg.BaseURL,
		Location:        cfg.Location,
		Version:         versionString(),
		SessionIdle:     cfg.SessionIdle,
		SessionLifetime: cfg.SessionLifetime,
		OIDC:            cfg.OIDC,
		TrustedProxies:  cfg.TrustedProxies,
		MetricsToken:    cfg.MetricsToken,
		// Webhooks are posted by the job workers (newJobs) with the same setting.
		WebhookAllowPrivate: cfg.WebhookAllowPrivate,
	}, app.Deps{DB: db, Logger: log, Jobs: queue, Mailer: mailer})
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := queue.Start(ctx); err != nil {
		return err
	}
	if mailer == nil {
		log.Info("mail is off: set DEBRIEF_SMTP_URL and DEBRIEF_MAIL_FROM to send reminders and digests by mail")
	}

	var handler http.Handler = srv
	if opts.wrap != nil {
		handler = opts.wrap(handler)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		// No global WriteTimeout: live streams stay open for hours; the app
		// sets a write deadline on every other request.
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	hs.RegisterOnShutdown(srv.BeginShutdown)
	log.Info("Debrief is ready", "url", cfg.BaseURL, "addr", ln.Addr().String(), "database", cfg.DSN.Dialect, "version", versionString())
	if opts.listening != nil {
		opts.listening <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		log.Warn("shutdown did not finish cleanly", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("server stopped with error", "err", err)
	}
	// Background jobs stop after the last request: running jobs get the
	// same 30 s to finish; any still running then are cancelled and run
	// again on the next start (or on another instance).
	log.Info("shutting down: finishing running jobs")
	if err := queue.Stop(shutdownCtx); err != nil {
		log.Warn("background jobs did not stop cleanly", "err", err)
	}
	log.Info("stopped")
	return nil
}

func openDB(ctx context.Context, cfg *config, log *slog.Logger) (*gorm.DB, error) {
	db, err := models.Open(ctx, cfg.DSN, models.Options{MaxConns: cfg.DBMaxConns, Logger: log})
	if err != nil {
		if cfg.DSN.Dialect == models.DialectPostgres {
			return nil, fmt.Errorf("%w (check DATABASE_URL and that PostgreSQL is running)", err)
		}
		return nil, err
	}
	return db, nil
}

// ensureSchema migrates the embedded SQLite database automatically (one
// instance owns it) and, on PostgreSQL, only with --migrate; a PostgreSQL
// schema that is behind stops start-up with the command to run.
func ensureSchema(ctx context.Context, cfg *config, db *gorm.DB, log *slog.Logger) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if cfg.Migrate || cfg.DSN.Dialect == models.DialectSQLite {
		if err := migrations.Apply(ctx, sqlDB, cfg.DSN.Dialect, log); err != nil {
			return err
		}
		return nil
	}
	m, err := migrations.New(sqlDB, cfg.DSN.Dialect, log)
	if err != nil {
		return err
	}
	pending, err := m.HasPending(ctx)
	if err != nil {
		return err
	}
	if pending {
		cur, target, _ := m.Versions(ctx)
		if cur == target {
			return fmt.Errorf("the job queue's schema (River) is behind this Debrief: run `debrief migrate` (or start with `debrief serve --migrate`)")
		}
		return fmt.Errorf("the database schema is at version %d but this Debrief needs %d: run `debrief migrate` (or start with `debrief serve --migrate`)", cur, target)
	}
	return nil
}
