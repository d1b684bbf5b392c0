// Package apptest runs the real Debrief router over a real database for
// tests: an httptest server, clients with cookie jars, and helpers to read
// HTML with goquery.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/followup"
	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
)

// Env is one running Debrief for a test.
type Env struct {
	T      testing.TB
	DB     *gorm.DB
	App    *app.Server
	Server *httptest.Server
	Clock  *Clock
	// Jobs is the app's job queue with the notification worker; run its
	// jobs with jobstest.Drain(t, env.Jobs).
	Jobs *jobs.Queue
}

// Option adjusts the server configuration before it starts.
type Option func(*app.Config, *app.Deps)

// New starts Debrief on db and stops it when the test ends.
func New(t testing.TB, db *gorm.DB, opts ...Option) *Env {
	t.Helper()
	clock := &Clock{}
	cfg := app.Config{Version: "test"}
	deps := app.Deps{DB: db, Logger: TestLogger(t), Now: clock.Now}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	// The workers and the test's own writes read the app's clock.
	db = models.WithClock(deps.DB, deps.Now)
	if deps.Jobs == nil {
		workers := river.NewWorkers()
		notify.AddWorkers(workers, notify.Config{DB: db, Mailer: deps.Mailer, Logger: deps.Logger, AllowPrivate: cfg.WebhookAllowPrivate})
		followup.AddWorkers(workers, followup.Config{DB: db, BaseURL: "http://debrief.test", Location: cfg.Location, Logger: deps.Logger})
		deps.Jobs = jobstest.New(t, db, workers, clock.Now)
	}
	// The base URL is the listener's address, as cmd/debrief derives it
	// when none is configured, so the server is made before the app.
	ts := httptest.NewUnstartedServer(nil)
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	}
	srv, err := app.New(cfg, deps)
	if err != nil {
		ts.Close()
		t.Fatalf("apptest: %v", err)
	}
	ts.Config.Handler = srv
	ts.Config.RegisterOnShutdown(srv.BeginShutdown)
	ts.Start()
	t.Cleanup(func() {
		srv.BeginShutdown()
		ts.Close()
		_ = srv.Close()
	})
	return &Env{T: t, DB: db, App: srv, Server: ts, Clock: clock, Jobs: deps.Jobs}
}

// AllowPrivateWebhooks lets webhooks reach receivers on 127.0.0.1 (such as
// notifytest.Receiver), as DEBRIEF_WEBHOOK_ALLOW_PRIVATE does.
func AllowPrivateWebhooks() Option {
	return func(c *app.Config, _ *app.Deps) { c.WebhookAllowPrivate = true }
}

// WithMailer makes the app send mail with m (for example a
// notifytest.SMTPServer's Mailer).
func WithMailer(m *notify.Mailer) Option {
	return func(_ *app.Config, d *app.Deps) { d.Mailer = m }
}

// TestLogger logs to the test output when DEBRIEF_TEST_LOG is set and
// discards otherwise.
func TestLogger(t testing.TB) *slog.Logger {
	if os.Getenv("DEBRIEF_TEST_LOG") == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Clock is a settable clock; the zero value follows the real time.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	fixed  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		return c.fixed
	}
	return time.Now().Add(c.offset)
}

// Set fixes the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.fixed = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	if c.fixed.IsZero() {
		c.offset += d
	} else {
		c.fixed = c.fixed.Add(d)
	}
	c.mu.Unlock()
}

// Client is a browser-like HTTP client with its own cookie jar. It does not
// follow redirects, so tests can assert them.
type Client struct {
	env  *Env
	HTTP *http.Client
	// CSRF is sent as X-CSRF-Token on unsafe requests when set.
	CSRF string
	// Header is added to every request.
	Header http.Header

	// The session's CSRF token as last read, and the session it came with.
	csrfMu                 sync.Mutex
	csrfToken, csrfSession string
}

// Client returns a fresh client (a new browser, signed out).
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{
		env: e,
		HTTP: &http.Client{
			Jar:           jar,
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Header: http.Header{},
	}
}

// URL is the absolute URL of path on the test server.
func (e *Env) URL(path string) string { return e.Server.URL + path }

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body string
}

// Do sends a request; body may be nil.
func (c *Client) Do(method, path string, body io.Reader, header http.Header) *Response {
	c.env.T.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, c.env.URL(path), body)
	if err != nil {
		c.env.T.Fatalf("apptest: %v", err)
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c.CSRF != "" && method != http.MethodGet && method != http.MethodHead && req.Header.Get("X-CSRF-Token") == "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.env.T.Fatalf("apptest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.env.T.Fatalf("apptest: read body: %v", err)
	}
	return &Response{Response: res, Body: string(b)}
}

// Get fetches path.
func (c *Client) Get(path string) *Response { return c.Do(http.MethodGet, path, nil, nil) }

// PostForm posts form values.
func (c *Client) PostForm(path string, v url.Values) *Response {
	return c.Do(http.MethodPost, path, strings.NewReader(v.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

// JSON sends a JSON body.
func (c *Client) JSON(method, path, body string) *Response {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return c.Do(method, path, r, http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}})
}

// Doc parses the body as HTML.
func (r *Response) Doc(t testing.TB) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("apptest: parse HTML: %v", err)
	}
	return d
}

// Expect fails the test unless the status is want.
func (r *Response) Expect(t testing.TB, want int) *Response {
	t.Helper()
	if r.StatusCode != want {
		body := r.Body
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, body)
	}
	return r
}

// TestID selects elements by data-testid.
func TestID(id string) string { return `[data-testid="` + id + `"]` }
