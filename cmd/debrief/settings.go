package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
)

// setting describes one configuration value: its environment variable, its
// flag, its default, what it means and how it is parsed. The README's
// configuration table lists the same settings.
type setting struct {
	Env, Flag, Default, Help string
	parse                    func(v string, c *config) error
}

var settings = []setting{
	{"PORT", "", "8080", "TCP port to listen on (ignored when --addr is given).", func(v string, c *config) error {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return errors.New("want a port number between 1 and 65535")
		}
		c.Port = v
		return nil
	}},
	{"", "addr", "", "Address to listen on, host:port (default :$PORT).", func(v string, c *config) error {
		if v == "" {
			return nil
		}
		if _, _, err := net.SplitHostPort(v); err != nil {
			return errors.New("want host:port, for example :8080 or 127.0.0.1:8080")
		}
		c.Addr = v
		return nil
	}},
	{"DATABASE_URL", "database-url", "", "Empty: SQLite file debrief.db in the working directory; postgres://… or postgresql://…: PostgreSQL; sqlite:PATH: SQLite at PATH.", func(v string, c *config) error {
		d, err := models.ParseDSN(v)
		if err != nil {
			return err
		}
		c.DSN = d
		return nil
	}},
	{"DEBRIEF_BASE_URL", "base-url", "", "Public URL of this instance, e.g. https://debrief.example.com (links in mails, SSO redirects, secure cookies).", func(v string, c *config) error {
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("want an absolute http:// or https:// URL")
		}
		c.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"DEBRIEF_TRUSTED_PROXIES", "trusted-proxies", "", "Comma-separated CIDRs (or addresses) of reverse proxies whose X-Forwarded-For names the client, e.g. 10.0.0.0/8. Empty: trust none; the client is the connection's address (sign-in limits, audit trail).", func(v string, c *config) error {
		nets, err := parseCIDRs(v)
		if err != nil {
			return err
		}
		c.TrustedProxies = nets
		return nil
	}},
	{"DEBRIEF_METRICS_TOKEN", "metrics-token", "", "Bearer token that /metrics requires (Authorization: Bearer TOKEN); empty: /metrics is open to anyone who can reach it. Prefer the environment variable to the flag.", func(v string, c *config) error {
		if v != "" && len(v) < 16 {
			return errors.New("use at least 16 characters, e.g. from `openssl rand -hex 32`")
		}
		c.MetricsToken = v
		return nil
	}},
	{"DEBRIEF_TIMEZONE", "timezone", "UTC", "Default IANA time zone for insights and for users without a preference.", func(v string, c *config) error {
		loc, err := time.LoadLocation(v)
		if err != nil || v == "" || strings.EqualFold(v, "local") {
			return errors.New("want an IANA time zone name such as UTC or Europe/Berlin")
		}
		c.Location = loc
		return nil
	}},
	{"DEBRIEF_LOG_FORMAT", "log-format", "text", "Log format on stdout: text or json.", func(v string, c *config) error {
		if v != "text" && v != "json" {
			return errors.New("want text or json")
		}
		c.LogFormat = v
		return nil
	}},
	{"DEBRIEF_LOG_LEVEL", "log-level", "info", "Log level: debug, info, warn or error.", func(v string, c *config) error {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return errors.New("want debug, info, warn or error")
		}
		return nil
	}},
	{"DEBRIEF_DB_MAX_CONNS", "db-max-conns", "16", "Size of the database connection pool.", func(v string, c *config) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errors.New("want a whole number from 1 to 1000")
		}
		c.DBMaxConns = n
		return nil
	}},
	{"DEBRIEF_SESSION_IDLE", "session-idle", "12h", "Sign out after this long without activity (Go duration, e.g. 30m, 12h).", func(v string, c *config) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return errors.New("want a duration of at least 1m, such as 30m or 12h")
		}
		c.SessionIdle = d
		return nil
	}},
	{"DEBRIEF_SESSION_LIFETIME", "session-lifetime", "168h", "Sign out this long after signing in, whatever happens (Go duration).", func(v string, c *config) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return errors.New("want a duration of at least 1m, such as 24h or 168h")
		}
		c.SessionLifetime = d
		return nil
	}},
	{"DEBRIEF_OIDC_ISSUER", "oidc-issuer", "", "OpenID Connect issuer URL; enables single sign-on.", func(v string, c *config) error {
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return errors.New("want the issuer's https:// URL, e.g. https://accounts.google.com")
		}
		c.OIDC.Issuer = v
		return nil
	}},
	{"DEBRIEF_OIDC_CLIENT_ID", "oidc-client-id", "", "OAuth client ID registered with the provider.", func(v string, c *config) error {
		c.OIDC.ClientID = v
		return nil
	}},
	{"DEBRIEF_OIDC_CLIENT_SECRET", "oidc-client-secret", "", "OAuth client secret (prefer the environment variable to the flag).", func(v string, c *config) error {
		c.OIDC.ClientSecret = v
		return nil
	}},
	{"DEBRIEF_OIDC_ALLOWED_DOMAINS", "oidc-allowed-domains", "", "Comma-separated email domains allowed to sign in with SSO (empty: any).", func(v string, c *config) error {
		for _, d := range strings.Split(v, ",") {
			d = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d), "@"))
			if d == "" {
				continue
			}
			if strings.ContainsAny(d, " /@") || !strings.Contains(d, ".") {
				return fmt.Errorf("%q is not a domain; want e.g. example.com,example.org", d)
			}
			c.OIDC.AllowedDomains = append(c.OIDC.AllowedDomains, strings.ToLower(d))
		}
		return nil
	}},
	{"DEBRIEF_OIDC_DEFAULT_ROLE", "oidc-default-role", "member", "Role of users created at their first SSO sign-in: viewer, member or facilitator.", func(v string, c *config) error {
		r := models.Role(v)
		if !r.Valid() || r == models.RoleAdmin {
			return errors.New("want viewer, member or facilitator")
		}
		c.OIDC.DefaultRole = r
		return nil
	}},
	{"DEBRIEF_OIDC_NAME", "oidc-name", "", "Name of the provider on the sign-in button, e.g. Okta.", func(v string, c *config) error {
		c.OIDC.DisplayName = v
		return nil
	}},
	{"DEBRIEF_OIDC_TRUST_UNVERIFIED_EMAIL", "oidc-trust-unverified-email", "false", "true: treat an ID token WITHOUT an email_verified claim as verified (only for a provider that verifies every email but omits the claim); an explicit false is refused anyway. Matters because SSO links to an existing account with the same email.", func(v string, c *config) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		c.OIDC.TrustUnverifiedEmail = b
		return nil
	}},
	// Notifications
	{"DEBRIEF_WEBHOOK_ALLOW_PRIVATE", "webhook-allow-private", "false", "true: let teams' Slack and webhook URLs point at private, loopback and link-local addresses (refused by default, when saved and when connecting, so webhooks cannot reach the cloud metadata service or services beside Debrief).", func(v string, c *config) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		c.WebhookAllowPrivate = b
		return nil
	}},
	{"DEBRIEF_SMTP_URL", "smtp-url", "", "Mail server for reminders and digests: smtp://user:password@host:587 (STARTTLS when offered; add ?starttls=required to insist) or smtps://user:password@host:465. Empty: no mail.", func(v string, c *config) error {
		if v == "" {
			return nil
		}
		sc, err := notify.ParseSMTPURL(v)
		if err != nil {
			return err
		}
		c.SMTP = &sc
		return nil
	}},
	{"DEBRIEF_MAIL_FROM", "mail-from", "", `Sender of Debrief's mail, e.g. "Debrief <debrief@example.com>"; required with DEBRIEF_SMTP_URL.`, func(v string, c *config) error {
		if v == "" {
			return nil
		}
		a, err := notify.ParseMailFrom(v)
		if err != nil {
			return err
		}
		c.MailFrom = a
		return nil
	}},
}
