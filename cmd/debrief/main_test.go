package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, envMap(env))
	return code, out.String(), errb.String()
}

func TestBadSettingsStopStartupWithOneLine(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"PORT": "http"}, nil, `PORT="http" is not valid: want a port number`},
		{map[string]string{"DATABASE_URL": "mysql://x"}, nil, `DATABASE_URL="mysql://x" is not valid: must be empty`},
		{map[string]string{"DEBRIEF_TIMEZONE": "Mars/Olympus"}, nil, `DEBRIEF_TIMEZONE="Mars/Olympus" is not valid: want an IANA time zone`},
		{map[string]string{"DEBRIEF_LOG_FORMAT": "xml"}, nil, `DEBRIEF_LOG_FORMAT="xml" is not valid: want text or json`},
		{map[string]string{"DEBRIEF_DB_MAX_CONNS": "0"}, nil, `DEBRIEF_DB_MAX_CONNS="0" is not valid`},
		{map[string]string{"DEBRIEF_BASE_URL": "debrief.example.com"}, nil, `DEBRIEF_BASE_URL="debrief.example.com" is not valid: want an absolute`},
		{nil, []string{"serve", "--timezone", "Nowhere"}, `--timezone="Nowhere" is not valid`},
		{nil, []string{"serve", "--addr", "8080"}, `--addr="8080" is not valid: want host:port`},
		{map[string]string{"DEBRIEF_SMTP_URL": "mail.example.com:587"}, nil, `DEBRIEF_SMTP_URL="mail.example.com:587" is not valid: want a smtp:// or smtps:// URL`},
		{map[string]string{"DEBRIEF_SMTP_URL": "smtp://u:hunter2@mail.example.com:99999"}, nil, `DEBRIEF_SMTP_URL="smtp://u:xxxxx@mail.example.com:99999" is not valid: the port must be`},
		{map[string]string{"DEBRIEF_SMTP_URL": "smtp://mail.example.com"}, nil, `DEBRIEF_MAIL_FROM="" is not valid: it is required when DEBRIEF_SMTP_URL is set`},
		{map[string]string{"DEBRIEF_MAIL_FROM": "debrief at example"}, nil, `DEBRIEF_MAIL_FROM="debrief at example" is not valid: want an email address`},
		{nil, []string{"serve", "--smtp-url", "smtp://mail.example.com?tls=no"}, `--smtp-url="smtp://mail.example.com?tls=no" is not valid: unknown option`},
		{map[string]string{"DEBRIEF_METRICS_TOKEN": "short"}, nil, `DEBRIEF_METRICS_TOKEN="xxxxx" is not valid: use at least 16 characters`},
		{map[string]string{"DEBRIEF_WEBHOOK_ALLOW_PRIVATE": "yes please"}, nil, `DEBRIEF_WEBHOOK_ALLOW_PRIVATE="yes please" is not valid: want true or false`},
		{map[string]string{"DEBRIEF_TRUSTED_PROXIES": "10.0.0.0/8,proxy.example"}, nil, `DEBRIEF_TRUSTED_PROXIES="10.0.0.0/8,proxy.example" is not valid: "proxy.example" is not an address`},
	}
	for _, c := range cases {
		code, _, stderr := runCmd(t, c.env, c.args...)
		if code != 2 {
			t.Errorf("%v %v: exit %d, want 2", c.env, c.args, code)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v %v: stderr %q, want one line containing %q", c.env, c.args, stderr, c.want)
		}
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	if code, out, _ := runCmd(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "debrief ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, stderr := runCmd(t, nil, "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("unknown: %d %q", code, stderr)
	}
}

func TestMigrateAndStatus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + path}
	code, out, stderr := runCmd(t, env, "migrate", "status")
	if code != 0 || !strings.Contains(out, "pending") || !strings.Contains(out, "0 applied") {
		t.Fatalf("status before: %d %q %q", code, out, stderr)
	}
	if code, out, stderr = runCmd(t, env, "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %d %q %q", code, out, stderr)
	}
	if code, out, _ = runCmd(t, env, "migrate", "status"); code != 0 || !strings.Contains(out, " 0 pending") || !strings.Contains(out, "applied  river 001") {
		t.Fatalf("status after: %d %q", code, out)
	}
}

// TestServeRefusesStaleSchemaOnPostgres: a PostgreSQL schema that is behind
// stops serve with the command to run; --migrate fixes it.
func TestServeRefusesStaleSchemaOnPostgres(t *testing.T) {
	if os.Getenv(dbtest.EnvPostgres) == "" {
		t.Skip("PostgreSQL not configured (" + dbtest.EnvPostgres + ")")
	}
	dsn := dbtest.NewDSN(t, models.DialectPostgres)
	db, err := models.Open(context.Background(), dsn, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.Close()
	code, _, stderr := runCmd(t, map[string]string{"DATABASE_URL": dsn.Conn}, "serve", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "run `debrief migrate`") {
		t.Fatalf("serve on stale schema: exit %d, %q", code, stderr)
	}
}

// TestSIGTERMLetsInFlightRequestFinish sends a real SIGTERM to the process
// while a slow request runs: the request completes, then serve returns.
func TestSIGTERMLetsInFlightRequestFinish(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	started := make(chan struct{})
	listening := make(chan string, 1)
	opts := serveOptions{
		listening: listening,
		wrap: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/slow" {
					close(started)
					time.Sleep(1500 * time.Millisecond)
					_, _ = io.WriteString(w, "finished")
					return
				}
				h.ServeHTTP(w, r)
			})
		},
	}
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: envMap(map[string]string{"DATABASE_URL": "sqlite:" + path})}
	done := make(chan error, 1)
	go func() { done <- cmdServe(context.Background(), e, []string{"--addr", "127.0.0.1:0"}, opts) }()
	addr := <-listening

	var wg sync.WaitGroup
	var body string
	var reqErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			reqErr = err
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		body = string(b)
	}()
	<-started
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	wg.Wait()
	if reqErr != nil || body != "finished" {
		t.Fatalf("in-flight request: %q, %v", body, reqErr)
	}
	// New connections are refused after shutdown.
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("server still accepts requests after shutdown")
	}
}

func TestFirstRunCreatesAndMigratesSQLite(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	listening := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: envMap(nil)}
	done := make(chan error, 1)
	go func() {
		done <- cmdServe(ctx, e, []string{"--addr", "127.0.0.1:0"}, serveOptions{listening: listening})
	}()
	addr := <-listening
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("readyz %d", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "debrief.db")); err != nil {
		t.Fatalf("debrief.db not created: %v", err)
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + path}
	run1 := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, envMap(env))
		return code, out.String(), errb.String()
	}
	// Password from stdin (not a terminal): nothing printed on stdout.
	code, out, stderr := run1("a sturdy passphrase here\n", "user", "create", "--email", "Ops@Example.com", "--name", "Ops Lead", "--role", "admin")
	if code != 0 || out != "" || !strings.Contains(stderr, "created admin Ops Lead") {
		t.Fatalf("user create: %d %q %q", code, out, stderr)
	}
	// Empty stdin: a password is generated and printed once.
	code, out, _ = run1("", "user", "create", "--email", "dev@example.com", "--name", "Dev", "--role", "member")
	if code != 0 || len(strings.TrimSpace(out)) < 12 {
		t.Fatalf("generated password: %d %q", code, out)
	}
	db, err := models.Open(context.Background(), models.ParseDSNMust("sqlite:"+path), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s, _ := db.DB(); s.Close() }()
	if _, err := models.Authenticate(context.Background(), db, "dev@example.com", strings.TrimSpace(out)); err != nil {
		t.Fatalf("generated password does not sign in: %v", err)
	}
	if _, err := models.Authenticate(context.Background(), db, "ops@example.com", "a sturdy passphrase here"); err != nil {
		t.Fatalf("stdin password does not sign in: %v", err)
	}
	// Bad role: exit 2 with the field.
	code, _, stderr = run1("", "user", "create", "--email", "x@example.com", "--name", "X", "--role", "king")
	if code != 2 || !strings.Contains(stderr, "role") {
		t.Fatalf("bad role: %d %q", code, stderr)
	}
	// Token: only the token on stdout.
	code, out, _ = run1("", "token", "create", "--email", "dev@example.com", "--name", "CI")
	tok := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(tok, "dbf_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("token create: %d %q", code, out)
	}
	if u, err := models.UserForToken(context.Background(), db, tok); err != nil || u.Email != "dev@example.com" {
		t.Fatalf("token does not authenticate: %v", err)
	}
	// Reset and disable.
	if code, _, stderr = run1("another sturdy passphrase\n", "user", "reset-password", "--email", "dev@example.com"); code != 0 {
		t.Fatalf("reset: %d %q", code, stderr)
	}
	if _, err := models.Authenticate(context.Background(), db, "dev@example.com", "another sturdy passphrase"); err != nil {
		t.Fatalf("reset password does not sign in: %v", err)
	}
	if code, _, stderr = run1("", "user", "disable", "--email", "dev@example.com"); code != 0 {
		t.Fatalf("disable: %d %q", code, stderr)
	}
	if _, err := models.Authenticate(context.Background(), db, "dev@example.com", "another sturdy passphrase"); err == nil {
		t.Fatal("disabled user can still sign in")
	}
	if code, _, _ = run1("", "user", "disable", "--email", "nobody@example.com"); code != 1 {
		t.Fatalf("disable unknown: %d", code)
	}
}

func TestOIDCSettingsAreChecked(t *testing.T) {
	code, _, stderr := runCmd(t, map[string]string{"DEBRIEF_OIDC_ISSUER": "https://idp.example.com"}, "serve")
	if code != 2 || !strings.Contains(stderr, "DEBRIEF_OIDC_CLIENT_ID") {
		t.Fatalf("issuer without client: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, map[string]string{"DEBRIEF_OIDC_DEFAULT_ROLE": "admin"}, "serve")
	if code != 2 || !strings.Contains(stderr, "DEBRIEF_OIDC_DEFAULT_ROLE") {
		t.Fatalf("admin default role: %d %q", code, stderr)
	}
}

// TestServeRefusesStaleRiverSchemaOnPostgres: River's migrations count for
// the stale-schema check too.
func TestServeRefusesStaleRiverSchemaOnPostgres(t *testing.T) {
	if os.Getenv(dbtest.EnvPostgres) == "" {
		t.Skip("PostgreSQL not configured (" + dbtest.EnvPostgres + ")")
	}
	dsn := dbtest.NewDSN(t, models.DialectPostgres)
	db, err := models.Open(context.Background(), dsn, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM river_migration WHERE version = (SELECT MAX(version) FROM river_migration)").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.Close()
	code, _, stderr := runCmd(t, map[string]string{"DATABASE_URL": dsn.Conn}, "serve", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "River") || !strings.Contains(stderr, "run `debrief migrate`") {
		t.Fatalf("serve on stale River schema: exit %d, %q", code, stderr)
	}
	if code, out, stderr := runCmd(t, map[string]string{"DATABASE_URL": dsn.Conn}, "migrate", "status"); code != 0 || !strings.Contains(out, "pending  river") {
		t.Fatalf("status: %d %q %q", code, out, stderr)
	}
}
