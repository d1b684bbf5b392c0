package app_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/static"
)

func TestHealthAndReadiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c := env.Client()
		c.Get("/healthz").Expect(t, http.StatusOK)
		r := c.Get("/readyz").Expect(t, http.StatusOK)
		if !strings.Contains(r.Body, `"ready"`) {
			t.Fatalf("readyz body %q", r.Body)
		}

		// A schema that is behind makes the instance unready, with the reason.
		if err := db.Exec("DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)").Error; err != nil {
			t.Fatal(err)
		}
		r = c.Get("/readyz").Expect(t, http.StatusServiceUnavailable)
		if !strings.Contains(r.Body, "debrief migrate") {
			t.Fatalf("readyz should name the command to run: %s", r.Body)
		}
		c.Get("/healthz").Expect(t, http.StatusOK)
	})
}

func TestReadinessWhenDatabaseIsGone(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	env := apptest.New(t, db)
	sqlDB, _ := db.DB()
	_ = sqlDB.Close()
	c := env.Client()
	c.Get("/readyz").Expect(t, http.StatusServiceUnavailable)
	c.Get("/healthz").Expect(t, http.StatusOK)
}

func TestNotFoundPages(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c := env.Client()
	r := c.Get("/no/such/page").Expect(t, http.StatusNotFound)
	doc := r.Doc(t)
	if doc.Find(apptest.TestID("error-page")).Length() != 1 {
		t.Fatalf("404 is not the friendly page:\n%s", r.Body)
	}
	if doc.Find("main#main").Length() != 1 || doc.Find("nav[aria-label]").Length() == 0 && doc.Find("header").Length() == 0 {
		t.Fatalf("404 page lacks the layout landmarks")
	}

	r = c.Get("/api/v1/no-such-thing").Expect(t, http.StatusNotFound)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("API 404 content type %q", ct)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil || p["status"] != float64(404) || p["title"] == "" {
		t.Fatalf("API 404 body %s (%v)", r.Body, err)
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	r := env.Client().Get("/healthz")
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Error("no request ID")
	}
}

// TestPagesHaveNoInlineCode keeps every rendered page compatible with the
// CSP: no inline script, no style attribute, no event handler attributes.
func TestPagesHaveNoInlineCode(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c := env.Client()
	for _, path := range []string{"/no/such/page"} {
		assertNoInlineCode(t, path, c.Get(path).Body)
	}
}

var inlineCode = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|\sstyle=|\son[a-z]+=|javascript:`)

func assertNoInlineCode(t *testing.T, path, body string) {
	t.Helper()
	// Scripts must have a src; nothing may carry inline style or handlers.
	for _, m := range regexp.MustCompile(`(?is)<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, "src=") {
			t.Errorf("%s: inline script %s", path, m)
		}
	}
	if loc := inlineCode.FindStringIndex(body); loc != nil {
		t.Errorf("%s: inline code near %q", path, body[max(0, loc[0]-40):min(len(body), loc[1]+40)])
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c := env.Client()
	u := static.URL("css/app.css")
	if !regexp.MustCompile(`^/static/css/app\.[0-9a-f]{12}\.css$`).MatchString(u) {
		t.Fatalf("unhashed URL %q", u)
	}
	r := c.Get(u).Expect(t, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Fatalf("Cache-Control %q", cc)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Fatalf("Content-Type %q", ct)
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	c.Do(http.MethodGet, u, nil, http.Header{"If-None-Match": {etag}}).Expect(t, http.StatusNotModified)
	c.Get("/static/css/app.000000000000.css").Expect(t, http.StatusNotFound)

	// Large assets are compressed.
	req, _ := http.NewRequest(http.MethodGet, env.URL(static.URL("vendor/htmx.min.js")), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("htmx not gzipped: %v", res.Header)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !strings.Contains(string(b), "htmx") {
		t.Fatal("gzipped body is not htmx")
	}
}

func TestMetrics(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	c := env.Client()
	c.Get("/healthz")
	r := c.Get("/metrics").Expect(t, http.StatusOK)
	for _, want := range []string{
		`debrief_http_requests_total{method="GET",route="/healthz",status="200"}`,
		"debrief_http_request_duration_seconds_bucket",
		`go_sql_max_open_connections{db_name="debrief"}`,
		"go_goroutines",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
