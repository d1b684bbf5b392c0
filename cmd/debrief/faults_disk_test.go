//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
)

type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDiskFull runs `debrief serve` on a SQLite file in a small tmpfs (a
// real file system, really full: ENOSPC from the kernel), fills the file
// system, and checks that writes fail with a clear error page or JSON
// error and a log line, reads keep working, and that after space is freed
// writes work again and the database passes integrity_check.
// Mounting needs root (CAP_SYS_ADMIN); elsewhere the test skips.
func TestDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=8m"); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) })
	dbPath := filepath.Join(mnt, "d.db")
	dbURL := "sqlite:" + dbPath
	if out, err := debriefProcess(t, dbURL, "migrate").CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	serve := debriefProcess(t, dbURL, "serve", "--addr", addr)
	log := &lockedLog{}
	serve.Stdout, serve.Stderr = log, log
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = serve.Process.Kill(); _ = serve.Wait() })
	hc := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	hc.Jar, _ = cookiejar.New(nil)
	for i := 0; ; i++ {
		if res, err := hc.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if i > 300 {
			t.Fatalf("server did not start:\n%s", log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	get := func(path string) (int, string) {
		t.Helper()
		res, err := hc.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	csrfRe := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	csrf := func(page string) string {
		t.Helper()
		m := csrfRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token in\n%.500s", page)
		}
		return m[1]
	}
	post := func(path string, v url.Values) (int, string) {
		t.Helper()
		res, err := hc.PostForm(base+path, v)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	// The first admin through setup; then an incident to read later.
	_, page := get("/setup")
	pw := "correct horse battery staple"
	if code, body := post("/setup", url.Values{"_csrf": {csrf(page)}, "name": {"Ada Admin"}, "email": {"ada@example.com"},
		"password": {pw}, "password_confirm": {pw}, "time_zone": {"UTC"}}); code != http.StatusSeeOther {
		t.Fatalf("setup: %d %.500s", code, body)
	}
	_, page = get("/incidents/new")
	newIncident := func(title string) (int, string) {
		return post("/incidents", url.Values{"_csrf": {csrf(page)}, "title": {title}, "started_at": {"2026-03-01T10:00"},
			"summary": {strings.Repeat("A long summary. ", 500)}})
	}
	if code, body := newIncident("Before the disk filled"); code != http.StatusSeeOther {
		t.Fatalf("create incident: %d %.800s", code, body)
	}

	// Fill the file system.
	filler, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := filler.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	filler.Close()
	logBefore := len(log.String())

	// Writes fail, clearly, and a line is logged.
	for i := range 20 { // enough pages to outgrow the WAL's free space
		code, body := newIncident(fmt.Sprintf("While the disk is full %d", i))
		if code == http.StatusSeeOther {
			continue
		}
		if code < 500 || !strings.Contains(body, `data-testid="error-page"`) {
			t.Fatalf("write on a full disk: %d\n%.1500s", code, body)
		}
		t.Logf("write %d on a full disk: %d, page says %q", i, code, errorText(body))
		if code != http.StatusInsufficientStorage || !strings.Contains(errorText(body), "disk is full") {
			t.Errorf("the error page does not say the disk is full:\n%s", errorText(body))
		}
		break
	}
	if l := log.String()[logBefore:]; !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "database or disk is full") {
		t.Errorf("no log line about the full disk:\n%s", log.String()[logBefore:])
	}
	// Reads keep working.
	for _, p := range []string{"/", "/incidents", "/readyz"} {
		if code, body := get(p); code != http.StatusOK {
			t.Errorf("GET %s on a full disk: %d\n%.500s", p, code, body)
		}
	}
	if _, body := get("/incidents"); !strings.Contains(body, "Before the disk filled") {
		t.Error("the incident list lost the incident written before the disk filled")
	}

	// Space again: writes work, nothing is corrupt.
	if err := os.Remove(filepath.Join(mnt, "filler")); err != nil {
		t.Fatal(err)
	}
	if code, body := newIncident("After space was freed"); code != http.StatusSeeOther {
		t.Fatalf("write after freeing space: %d %.800s", code, body)
	}
	_ = serve.Process.Signal(syscall.SIGTERM)
	_ = serve.Wait()
	dsn, _ := models.ParseDSN(dbURL)
	db, err := models.Open(context.Background(), dsn, models.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s, _ := db.DB(); s.Close() }()
	var check string
	if err := db.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	var titles []string
	db.Table("incidents").Order("id").Pluck("title", &titles)
	t.Logf("incidents after the check: %d", len(titles))
	if len(titles) == 0 || titles[0] != "Before the disk filled" || titles[len(titles)-1] != "After space was freed" {
		t.Fatalf("incidents: %q", titles)
	}
}

var errorTextRe = regexp.MustCompile(`(?s)<[^>]+>`)

// errorText is the visible text of the error page's main element.
func errorText(body string) string {
	if i := strings.Index(body, `data-testid="error-page"`); i >= 0 {
		body = body[i:]
	}
	s := strings.Join(strings.Fields(errorTextRe.ReplaceAllString(body, " ")), " ")
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
