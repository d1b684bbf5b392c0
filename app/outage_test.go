package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// flakyProxy forwards TCP to PostgreSQL and can be cut and restored, to
// play a database outage without stopping the shared server.
type flakyProxy struct {
	target string
	mu     sync.Mutex
	ln     net.Listener
	addr   string
	conns  []net.Conn
}

func (p *flakyProxy) start(t *testing.T) {
	t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after a cut
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *flakyProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.ln.Close()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// TestDatabaseOutage: /readyz turns 503 within 5 s of PostgreSQL going
// away and back to 200 when it returns, pages answer a friendly 503
// meanwhile, and nothing needs a restart.
func TestDatabaseOutage(t *testing.T) {
	if os.Getenv(dbtest.EnvPostgres) == "" {
		t.Skip("needs PostgreSQL (" + dbtest.EnvPostgres + ")")
	}
	dsn := dbtest.NewDSN(t, models.DialectPostgres)
	u, _ := url.Parse(dsn.Conn)
	proxy := &flakyProxy{target: u.Host}
	proxy.start(t)
	u.Host = proxy.addr
	db, err := models.Open(context.Background(), models.DSN{Dialect: models.DialectPostgres, Conn: u.String()}, models.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	env := apptest.New(t, db)
	c, _ := env.As(models.RoleMember)
	c.Get("/readyz").Expect(t, http.StatusOK)
	c.Get("/").Expect(t, http.StatusOK)

	proxy.cut()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := c.Get("/readyz")
		if r.StatusCode == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d five seconds into the outage", r.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := c.Get("/")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.Body, `data-testid="error-page"`) || !strings.Contains(r.Body, "database") {
		t.Fatalf("page during outage: %d\n%.600s", r.StatusCode, r.Body)
	}
	c.Get("/healthz").Expect(t, http.StatusOK)

	proxy.start(t)
	deadline = time.Now().Add(15 * time.Second)
	for c.Get("/readyz").StatusCode != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("readyz did not recover after the database came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
	c.Get("/").Expect(t, http.StatusOK)
}
