package main

import (
	"io"
	"log/slog"
	"net"
	"net/mail"
	"time"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
)

// config is Debrief's configuration, read from the environment and
// overridden by flags of the same meaning.
type config struct {
	Addr       string
	Port       string
	DSN        models.DSN
	BaseURL    string
	Location   *time.Location
	LogFormat  string
	LogLevel   slog.Level
	DBMaxConns int
	Migrate    bool

	SessionIdle, SessionLifetime time.Duration
	OIDC                         app.OIDCConfig
	// TrustedProxies may name the client in X-Forwarded-For.
	TrustedProxies []*net.IPNet
	// MetricsToken, when set, protects /metrics.
	MetricsToken string
	// WebhookAllowPrivate lets webhooks reach private addresses.
	WebhookAllowPrivate bool
	// Mail: nil SMTP means mail is off.
	SMTP     *notify.SMTPConfig
	MailFrom *mail.Address
}

// listenURL is the public URL when DEBRIEF_BASE_URL is not set: http://
// with the configured listen host (localhost for all interfaces) and the
// port actually bound (which differs from --addr's for port 0).
func (c *config) listenURL(bound net.Addr) string {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	port := c.Port
	if _, p, err := net.SplitHostPort(bound.String()); err == nil {
		port = p
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (c *config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
