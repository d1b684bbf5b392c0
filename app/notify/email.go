package notify

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/debrief-sre/debrief/models"
)

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS is smtps://: TLS from the first byte (port 465). Without
	// it (smtp://) STARTTLS is used whenever the server offers it.
	ImplicitTLS bool
	// RequireTLS refuses servers that do not offer STARTTLS
	// (smtp://…?starttls=required).
	RequireTLS bool
	// TLSConfig overrides the TLS settings (tests trust their own CA).
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// ParseSMTPURL reads DEBRIEF_SMTP_URL: smtp://[user[:password]@]host[:port]
// (STARTTLS when offered; port 587 by default; ?starttls=required refuses
// plain connections) or smtps://[user[:password]@]host[:port] (TLS from
// the start; port 465 by default). Escape special characters in the user
// and password with %XX.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return SMTPConfig{}, errors.New("not a URL; want smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.ImplicitTLS = 465, true
	default:
		return SMTPConfig{}, errors.New("want a smtp:// or smtps:// URL, like smtp://user:password@mail.example.com:587")
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return SMTPConfig{}, errors.New("the URL names no host; want smtp://user:password@host:587")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, errors.New("the port must be a number from 1 to 65535")
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" {
		return SMTPConfig{}, errors.New("the URL must not have a path; want smtp://user:password@host:587")
	}
	for k, v := range u.Query() {
		switch {
		case k == "starttls" && len(v) == 1 && v[0] == "required":
			if c.ImplicitTLS {
				return SMTPConfig{}, errors.New("starttls=required only applies to smtp:// (smtps:// always uses TLS)")
			}
			c.RequireTLS = true
		default:
			return SMTPConfig{}, fmt.Errorf("unknown option %q; the only option is starttls=required", k)
		}
	}
	return c, nil
}

// Redacted is the URL without its password, for logs and the admin page.
func (c SMTPConfig) Redacted() string {
	scheme := "smtp"
	if c.ImplicitTLS {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	return u.String()
}

// ParseMailFrom reads DEBRIEF_MAIL_FROM: an address, optionally with a
// name, like "Debrief <debrief@example.com>".
func ParseMailFrom(raw string) (*mail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(raw))
	if err != nil {
		return nil, errors.New(`want an email address, like debrief@example.com or "Debrief <debrief@example.com>"`)
	}
	return a, nil
}

// Mailer sends mail through one SMTP server.
type Mailer struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewMailer returns a mailer that sends as from.
func NewMailer(cfg SMTPConfig, from *mail.Address) *Mailer {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Mailer{cfg: cfg, from: from}
}

// Config returns the mailer's settings.
func (m *Mailer) Config() SMTPConfig { return m.cfg }

// From returns the sender address.
func (m *Mailer) From() *mail.Address { return m.from }

// Mail is one plain-text message.
type Mail struct {
	To      string
	Subject string
	Text    string
	// MessageID is stable for a delivery, so receiving systems can tell a
	// re-sent copy from a new message.
	MessageID string
}

func mailFor(d *models.Delivery) Mail {
	text := d.Body
	if d.Link != "" {
		if text != "" {
			text += "\n\n"
		}
		text += d.Link
	}
	text += "\n\n-- \nSent by Debrief. Mute reminders in your account settings."
	sum := sha256.Sum256([]byte(d.IdempotencyKey))
	return Mail{
		To: d.Recipient, Subject: d.Subject, Text: text,
		MessageID: fmt.Sprintf("debrief.%d.%s@debrief.invalid", d.ID, hex.EncodeToString(sum[:8])),
	}
}

// Send delivers one message. SMTP replies 5xx to the sender, recipient or
// content are permanent errors; everything else may succeed later.
func (m *Mailer) Send(ctx context.Context, msg Mail) error {
	mm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	mm.FromMailAddress(m.from)
	if err := mm.To(msg.To); err != nil {
		return Permanent(fmt.Errorf("recipient %q: %w", msg.To, err))
	}
	mm.Subject(msg.Subject)
	mm.SetDate()
	if msg.MessageID != "" {
		mm.SetMessageIDWithValue(msg.MessageID)
	}
	mm.SetUserAgent("Debrief")
	// RFC 3834: an automatic message; auto-responders stay quiet.
	mm.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	mm.SetBodyString(gomail.TypeTextPlain, msg.Text)

	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(m.cfg.Timeout)}
	tlsCfg := m.cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsCfg = tlsCfg.Clone()
	if tlsCfg.ServerName == "" {
		tlsCfg.ServerName = m.cfg.Host
	}
	opts = append(opts, gomail.WithTLSConfig(tlsCfg))
	switch {
	case m.cfg.ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case m.cfg.RequireTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if m.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	c, err := gomail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return Permanent(fmt.Errorf("smtp: %w", err))
	}
	if err := c.DialAndSendWithContext(ctx, mm); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() {
			switch se.Reason {
			case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
				return Permanent(fmt.Errorf("smtp: %w", err))
			}
		}
		return fmt.Errorf("smtp: %w", err)
	}
	return nil
}
