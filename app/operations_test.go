package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestMetricsNeedTheTokenWhenSet: with DEBRIEF_METRICS_TOKEN, /metrics
// answers 401 without the bearer token; without the setting it is open.
func TestMetricsNeedTheTokenWhenSet(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	env := apptest.New(t, db, func(cfg *app.Config, _ *app.Deps) { cfg.MetricsToken = "s3cret-metrics-token" })
	c := env.Client()
	c.Get("/metrics").Expect(t, http.StatusUnauthorized)
	c.Do(http.MethodGet, "/metrics", nil, http.Header{"Authorization": {"Bearer wrong"}}).Expect(t, http.StatusUnauthorized)
	r := c.Do(http.MethodGet, "/metrics", nil, http.Header{"Authorization": {"Bearer s3cret-metrics-token"}}).Expect(t, http.StatusOK)
	if !strings.Contains(r.Body, "debrief_http_requests_total") {
		t.Fatalf("metrics body:\n%.300s", r.Body)
	}
	apptest.New(t, db).Client().Get("/metrics").Expect(t, http.StatusOK)
}

// syncBuffer collects log output written from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSecretsInURLsAreNotLogged: the calendar feed's file name and the
// PagerDuty webhook's token are credentials; request logs show neither.
func TestSecretsInURLsAreNotLogged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		var logs syncBuffer
		env := apptest.New(t, db, func(_ *app.Config, d *app.Deps) {
			d.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		c, _ := env.As(models.RoleMember)
		c.Form("/account/calendar", url.Values{"next": {"/account/notifications"}}).Expect(t, http.StatusSeeOther)
		feed, _ := url.Parse(c.Get("/account/notifications").Doc(t).Find(apptest.TestID("calendar-url")).AttrOr("value", ""))
		env.Client().Get(feed.Path).Expect(t, http.StatusOK)
		env.Client().Get("/calendar/cal_guessed-secret.ics").Expect(t, http.StatusNotFound)
		env.Client().Do(http.MethodPost, "/api/v1/webhooks/pagerduty/pd_hook-secret-token", strings.NewReader("{}"), http.Header{"Content-Type": {"application/json"}})
		env.Client().Get("/auth/oidc/callback?code=oidc-code-secret&state=oidc-state-secret")

		out := logs.String()
		if !strings.Contains(out, "/calendar/") {
			t.Fatalf("no request logged:\n%s", out)
		}
		secret := strings.TrimSuffix(strings.TrimPrefix(feed.Path, "/calendar/"), ".ics")
		for _, s := range []string{secret, "guessed-secret", "hook-secret-token", "oidc-code-secret", "oidc-state-secret"} {
			if strings.Contains(out, s) {
				t.Errorf("the log shows %q", s)
			}
		}
	})
}

// TestExternalURLIgnoresHostHeader: links that leave the browser (the
// calendar feed's URL, the PagerDuty webhook URL) come from the base URL
// (cmd/debrief derives it from the listen address when none is set),
// never from the Host header a client sends.
func TestExternalURLIgnoresHostHeader(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c, _ := env.As(models.RoleAdmin)
	send := func(method, path string, form url.Values) string {
		t.Helper()
		var body io.Reader
		if form != nil {
			form.Set("_csrf", c.CSRFToken())
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequestWithContext(context.Background(), method, env.URL(path), body)
		req.Host = "evil.example"
		// The client's jar would pick cookies by that Host: send the
		// session's by hand.
		base, _ := url.Parse(env.Server.URL)
		for _, ck := range c.HTTP.Jar.Cookies(base) {
			req.AddCookie(ck)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	send(http.MethodPost, "/account/calendar", url.Values{"next": {"/account/notifications"}})
	page := send(http.MethodGet, "/account/notifications", nil)
	if strings.Contains(page, "evil.example") || !strings.Contains(page, env.Server.URL+"/calendar/") {
		t.Errorf("calendar URL not from the base URL:\n%s", snippet(page, "/calendar/"))
	}
	it, err := models.CreateIntegration(context.Background(), env.DB, testActor, models.IntegrationInput{Name: "PD", Secret: "pd-signing-secret", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if page := send(http.MethodGet, "/admin/integrations/"+strconv.FormatInt(it.ID, 10), nil); strings.Contains(page, "evil.example") || !strings.Contains(page, env.Server.URL+"/api/v1/webhooks/pagerduty/") {
		t.Errorf("webhook URL from the Host header:\n%s", snippet(page, "evil.example"))
	}
}

func snippet(s, near string) string {
	i := max(strings.Index(s, near)-200, 0)
	return s[i:min(len(s), i+400)]
}

// TestTooLargeRequestGetsErrorPage: a body over the limit is answered 413
// with the ordinary error page.
func TestTooLargeRequestGetsErrorPage(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"), func(cfg *app.Config, _ *app.Deps) { cfg.BodyLimit = "1K" })
	c, _ := env.As(models.RoleMember)
	r := c.Form("/account/profile", url.Values{"name": {strings.Repeat("x", 4096)}, "time_zone": {"UTC"}}).Expect(t, http.StatusRequestEntityTooLarge)
	if r.Doc(t).Find(apptest.TestID("error-page")).Length() != 1 {
		t.Fatalf("413 is not the error page:\n%.500s", r.Body)
	}
}
