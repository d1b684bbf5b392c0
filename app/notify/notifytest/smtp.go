// Package notifytest runs real receivers inside tests: an SMTP server
// (emersion/go-smtp) that keeps every message it accepts, and an HTTP
// receiver for Slack-compatible and generic webhooks.
package notifytest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/debrief-sre/debrief/app/notify"
)

// Received is one accepted message.
type Received struct {
	From      string
	To        []string
	Subject   string
	MessageID string
	Header    mail.Header
	Text      string // decoded body
	Raw       []byte
	// TLS and Auth tell how the client connected.
	TLS  bool
	Auth string // user name, "" without authentication
}

// SMTPServer is an SMTP server on 127.0.0.1 for one test.
type SMTPServer struct {
	t        testing.TB
	srv      *smtp.Server
	addr     string
	user     string
	password string
	tlsCfg   *tls.Config // server side, nil without STARTTLS
	pool     *x509.CertPool

	mu       sync.Mutex
	received []Received
	reject   []*smtp.SMTPError // replies for the next messages' DATA
}

// SMTPOption configures NewSMTPServer.
type SMTPOption func(*SMTPServer)

// WithSTARTTLS offers STARTTLS with a certificate made for the test.
func WithSTARTTLS() SMTPOption {
	return func(s *SMTPServer) {
		cert, pool := selfSigned(s.t)
		s.tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.pool = pool
	}
}

// WithAuth requires AUTH PLAIN with user and password (use with
// WithSTARTTLS: clients refuse to send passwords in the clear).
func WithAuth(user, password string) SMTPOption {
	return func(s *SMTPServer) { s.user, s.password = user, password }
}

// NewSMTPServer starts a server that the test stops when it ends.
func NewSMTPServer(t testing.TB, opts ...SMTPOption) *SMTPServer {
	t.Helper()
	s := &SMTPServer{t: t}
	for _, o := range opts {
		o(s)
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.MaxRecipients = 10
	srv.TLSConfig = s.tlsCfg
	srv.AllowInsecureAuth = s.tlsCfg == nil
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("notifytest: %v", err)
	}
	s.srv, s.addr = srv, ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the DEBRIEF_SMTP_URL of the server.
func (s *SMTPServer) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.password)
	}
	return u.String()
}

// Mailer is a notify.Mailer for the server, trusting its certificate.
func (s *SMTPServer) Mailer(from string) *notify.Mailer {
	s.t.Helper()
	cfg, err := notify.ParseSMTPURL(s.URL())
	if err != nil {
		s.t.Fatalf("notifytest: %v", err)
	}
	if s.pool != nil {
		cfg.TLSConfig = &tls.Config{RootCAs: s.pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
		cfg.RequireTLS = true
	}
	addr, err := notify.ParseMailFrom(from)
	if err != nil {
		s.t.Fatalf("notifytest: %v", err)
	}
	return notify.NewMailer(cfg, addr)
}

// Messages returns what the server accepted, in order.
func (s *SMTPServer) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// RejectNext answers the next n messages' DATA with code (421 and 451 are
// temporary, 550 and 554 permanent).
func (s *SMTPServer) RejectNext(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.reject = append(s.reject, &smtp.SMTPError{Code: code, Message: fmt.Sprintf("test server rejects with %d", code)})
	}
}

type backend struct{ s *SMTPServer }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *SMTPServer
	conn *smtp.Conn
	auth string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.user || password != ss.s.password {
			return errors.New("invalid username or password")
		}
		ss.auth = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && ss.auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if len(ss.s.reject) > 0 {
		e := ss.s.reject[0]
		ss.s.reject = ss.s.reject[1:]
		return e
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(msg.Body)
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.received = append(ss.s.received, Received{
		From: ss.from, To: append([]string(nil), ss.to...), Subject: subject,
		MessageID: msg.Header.Get("Message-Id"), Header: msg.Header,
		Text: strings.ReplaceAll(string(body), "\r\n", "\n"), Raw: raw, TLS: isTLS, Auth: ss.auth,
	})
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for localhost and a pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
