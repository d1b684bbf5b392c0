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
	"time"

	"github.com/debrief-sre/debrief/app/live/sse"
)

// TestShutdownIsNotHeldUpByLiveStreams: a browser watching a live page
// keeps a request open for hours; stopping the server ends the stream and
// the server exits at once instead of waiting out the 30 s grace period.
func TestShutdownIsNotHeldUpByLiveStreams(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	listening := make(chan string, 1)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: envMap(map[string]string{"DATABASE_URL": "sqlite:" + path})}
	done := make(chan error, 1)
	go func() {
		done <- cmdServe(ctx, e, []string{"--addr", "127.0.0.1:0"}, serveOptions{listening: listening})
	}()
	base := "http://" + <-listening

	// The first admin, through first-run setup, as a person would.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(base + "/setup")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// The form carries the session's CSRF token.
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the setup page:\n%.500s", page)
	}
	csrf := string(m[1])
	pw := "correct horse battery staple"
	res, err = hc.PostForm(base+"/setup", url.Values{"_csrf": {csrf}, "name": {"Ada Admin"}, "email": {"ada@example.com"},
		"password": {pw}, "password_confirm": {pw}, "time_zone": {"UTC"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %v %v", res.StatusCode, err)
	}
	res.Body.Close()

	res, err = hc.Get(base + "/admin/live/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rd := sse.NewReader(res.Body)
	if m, err := rd.Next(); err != nil || m.Event != "presence" {
		t.Fatalf("first event %+v %v", m, err)
	}

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second): // less than the 30 s grace period
		t.Fatal("serve did not stop: an open stream holds up shutdown")
	}
	for {
		if _, err := rd.Next(); err != nil {
			if err != io.EOF {
				t.Fatalf("stream ended with %v, want a clean end", err)
			}
			break
		}
	}
}
