package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPublicURLComesFromListenAddress: without DEBRIEF_BASE_URL, links
// that leave the browser (the calendar feed URL) use the bound address,
// whatever Host header the request carries.
func TestPublicURLComesFromListenAddress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	listening := make(chan string, 1)
	ctx, stop := context.WithCancel(context.Background())
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: envMap(map[string]string{"DATABASE_URL": "sqlite:" + path})}
	done := make(chan error, 1)
	go func() {
		done <- cmdServe(ctx, e, []string{"--addr", "127.0.0.1:0"}, serveOptions{listening: listening})
	}()
	t.Cleanup(func() {
		stop()
		<-done
	})
	base := "http://" + <-listening

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrfField := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	do := func(method, path string, form url.Values) string {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequestWithContext(context.Background(), method, base+path, body)
		req.Host = "evil.example"
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	token := func(page string) string {
		m := csrfField.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token:\n%.500s", page)
		}
		return m[1]
	}
	pw := "correct horse battery staple"
	do(http.MethodPost, "/setup", url.Values{"_csrf": {token(do(http.MethodGet, "/setup", nil))}, "name": {"Ada Admin"}, "email": {"ada@example.com"},
		"password": {pw}, "password_confirm": {pw}, "time_zone": {"UTC"}})
	page := do(http.MethodGet, "/account/notifications", nil)
	do(http.MethodPost, "/account/calendar", url.Values{"_csrf": {token(page)}, "next": {"/account/notifications"}})
	page = do(http.MethodGet, "/account/notifications", nil)
	if strings.Contains(page, "evil.example") || !strings.Contains(page, `value="`+base+`/calendar/`) {
		i := max(strings.Index(page, "/calendar/")-200, 0)
		t.Fatalf("calendar URL not from the listen address %s:\n%s", base, page[i:min(len(page), i+400)])
	}
}
